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
    public static async Task<Dictionary<int, Figure>> ComputeAsync(OneFormDbContext db, OrgUnit unit, string periodCode,
        IReadOnlyCollection<DataElement> elements, bool acceptedOnly = false, CancellationToken cancellationToken = default)
    {
        var ids = elements.Where(e => e.Aggregation != Aggregation.None && e.IsNumeric).Select(e => e.Id).ToList();
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
