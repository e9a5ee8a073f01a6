using Microsoft.EntityFrameworkCore;
using OneForm.Catalog;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Organization;

namespace OneForm.Collection;

/// <summary>
/// The category sheet (一类工作一张表): for a unit, one sheet per category of work and period end. It gathers the unit's
/// tasks of that category whose periods end that day (December, the fourth quarter, the second half and the year are
/// one sheet), and asks each element once, in the shortest period that asks it. Its tasks stay the forms departments
/// know; the sheet is what the cadre meets (docs/adr/0007).
/// </summary>
public static class CategorySheets
{
    public sealed record Key(int UnitId, FormCategory Category, DateOnly PeriodEnd);

    /// <summary>One element on a sheet: the period it is asked for and whether a value is held, and from where.</summary>
    public sealed record Cell(DataElement Element, string Period, DataValue? Value)
    {
        /// <summary>Filled by OneForm (registry, other periods, ledgers, formula) rather than typed by the unit.</summary>
        public bool Prefilled => Value is { Source: not (ValueSource.Entered or ValueSource.Imported) };
    }

    public sealed record Sheet(Key Key, DateOnly Deadline, IReadOnlyList<FillingTask> Tasks, IReadOnlyList<Cell> Cells)
    {
        public int Prefilled => Cells.Count(c => c.Prefilled);
        public int Missing => Cells.Count(c => c.Value is null);
        public bool IsOverdue(DateOnly today) => State is not (TaskState.Submitted or TaskState.Accepted) && Deadline < today;

        /// <summary>The sheet's state is its tasks': it moves only when they all move.</summary>
        public TaskState State => Tasks.Select(t => t.Status).Distinct().ToList() switch
        {
            [var one] => one,
            var states when states.Contains(TaskState.Returned) => TaskState.Returned,
            var states when states.Contains(TaskState.Reopened) => TaskState.Reopened,
            var states when states.All(s => s is TaskState.Submitted or TaskState.Accepted) => TaskState.Submitted,
            _ => TaskState.Draft,
        };
    }

    /// <summary>The unit's sheets, due soonest first; accepted ones only if due on or after <paramref name="acceptedSince"/>.</summary>
    public static async Task<List<Sheet>> OfUnitAsync(OneFormDbContext db, int unitId, DateOnly acceptedSince, CancellationToken cancellationToken = default)
    {
        var tasks = await db.FillingTasks.AsNoTracking().Include(t => t.OrgUnit)
            .Include(t => t.Form!).ThenInclude(f => f.Sections).ThenInclude(s => s.Fields).ThenInclude(f => f.DataElement)
            .AsSplitQuery()
            .Where(t => t.OrgUnitId == unitId)
            .ToListAsync(cancellationToken);
        var groups = tasks.GroupBy(t => new Key(unitId, t.Form!.Category, Period.Parse(t.PeriodCode).End))
            .Where(g => g.Any(t => t.Status != TaskState.Accepted) || g.Min(t => t.Deadline) >= acceptedSince)
            .ToList();
        var periods = groups.SelectMany(g => g.Select(t => t.PeriodCode)).Distinct().ToList();
        var values = (await db.DataValues.AsNoTracking().Where(v => v.OrgUnitId == unitId && periods.Contains(v.PeriodCode)).ToListAsync(cancellationToken))
            .ToDictionary(v => (v.DataElementId, v.PeriodCode));
        return groups.Select(g => new Sheet(g.Key, g.Min(t => t.Deadline), [.. g.OrderBy(t => t.Form!.Code)], Cells(g, values)))
            .OrderBy(s => s.Deadline).ThenBy(s => s.Key.Category).ToList();
    }

    /// <summary>Each element of the sheet's forms once, in the shortest of the sheet's periods that asks it.</summary>
    private static List<Cell> Cells(IEnumerable<FillingTask> tasks, Dictionary<(int, string), DataValue> values) =>
        tasks.SelectMany(t => t.Form!.Fields.Select(f => (Element: f.DataElement!, Period: Period.Parse(t.PeriodCode))))
            .GroupBy(x => x.Element.Id)
            .Select(g =>
            {
                var (element, period) = g.MinBy(x => x.Period.End.DayNumber - x.Period.Start.DayNumber);
                return new Cell(element, period.ToString(), values.GetValueOrDefault((element.Id, period.ToString())));
            })
            .ToList();

    /// <summary>
    /// Which forms and how many sheets a unit meets on each day that periods end in <paramref name="year"/>: the forms
    /// in force that reach it (level, subtree), grouped by category. Monthly and one-off forms are counted as their cycle says.
    /// </summary>
    public static async Task<List<(DateOnly PeriodEnd, IReadOnlyList<string> Forms, int Sheets)>> DueInYearAsync(OneFormDbContext db, OrgUnit unit, int year,
        CancellationToken cancellationToken = default)
    {
        var admitted = await db.Forms.AsNoTracking().Where(f => f.Status == FormStatus.Admitted).ToListAsync(cancellationToken);
        // The same targeting as task opening: levels, subtree, and the unit groups' one membership rule.
        var groups = (await UnitGroupQueries.ByCodesAsync(db, admitted.SelectMany(f => f.Groups).Distinct().ToList(), cancellationToken))
            .ToDictionary(g => g.Code);
        var forms = admitted
            .Where(f => f.Levels.Contains(unit.Level) && (f.TargetSubtreePath is null || unit.IsInSubtreeOf(f.TargetSubtreePath)))
            .Where(f => f.Groups.Count == 0 || f.Groups.Any(code => groups.TryGetValue(code, out var group) && UnitGroups.Contains(group, unit)))
            .ToList();
        var result = new List<(DateOnly, IReadOnlyList<string>, int)>();
        for (var month = 1; month <= 12; month++)
        {
            var end = new Period(year, ReportingCycle.Monthly, month).End;
            var due = forms.Where(f => f.Cycle == ReportingCycle.OneOff
                    ? month == 12 && (f.ValidFrom?.Year ?? year) == year
                    : Period.Containing(f.Cycle, end).End == end)
                .ToList();
            if (due.Count > 0)
            {
                result.Add((end, [.. due.Select(f => f.Code).Order()], due.Select(f => f.Category).Distinct().Count()));
            }
        }
        return result;
    }
}
