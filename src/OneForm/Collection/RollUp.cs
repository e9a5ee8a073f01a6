using Microsoft.EntityFrameworkCore;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Organization;

namespace OneForm.Collection;

/// <summary>
/// Live figures for a unit: every element's values over its subtree, summed or averaged by the element's aggregation,
/// with how many units reported. Computed by the database on each request; nothing is rebuilt in batches.
/// </summary>
public static class RollUp
{
    public sealed record Figure(int ElementId, double? Value, int Reported);

    public static async Task<Dictionary<int, Figure>> ComputeAsync(OneFormDbContext db, OrgUnit unit, string periodCode,
        IReadOnlyCollection<DataElement> elements, CancellationToken cancellationToken = default)
    {
        var ids = elements.Where(e => e.Aggregation != Aggregation.None && e.IsNumeric).Select(e => e.Id).ToList();
        var rows = await db.DataValues
            .Where(v => v.PeriodCode == periodCode && ids.Contains(v.DataElementId) && v.Number != null)
            .Join(db.OrgUnits.InSubtree(unit.Path), v => v.OrgUnitId, u => u.Id, (v, _) => v)
            .GroupBy(v => v.DataElementId)
            .Select(g => new { ElementId = g.Key, Sum = g.Sum(v => v.Number!.Value), Count = g.Count() })
            .ToListAsync(cancellationToken);
        var byId = elements.ToDictionary(e => e.Id);
        return rows.ToDictionary(r => r.ElementId, r => new Figure(r.ElementId,
            byId[r.ElementId].Aggregation == Aggregation.Average ? r.Sum / r.Count : r.Sum, r.Count));
    }
}
