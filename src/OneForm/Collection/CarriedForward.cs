using Microsoft.EntityFrameworkCore;
using OneForm.Data;
using OneForm.Dictionary;

namespace OneForm.Collection;

/// <summary>
/// 上期值: a stock (party members, households) is what it was at the end of the previous period unless something
/// changed, so its last value is offered as the next period's starting point. The cadre keeps or changes it; a kept
/// one is stored as <see cref="ValueSource.CarriedForward"/> and counted apart from values typed and values OneForm computed.
/// </summary>
public static class CarriedForward
{
    /// <summary>Whether an element's values are carried forward: stocks, whose value over time is the latest.</summary>
    public static bool Carries(DataElement element) => element.TimeAggregation == TimeAggregation.Last && element.Formula is null;

    /// <summary>The value the element held for the unit in the period before <paramref name="period"/> (same cycle), if it is a stock and has one.</summary>
    public static async Task<string?> OfferAsync(OneFormDbContext db, int unitId, DataElement element, Period period, CancellationToken cancellationToken = default)
    {
        if (!Carries(element) || period.Cycle == ReportingCycle.OneOff)
        {
            return null;
        }
        var previous = period.Previous.ToString();
        return await db.DataValues.AsNoTracking().Where(v => v.OrgUnitId == unitId && v.DataElementId == element.Id && v.PeriodCode == previous)
            .Select(v => v.Value).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>The offers for several cells of one unit at once, by element and period, for those without a value of their own.</summary>
    public static async Task<Dictionary<(int ElementId, string Period), string>> OffersAsync(OneFormDbContext db, int unitId,
        IEnumerable<(DataElement Element, string Period)> cells, CancellationToken cancellationToken = default)
    {
        var wanted = cells.Where(c => Carries(c.Element) && Period.Parse(c.Period).Cycle != ReportingCycle.OneOff)
            .Select(c => (c.Element.Id, c.Period, Previous: Period.Parse(c.Period).Previous.ToString())).ToList();
        if (wanted.Count == 0)
        {
            return [];
        }
        var ids = wanted.Select(w => w.Id).Distinct().ToList();
        var previous = wanted.Select(w => w.Previous).Distinct().ToList();
        var held = await db.DataValues.AsNoTracking().Where(v => v.OrgUnitId == unitId && ids.Contains(v.DataElementId) && previous.Contains(v.PeriodCode))
            .ToDictionaryAsync(v => (v.DataElementId, v.PeriodCode), v => v.Value, cancellationToken);
        return wanted.Where(w => held.ContainsKey((w.Id, w.Previous))).ToDictionary(w => (w.Id, w.Period), w => held[(w.Id, w.Previous)]);
    }
}
