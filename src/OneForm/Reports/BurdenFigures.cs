using Microsoft.EntityFrameworkCore;
using OneForm.Admission;
using OneForm.Catalog;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Organization;

namespace OneForm.Reports;

public sealed record CountBy(string Key, int Count);

/// <summary>
/// The yearly load of a unit of a level from the forms in force: tasks, values (each element and period once), and
/// where they come from (<see cref="Origins"/>: typed, registry, ledgers, over periods, formula, carried forward).
/// <see cref="DerivedPerYear"/> is the registry's part, <see cref="ToTypePerYear"/> what the cadre types,
/// <see cref="SharePrefilled"/> the share OneForm fills of the values not carried forward, and
/// <see cref="LegacyPerYear"/> what the unit would type with every form typed on its own (each field of each form each
/// period). Where forms target unit groups, a level has one row for each set of those groups its units are in
/// (<see cref="Groups"/>, by name; empty: in none of them), since a village of 农村 fills forms a residents' committee does not.
/// </summary>
public sealed record LevelLoad(OrgUnitLevel Level, int Units, int TasksPerYear, int ValuesPerYear, int DerivedPerYear, int ToTypePerYear,
    double HoursPerYear, double SharePrefilled, IReadOnlyList<string> Groups, ValueOrigins Origins, int LegacyPerYear, double LegacyHoursPerYear);

/// <summary>
/// One unit's year so far, from its tasks and values: what it typed and what was prefilled (any other source), the
/// values by where they come from, and the legacy comparison: each field of each of its tasks' forms typed on its own.
/// </summary>
public sealed record UnitLoad(string Code, string Name, int Tasks, int Typed, int Prefilled, double Hours, double SharePrefilled,
    ValueOrigins Origins, int Legacy, double LegacyHours);

public sealed record DepartmentFigures(string Code, string Name, int FormsInForce, int PendingAdmissions, int ReportsAgainst, decimal Deductions);

public sealed record TrendPoint(string Month, int FormsInForce);

public sealed record Burden(int Year, CatalogueFigures Catalogue, IReadOnlyList<CountBy> ByCategory, IReadOnlyList<CountBy> ByCycle,
    IReadOnlyList<LevelLoad> Levels, IReadOnlyList<UnitLoad> Units, int PendingAdmissions, int OpenReports, int OverdueRectifications,
    IReadOnlyList<DepartmentFigures> Departments, IReadOnlyList<TrendPoint> Trend, double MinutesPerField);

