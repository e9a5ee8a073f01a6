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

    /// <summary>
    /// One element on a sheet: the task whose period (and form) asks it, the topic it is shown under (its section's title
    /// in that form) and whether a value is held, and from where.
    /// </summary>
    public sealed record Cell(DataElement Element, FillingTask Task, FormSection Section, DataValue? Value)
    {
        public string Period => Task.PeriodCode;

        /// <summary>The topic the element is shown under: its section's title (sections of the same title across forms are one topic).</summary>
        public string Topic => Section.Title;

        /// <summary>Filled by OneForm (registry, other periods, ledgers, formula) rather than typed by the unit.</summary>
        public bool Prefilled => Value is { Source: not (ValueSource.Entered or ValueSource.Imported or ValueSource.CarriedForward) };
    }

    public sealed record Sheet(Key Key, DateOnly Deadline, IReadOnlyList<FillingTask> Tasks, IReadOnlyList<Cell> Cells)
    {
        public int Prefilled => Cells.Count(c => c.Prefilled);
        public int Missing => Cells.Count(c => c.Value is null);
        public OrgUnit Unit => Tasks[0].OrgUnit!;
        public bool IsOverdue(DateOnly today) => State is not (TaskState.Submitted or TaskState.Accepted) && Deadline < today;

        /// <summary>Signed by the unit head: every task that went up was signed.</summary>
        public bool SignedOff => Tasks.Where(t => t.Status == TaskState.Submitted).All(t => t.SignedOffBy is not null);

        /// <summary>The sheet's state is its tasks': it moves only when they all move.</summary>
        public TaskState State => Tasks.Select(t => t.Status).Distinct().ToList() switch
        {
            [var one] => one,
            var states when states.Contains(TaskState.Returned) => TaskState.Returned,
            var states when states.Contains(TaskState.Reopened) => TaskState.Reopened,
            var states when states.All(s => s is TaskState.Submitted or TaskState.Accepted) => TaskState.Submitted,
            _ => TaskState.Draft,
        };

        /// <summary>What the one writer saves for this sheet: each element once, through the task that asks it.</summary>
        public Slice ToSlice() => new(Key.UnitId, [.. Cells.Select(c => new Slice.Cell(c.Element, c.Task))], Tasks,
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Key.Category} {Key.PeriodEnd:yyyy-MM-dd}"), "CategorySheet", RouteKey);

        /// <summary>The sheet's address: unit code, category and period end (<c>652301004002/PartyBuilding/2026-12-31</c>).</summary>
        public string RouteKey => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Unit.Code}/{Key.Category}/{Key.PeriodEnd:yyyy-MM-dd}");

        /// <summary>The topics in the order a cadre meets them, each with its elements.</summary>
        public IEnumerable<IGrouping<string, Cell>> Topics => Cells.GroupBy(c => c.Topic);
    }

    /// <summary>The unit's sheets, due soonest first; accepted ones only if due on or after <paramref name="acceptedSince"/>.</summary>
    public static async Task<List<Sheet>> OfUnitAsync(OneFormDbContext db, int unitId, DateOnly acceptedSince, CancellationToken cancellationToken = default)
    {
        var tasks = await Tasks(db, tracked: false).Where(t => t.OrgUnitId == unitId).ToListAsync(cancellationToken);
        var groups = tasks.GroupBy(KeyOf)
            .Where(g => g.Any(t => t.Status != TaskState.Accepted) || g.Min(t => t.Deadline) >= acceptedSince)
            .ToList();
        return (await BuildAsync(db, groups, cancellationToken)).OrderBy(s => s.Deadline).ThenBy(s => s.Key.Category).ToList();
    }

    /// <summary>
    /// The sheets of the units below a reviewer's unit (its subtree, the unit itself excluded) that wait on someone: submitted
    /// and not yet accepted, due soonest first.
    /// </summary>
    public static async Task<List<Sheet>> SubmittedBelowAsync(OneFormDbContext db, OrgUnit above, CancellationToken cancellationToken = default)
    {
        var below = OrgUnitQueries.IdsInSubtree(db, above.Path).Where(id => id != above.Id);
        var waiting = await db.FillingTasks.AsNoTracking().Where(t => below.Contains(t.OrgUnitId) && t.Status == TaskState.Submitted)
            .Select(t => new { t.OrgUnitId, t.Form!.Category, t.PeriodCode }).Distinct().ToListAsync(cancellationToken);
        var unitIds = waiting.Select(w => w.OrgUnitId).Distinct().ToList();
        var tasks = await Tasks(db, tracked: false).Where(t => unitIds.Contains(t.OrgUnitId)).ToListAsync(cancellationToken);
        var keys = waiting.Select(w => new Key(w.OrgUnitId, w.Category, Period.Parse(w.PeriodCode).End)).ToHashSet();
        var groups = tasks.GroupBy(KeyOf).Where(g => keys.Contains(g.Key)).ToList();
        return (await BuildAsync(db, groups, cancellationToken)).Where(s => s.State == TaskState.Submitted)
            .OrderBy(s => s.Deadline).ThenBy(s => s.Unit.Code, StringComparer.Ordinal).ThenBy(s => s.Key.Category).ToList();
    }

    /// <summary>One sheet with its tasks tracked, so its steps can move them; null when the unit has no task of it.</summary>
    public static async Task<Sheet?> FindAsync(OneFormDbContext db, int unitId, FormCategory category, DateOnly periodEnd, CancellationToken cancellationToken = default)
    {
        // The periods of any cycle that end on the day (a month, its quarter, half-year and year): found by the database.
        var codes = Enum.GetValues<ReportingCycle>().Select(c => Period.Containing(c, periodEnd)).Where(p => p.End == periodEnd)
            .Select(p => p.ToString()).Distinct().ToList();
        var tasks = (await Tasks(db, tracked: true).Where(t => t.OrgUnitId == unitId && t.Form!.Category == category && codes.Contains(t.PeriodCode))
                .ToListAsync(cancellationToken))
            .GroupBy(KeyOf).ToList();
        return tasks.Count == 0 ? null : (await BuildAsync(db, tasks, cancellationToken))[0];
    }

    /// <summary>The sheet holding a task (a form's page links to it).</summary>
    public static Key KeyOf(FillingTask task) => new(task.OrgUnitId, task.Form!.Category, Period.Parse(task.PeriodCode).End);

    /// <summary>Parses a sheet's route values; false when they name no category or date.</summary>
    public static bool TryParseRoute(string? category, string? end, out FormCategory parsedCategory, out DateOnly parsedEnd)
    {
        parsedEnd = default;
        return Enum.TryParse(category, ignoreCase: false, out parsedCategory) && Enum.IsDefined(parsedCategory)
            && DateOnly.TryParseExact(end, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out parsedEnd);
    }

    private static IQueryable<FillingTask> Tasks(OneFormDbContext db, bool tracked)
    {
        var tasks = tracked ? db.FillingTasks : db.FillingTasks.AsNoTracking();
        return tasks.Include(t => t.OrgUnit)
            .Include(t => t.Form!).ThenInclude(f => f.Sections).ThenInclude(s => s.Fields).ThenInclude(f => f.DataElement)
            .AsSplitQuery();
    }

    private static async Task<List<Sheet>> BuildAsync(OneFormDbContext db, List<IGrouping<Key, FillingTask>> groups, CancellationToken cancellationToken)
    {
        var units = groups.Select(g => g.Key.UnitId).Distinct().ToList();
        var periods = groups.SelectMany(g => g.Select(t => t.PeriodCode)).Distinct().ToList();
        var values = (await db.DataValues.AsNoTracking().Where(v => units.Contains(v.OrgUnitId) && periods.Contains(v.PeriodCode)).ToListAsync(cancellationToken))
            .ToDictionary(v => (v.OrgUnitId, v.DataElementId, v.PeriodCode));
        return [.. groups.Select(g => new Sheet(g.Key, g.Min(t => t.Deadline), [.. g.OrderBy(t => t.Form!.Code)], Cells(g.Key.UnitId, g, values)))];
    }

    /// <summary>
    /// Each element of the sheet's forms once, in the shortest of the sheet's periods that asks it (through the first form
    /// by code that asks it there), under the title of the section that form shows it in; topics in the order the forms give them.
    /// </summary>
    private static List<Cell> Cells(int unitId, IEnumerable<FillingTask> tasks, Dictionary<(int, int, string), DataValue> values) =>
        tasks.OrderBy(t => Period.Parse(t.PeriodCode).End.DayNumber - Period.Parse(t.PeriodCode).Start.DayNumber).ThenBy(t => t.Form!.Code, StringComparer.Ordinal)
            .SelectMany(t => t.Form!.Sections.Where(s => s.Kind == SectionKind.Fields).OrderBy(s => s.Order)
                .SelectMany(s => s.Fields.OrderBy(f => f.Order).Select(f => (Task: t, Section: s, Element: f.DataElement!))))
            .DistinctBy(x => x.Element.Id)
            .Select(x => new Cell(x.Element, x.Task, x.Section, values.GetValueOrDefault((unitId, x.Element.Id, x.Task.PeriodCode))))
            .GroupBy(c => c.Topic)
            .SelectMany(g => g)
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
