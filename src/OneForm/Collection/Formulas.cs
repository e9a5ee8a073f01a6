using Microsoft.EntityFrameworkCore;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Dictionary.Validation;

namespace OneForm.Collection;

/// <summary>
/// The values of indicators (<see cref="ElementFormulas"/>): whenever a value of a part is set, by whichever writer
/// (typed, uploaded, derived, from a ledger, over time), every indicator naming it is computed again for that unit
/// and period in the same unit of work, so an indicator always follows its parts. A part without a value, or a
/// division by zero, leaves the indicator without a value: never a made-up 0.
/// </summary>
public static class Formulas
{
    /// <summary>The indicators in force, with their formulas parsed.</summary>
    private sealed record Indicator(DataElement Element, RuleExpression Formula, List<string> Parts);

    private static async Task<List<Indicator>> IndicatorsAsync(OneFormDbContext db, CancellationToken cancellationToken) =>
        [.. (await db.DataElements.AsNoTracking().Where(e => e.Formula != null && !e.IsRetired).ToListAsync(cancellationToken))
            .Select(e => (Element: e, Formula: ElementFormulas.Parse(e)))
            .Where(x => x.Formula is not null)
            .Select(x => new Indicator(x.Element, x.Formula!, [.. ElementFormulas.Parts(x.Formula!)]))];