/// <summary>
/// The burden dashboard, every figure computed from the data: the catalogue against its baseline; the yearly load of a
/// unit of each level from the forms in force (each element typed once a period, derived ones not typed); each unit's
/// year so far from its tasks and values; admissions and reports waiting; figures by department; forms in force month
/// by month. Nothing here counts what cadres do or how long they are online.
/// </summary>
public sealed class BurdenDashboard(OneFormDbContext db, AdmissionAnalyzer analyzer)
{
    public async Task<Burden> ComputeAsync(DateOnly today, CancellationToken cancellationToken = default)
    {
        var year = today.Year;
        var minutes = analyzer.MinutesPerField;
        var catalogue = await CatalogueFigures.ComputeAsync(db, cancellationToken);
        var forms = await db.Forms.AsNoTracking().Where(f => f.Status == FormStatus.Admitted)
            .Include(f => f.Sections).ThenInclude(s => s.Fields).ThenInclude(f => f.DataElement).AsSplitQuery().ToListAsync(cancellationToken);

        var levels = new List<LevelLoad>();
        // Elements a ledger rule fills (from a ledger kind's entries or from activity records).
        var ledgerFilled = (await db.LedgerRules.AsNoTracking().Select(r => r.DataElementId).ToListAsync(cancellationToken)).ToHashSet();
        var groupNames = (await UnitGroupQueries.AllAsync(db, cancellationToken)).ToDictionary(g => g.Code, g => g.Name);
        var unitCounts = await db.OrgUnits.GroupBy(u => u.Level).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        foreach (var level in Enum.GetValues<OrgUnitLevel>())
        {
            var theirs = forms.Where(f => f.Levels.Contains(level)).ToList();
            if (theirs.Count == 0)
            {
                continue;
            }
            foreach (var (groups, count) in await ProfilesAsync(level, theirs, unitCounts.GetValueOrDefault(level), cancellationToken))
            {
                var reaching = theirs.Where(f => f.Groups.Count == 0 || f.Groups.Any(groups.Contains)).ToList();
                var model = YearlyModel.Of(reaching, ledgerFilled);
                var origins = model.Origins;
                var separately = reaching.Sum(f => f.Fields.Count() * Period.PerYear(f.Cycle));
                levels.Add(new LevelLoad(level, count, reaching.Sum(f => Period.PerYear(f.Cycle)), origins.Total, origins.Registry,
                    origins.Typed, Math.Round(origins.Typed * minutes / 60.0, 1), origins.ShareFilled,
                    [.. groups.Select(g => groupNames.GetValueOrDefault(g, g))], origins, separately, Math.Round(separately * minutes / 60.0, 1)));
            }
        }

        // Each unit's year so far: its tasks, and the values of its periods typed or prefilled.
        var prefix = year.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var tasks = await db.FillingTasks.Where(t => t.PeriodCode.StartsWith(prefix)).GroupBy(t => t.OrgUnitId)
            .Select(g => new { Unit = g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Unit, x => x.Count, cancellationToken);
        var values = await db.DataValues.Where(v => v.PeriodCode.StartsWith(prefix)).GroupBy(v => new { v.OrgUnitId, v.Source })
            .Select(g => new { g.Key.OrgUnitId, g.Key.Source, Count = g.Count() }).ToListAsync(cancellationToken);
        var ids = tasks.Keys.Concat(values.Select(v => v.OrgUnitId)).Distinct().ToList();
        var names = await db.OrgUnits.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, cancellationToken);
        // The legacy comparison: each field of each of a unit's forms typed on its own, period by period.
        var fieldsPerForm = await db.Forms.AsNoTracking()
            .Select(f => new { f.Id, Count = f.Sections.Where(s => s.Kind == SectionKind.Fields).SelectMany(s => s.Fields).Count() })
            .ToDictionaryAsync(f => f.Id, f => f.Count, cancellationToken);
        var legacy = (await db.FillingTasks.Where(t => t.PeriodCode.StartsWith(prefix)).Select(t => new { t.OrgUnitId, t.FormId }).ToListAsync(cancellationToken))
            .GroupBy(t => t.OrgUnitId).ToDictionary(g => g.Key, g => g.Sum(t => fieldsPerForm.GetValueOrDefault(t.FormId)));
        var units = ids.Select(id =>
            {
                var typed = values.Where(v => v.OrgUnitId == id && v.Source == ValueSource.Entered).Sum(v => v.Count);
                var prefilled = values.Where(v => v.OrgUnitId == id && v.Source != ValueSource.Entered).Sum(v => v.Count);
                var origins = ValueOrigins.Of(values.Where(v => v.OrgUnitId == id).SelectMany(v => Enumerable.Repeat(v.Source, v.Count)));
                var before = legacy.GetValueOrDefault(id);
                return new UnitLoad(names[id].Code, names[id].Name, tasks.GetValueOrDefault(id), typed, prefilled, Math.Round(typed * minutes / 60.0, 1),
                    typed + prefilled == 0 ? 0 : Math.Round(prefilled / (double)(typed + prefilled), 3), origins, before, Math.Round(before * minutes / 60.0, 1));
            })
            .OrderByDescending(u => u.Hours).ThenBy(u => u.Code, StringComparer.Ordinal).ToList();

        var pending = await db.AdmissionRequests.CountAsync(r => r.State == AdmissionState.Submitted, cancellationToken);
        var reports = await db.Reports.AsNoTracking().ToListAsync(cancellationToken);
        var open = reports.Count(r => r.State is ReportState.Received or ReportState.Investigating or ReportState.Substantiated);
        var overdue = reports.Count(r => r.IsOverdue(today));

        var deductions = await db.Deductions.Where(d => d.Year == year).GroupBy(d => d.DepartmentId)
            .Select(g => new { g.Key, Points = g.Sum(d => d.Points) }).ToDictionaryAsync(x => x.Key, x => x.Points, cancellationToken);
        var requests = await db.AdmissionRequests.Where(r => r.State == AdmissionState.Submitted).GroupBy(r => r.DepartmentId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        var departments = (await db.Departments.AsNoTracking().OrderBy(d => d.Code).ToListAsync(cancellationToken))
            .Select(d => new DepartmentFigures(d.Code, d.Name, forms.Count(f => f.IssuingDepartmentId == d.Id), requests.GetValueOrDefault(d.Id),
                reports.Count(r => r.ResponsibleDepartmentId == d.Id && r.DecidedOn?.Year == year), deductions.GetValueOrDefault(d.Id)))
            .ToList();

        // Forms in force at the end of each of the last 24 months, from their validity.
        var spans = await db.Forms.AsNoTracking().Where(f => f.ValidFrom != null).Select(f => new { f.Code, f.ValidFrom, f.ValidTo }).ToListAsync(cancellationToken);
        var trend = Enumerable.Range(0, 24).Select(i => new DateOnly(today.Year, today.Month, 1).AddMonths(i - 23))
            .Select(month =>
            {
                var end = month.AddMonths(1).AddDays(-1);
                var count = spans.Where(s => s.ValidFrom <= end && (s.ValidTo is null || s.ValidTo >= end)).Select(s => s.Code).Distinct().Count();
                return new TrendPoint(month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), count);
            }).ToList();

        return new Burden(year, catalogue,
            [.. forms.GroupBy(f => f.Category).OrderBy(g => g.Key).Select(g => new CountBy(g.Key.ToString(), g.Select(f => f.Code).Distinct().Count()))],
            [.. forms.GroupBy(f => f.Cycle).OrderBy(g => g.Key).Select(g => new CountBy(g.Key.ToString(), g.Select(f => f.Code).Distinct().Count()))],
            levels, units, pending, open, overdue, departments, trend, minutes);
    }

    /// <summary>
    /// The units of a level split by which of the forms' target groups they are in (codes, in order), with how many
    /// units each set holds; one set, empty, when no form of the level targets groups.
    /// </summary>
    private async Task<List<(IReadOnlyList<string> Groups, int Units)>> ProfilesAsync(OrgUnitLevel level, List<Form> forms, int units,
        CancellationToken cancellationToken)
    {
        var targeted = forms.SelectMany(f => f.Groups).Distinct().Order(StringComparer.Ordinal).ToList();
        if (targeted.Count == 0)
        {
            return [([], units)];
        }
        var ofLevel = db.OrgUnits.Where(u => u.Level == level);
        var members = new Dictionary<string, HashSet<int>>();
        foreach (var group in targeted)
        {
            members[group] = await UnitGroupQueries.MemberIdsAsync(db, ofLevel, [group], cancellationToken);
        }
        var ids = await ofLevel.Select(u => u.Id).ToListAsync(cancellationToken);
        return ids.GroupBy(id => string.Join(',', targeted.Where(g => members[g].Contains(id))))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => ((IReadOnlyList<string>)g.Key.Split(',', StringSplitOptions.RemoveEmptyEntries), g.Count()))
            .ToList();
    }
}