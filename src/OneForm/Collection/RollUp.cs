using Microsoft.EntityFrameworkCore;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Organization;

namespace OneForm.Collection;

/// <summary>
/// Live figures for a unit: every element's values over its subtree, summed or averaged by the element's aggregation,
/// with how many units reported and how many of those values are accepted. Computed by the database on each request;
/// nothing is rebuilt in batches.
/// </summary>
public static class RollUp
{
    /// <param name="Accepted">How many of the reported values are accepted.</param>
    public sealed record Figure(int ElementId, double? Value, int Reported, int Accepted);

    /// <summary>The figures of all values, or with <paramref name="acceptedOnly"/> of accepted values only.</summary>
    /// <remarks>An indicator is its formula over its parts' figures, never a sum or an average of the units' own indicators:
    /// a street's mediation rate is its successes over its disputes. It counts as reported (and accepted) by as many units as
    /// the least reported of its parts.</remarks>
    public static async Task<Dictionary<int, Figure>> ComputeAsync(OneFormDbContext db, OrgUnit unit, string periodCode,
        IReadOnlyCollection<DataElement> elements, bool acceptedOnly = false, CancellationToken cancellationToken = default)
    {
        var indicators = elements.Select(e => (Element: e, Formula: ElementFormulas.Parse(e))).Where(x => x.Formula is not null).ToList();
        var parts = await PartsAsync(db, indicators.Select(i => i.Formula!), cancellationToken);
        var rolled = elements.Where(e => e.Aggregation != Aggregation.None && e.IsNumeric && e.Formula is null)
            .Concat(parts.Values.Where(e => e.Formula is null)).DistinctBy(e => e.Id).ToList();
        var figures = await SumsAsync(db, unit, periodCode, rolled, acceptedOnly, cancellationToken);
        foreach (var (indicator, formula) in indicators)
        {
            if (Over(formula!, parts, figures) is { } figure)
            {
                figures[indicator.Id] = figure with { ElementId = indicator.Id };
            }
        }
        return figures;
    }

    /// <summary>Every element an indicator is computed from, through indicators over indicators, by code.</summary>
    private static async Task<Dictionary<string, DataElement>> PartsAsync(OneFormDbContext db, IEnumerable<Dictionary.Validation.RuleExpression> formulas,
        CancellationToken cancellationToken)
    {
        var parts = new Dictionary<string, DataElement>();
        var codes = formulas.SelectMany(ElementFormulas.Parts).Distinct().ToList();
        // One query per level of nesting; formulas are checked against cycles when saved, so the depth is bounded.
        for (var depth = 0; codes.Count > 0 && depth < 10; depth++)
        {
            var found = await db.DataElements.AsNoTracking().Where(e => codes.Contains(e.Code)).ToListAsync(cancellationToken);
            found.ForEach(e => parts[e.Code] = e);
            codes = [.. found.Select(ElementFormulas.Parse).OfType<Dictionary.Validation.RuleExpression>().SelectMany(ElementFormulas.Parts).Distinct()
                .Where(c => !parts.ContainsKey(c))];
        }
        return parts;
    }

    private static Figure? Over(Dictionary.Validation.RuleExpression formula, Dictionary<string, DataElement> parts, Dictionary<int, Figure> figures)
    {
        var used = new List<Figure>();
        Figure? Part(string code)
        {
            if (!parts.TryGetValue(code, out var element))
            {
                return null;
            }
            return ElementFormulas.Parse(element) is { } inner ? Over(inner, parts, figures) : figures.GetValueOrDefault(element.Id);
        }
        double? Number(Dictionary.Validation.ElementReference reference)
        {
            if (Part(reference.Code) is not { } figure)
            {
                return null;
            }
            used.Add(figure);
            return figure.Value;
        }
        var value = formula.Evaluate(Number);
        var rounded = value is { } v && !double.IsNaN(v) && !double.IsInfinity(v) ? Math.Round(v, 2) : (double?)null;
        return used.Count == 0 ? null : new Figure(0, rounded, used.Min(f => f.Reported), used.Min(f => f.Accepted));
    }

    private static async Task<Dictionary<int, Figure>> SumsAsync(OneFormDbContext db, OrgUnit unit, string periodCode,
        IReadOnlyCollection<DataElement> elements, bool acceptedOnly, CancellationToken cancellationToken)
    {
        var ids = elements.Select(e => e.Id).ToList();
        var values = db.DataValues
            .Where(v => v.PeriodCode == periodCode && ids.Contains(v.DataElementId) && v.Number != null)
            .Join(db.OrgUnits.InSubtree(unit.Path), v => v.OrgUnitId, u => u.Id, (v, _) => v);
        var accepted = await Figures(AcceptedValues.Of(db, values));
        var all = acceptedOnly ? accepted : await Figures(values);
        var byId = elements.ToDictionary(e => e.Id);
        return all.ToDictionary(r => r.ElementId, r => new Figure(r.ElementId,
            byId[r.ElementId].Aggregation == Aggregation.Average ? r.Sum / r.Count : r.Sum, r.Count,
            accepted.FirstOrDefault(a => a.ElementId == r.ElementId)?.Count ?? 0));

        Task<List<Sums>> Figures(IQueryable<DataValue> over) => over
            .GroupBy(v => v.DataElementId)
            .Select(g => new Sums(g.Key, g.Sum(v => v.Number!.Value), g.Count()))
            .ToListAsync(cancellationToken);
    }

    private sealed record Sums(int ElementId, double Sum, int Count);
}

/// <summary>
/// Which values are accepted: a value (element × unit × period) counts as accepted when a task of that unit and
/// period whose form holds the element is accepted. Reopening takes every such task back when the value changes, so
/// an accepted value is still the one that was accepted.
/// </summary>
public static class AcceptedValues
{
    public static IQueryable<DataValue> Of(OneFormDbContext db, IQueryable<DataValue> values) =>
        values.Where(v => db.FillingTasks.Any(t => t.Status == TaskState.Accepted && t.OrgUnitId == v.OrgUnitId && t.PeriodCode == v.PeriodCode
            && db.FormSections.Any(s => s.FormId == t.FormId && s.Fields.Any(f => f.DataElementId == v.DataElementId))));
}