    /// <summary>After values of <paramref name="changed"/> were set for a unit and period (tracked, not yet saved), sets the indicators that follow.</summary>
    public static Task<List<ValueChanged>> RecomputeAsync(OneFormDbContext db, int unitId, IReadOnlyCollection<DataElement> changed, string periodCode,
        string actor, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        RecomputeAsync(db, [unitId], [.. changed.Select(e => e.Id)], periodCode, actor, now, cancellationToken);

    /// <summary>After a writer's changes to one unit, in any periods (a typed period and the longer ones that followed it).</summary>
    public static async Task<List<ValueChanged>> RecomputeAsync(OneFormDbContext db, int unitId, IReadOnlyCollection<ValueChanged> changed,
        string actor, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var result = new List<ValueChanged>();
        foreach (var period in changed.GroupBy(c => c.Period).ToList())
        {
            result.AddRange(await RecomputeAsync(db, [unitId], [.. period.Select(c => c.Element.Id).Distinct()], period.Key, actor, now, cancellationToken));
        }
        return result;
    }

    /// <summary>After values of elements <paramref name="changedIds"/> were set for some units in one period (the registry and the ledgers write many at once).</summary>
    public static async Task<List<ValueChanged>> RecomputeAsync(OneFormDbContext db, IReadOnlyCollection<int> unitIds, IReadOnlyCollection<int> changedIds,
        string periodCode, string actor, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (unitIds.Count == 0 || changedIds.Count == 0)
        {
            return [];
        }
        var indicators = await IndicatorsAsync(db, cancellationToken);
        if (indicators.Count == 0)
        {
            return [];
        }
        var codes = await db.DataElements.AsNoTracking().Where(e => changedIds.Contains(e.Id)).Select(e => e.Code).ToListAsync(cancellationToken);
        var following = Following(indicators, codes);
        if (following.Count == 0)
        {
            return [];
        }
        var partCodes = following.SelectMany(i => i.Parts).Concat(following.Select(i => i.Element.Code)).Distinct().ToList();
        var elements = await db.DataElements.AsNoTracking().Where(e => partCodes.Contains(e.Code)).ToDictionaryAsync(e => e.Code, cancellationToken);
        var ids = elements.Values.Select(e => e.Id).ToList();
        var values = await HeldAsync(db, unitIds, ids, periodCode, cancellationToken);

        var result = new List<ValueChanged>();
        foreach (var unit in unitIds.Distinct())
        {
            double? Number(ElementReference reference) =>
                elements.TryGetValue(reference.Code, out var part) ? values.GetValueOrDefault((unit, part.Id))?.Number : null;
            // In order of dependence, so an indicator over another indicator sees its new value.
            foreach (var indicator in following)
            {
                var key = (unit, indicator.Element.Id);
                values.TryGetValue(key, out var stored);
                var value = ElementFormulas.Value(indicator.Element, indicator.Formula.Evaluate(Number));
                if (value is null && (stored is null || stored.Source != ValueSource.Formula))
                {
                    // Nothing to compute; a value from before the element became an indicator is left as it was.
                    continue;
                }
                if (value is { } v && stored?.Value == v.Value && stored.Source == ValueSource.Formula)
                {
                    continue;
                }
                result.Add(new(periodCode, indicator.Element, stored?.Value, value?.Value, unit));
                var row = ValueHistory.Set(db, stored, indicator.Element.Id, unit, periodCode, value?.Value, value?.Number, ValueSource.Formula, actor, now);
                if (row is null)
                {
                    values.Remove(key);
                }
                else
                {
                    values[key] = row;
                }
            }
        }
        return result;
    }

    /// <summary>Every value of an indicator computed again wherever its parts are held: after its formula is set or changed.</summary>
    public static async Task<int> RecomputeEverywhereAsync(OneFormDbContext db, DataElement indicator, string actor, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        if (ElementFormulas.Parse(indicator) is not { } formula)
        {
            return 0;
        }
        var codes = ElementFormulas.Parts(formula).ToList();
        var parts = await db.DataElements.AsNoTracking().Where(e => codes.Contains(e.Code)).Select(e => e.Id).ToListAsync(cancellationToken);
        var places = await db.DataValues.AsNoTracking().Where(v => parts.Contains(v.DataElementId))
            .Select(v => new { v.OrgUnitId, v.PeriodCode }).Distinct().ToListAsync(cancellationToken);
        var changed = 0;
        foreach (var period in places.GroupBy(p => p.PeriodCode))
        {
            changed += (await RecomputeAsync(db, [.. period.Select(p => p.OrgUnitId)], parts, period.Key, actor, now, cancellationToken)).Count;
        }
        return changed;
    }

    /// <summary>The indicators that follow a change of <paramref name="codes"/>, directly or through other indicators, parts before wholes.</summary>
    private static List<Indicator> Following(List<Indicator> indicators, IEnumerable<string> codes)
    {
        var affected = new HashSet<string>(codes);
        var ordered = new List<Indicator>();
        // A pass per level of nesting; formulas are checked against cycles when saved, and the bound keeps a bad one from looping.
        for (var pass = 0; pass <= indicators.Count; pass++)
        {
            var next = indicators.Where(i => !ordered.Contains(i) && i.Parts.Any(affected.Contains)).ToList();
            if (next.Count == 0)
            {
                break;
            }
            ordered.AddRange(next);
            affected.UnionWith(next.Select(i => i.Element.Code));
        }
        // An indicator over another that also changed comes after it.
        return Sorted(ordered);
    }

    private static List<Indicator> Sorted(List<Indicator> indicators)
    {
        var codes = indicators.Select(i => i.Element.Code).ToHashSet();
        var done = new HashSet<string>();
        var sorted = new List<Indicator>();
        while (sorted.Count < indicators.Count)
        {
            var ready = indicators.Where(i => !done.Contains(i.Element.Code) && i.Parts.All(p => !codes.Contains(p) || done.Contains(p))).ToList();
            if (ready.Count == 0)
            {
                // A cycle slipped in: the rest in any order rather than none.
                ready = [.. indicators.Where(i => !done.Contains(i.Element.Code))];
            }
            sorted.AddRange(ready);
            done.UnionWith(ready.Select(i => i.Element.Code));
        }
        return sorted;
    }

    /// <summary>
    /// The values held for units, elements and a period, as the writer's unit of work sees them: tracked rows as
    /// changed in memory, rows added in it included, rows removed in it left out.
    /// </summary>
    private static async Task<Dictionary<(int Unit, int Element), DataValue>> HeldAsync(OneFormDbContext db, IReadOnlyCollection<int> unitIds,
        List<int> elementIds, string periodCode, CancellationToken cancellationToken)
    {
        var rows = await db.DataValues.Where(v => v.PeriodCode == periodCode && elementIds.Contains(v.DataElementId) && unitIds.Contains(v.OrgUnitId))
            .ToListAsync(cancellationToken);
        var entries = db.ChangeTracker.Entries<DataValue>().ToList();
        var removed = entries.Where(e => e.State == EntityState.Deleted).Select(e => e.Entity).ToHashSet();
        return rows.Where(v => !removed.Contains(v))
            .Concat(entries.Where(e => e.State == EntityState.Added).Select(e => e.Entity)
                .Where(v => v.PeriodCode == periodCode && elementIds.Contains(v.DataElementId) && unitIds.Contains(v.OrgUnitId)))
            .Distinct()
            .ToDictionary(v => (v.OrgUnitId, v.DataElementId));
    }
}
