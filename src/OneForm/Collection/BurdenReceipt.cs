using Microsoft.EntityFrameworkCore;
using OneForm.Data;

namespace OneForm.Collection;

/// <summary>
/// Values counted by where they come from: typed by the unit (on a page, in a file or through the API), filled by
/// OneForm (from the registry, from ledgers and activity records, computed over periods, by formula), or carried
/// forward from the previous period and confirmed (上期值), which is counted apart: neither typed nor filled.
/// </summary>
public sealed record ValueOrigins(int Typed, int Registry, int Ledger, int OverTime, int Formula, int CarriedForward)
{
    public static readonly ValueOrigins None = new(0, 0, 0, 0, 0, 0);

    /// <summary>What OneForm filled: registry, ledgers, other periods and formulas.</summary>
    public int Filled => Registry + Ledger + OverTime + Formula;

    public int Total => Typed + Filled + CarriedForward;

    /// <summary>
    /// The share of the values a unit would otherwise type that OneForm fills: filled over typed and filled. Values
    /// carried forward are counted apart, in neither, since the cadre still confirms them.
    /// </summary>
    public double ShareFilled => Typed + Filled == 0 ? 0 : Math.Round(Filled / (double)(Typed + Filled), 3);

    public static ValueOrigins operator +(ValueOrigins a, ValueOrigins b) => new(a.Typed + b.Typed, a.Registry + b.Registry, a.Ledger + b.Ledger,
        a.OverTime + b.OverTime, a.Formula + b.Formula, a.CarriedForward + b.CarriedForward);

    /// <summary>Counts values of the given sources, each once.</summary>
    public static ValueOrigins Of(IEnumerable<ValueSource> sources)
    {
        var counts = sources.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        int Count(ValueSource source) => counts.GetValueOrDefault(source);
        return new(Count(ValueSource.Entered) + Count(ValueSource.Imported), Count(ValueSource.Derived), Count(ValueSource.Ledger),
            Count(ValueSource.OverTime), Count(ValueSource.Formula), Count(ValueSource.CarriedForward));
    }
}

/// <summary>
/// A burden receipt (减负账单): for a unit and some periods, how many values it typed, how many OneForm filled and how,
/// how many it carried forward, and the minutes saved at <see cref="MinutesPerField"/> for each value filled.
/// </summary>
public sealed record Receipt(ValueOrigins Values, double MinutesPerField)
{
    /// <summary>Minutes saved: the values OneForm filled, at the minutes it takes to type one. Carried-forward values are
    /// still read and confirmed, so they are not counted as saved.</summary>
    public double MinutesSaved => Math.Round(Values.Filled * MinutesPerField, 1);
}

/// <summary>A unit's receipts for the current quarter and year, for its home page.</summary>
public sealed record ReceiptTotals(string Unit, Period Quarter, Receipt QuarterReceipt, Period Year, Receipt YearReceipt);

/// <summary>
/// The burden receipt (减负账单), from the values a unit holds: after a submission (the task's or sheet's periods and
/// elements), and a quarter's and a year's totals. One function for a task, a sheet and a home page.
/// </summary>
public static class BurdenReceipt
{
    /// <summary>The minutes it takes to type one value (Admission:MinutesPerField, 2 by default), as the admission analysis counts.</summary>
    public static double MinutesPerField(IConfiguration configuration) => configuration.GetValue("Admission:MinutesPerField", 2.0);

    /// <summary>
    /// The receipt of a unit for <paramref name="periods"/>, optionally only for <paramref name="elementIds"/> (a form's or
    /// a sheet's elements): each value the unit holds counted once, by its source.
    /// </summary>
    public static async Task<Receipt> ForAsync(OneFormDbContext db, int unitId, IEnumerable<Period> periods, IReadOnlyCollection<int>? elementIds,
        double minutesPerField, CancellationToken cancellationToken = default)
    {
        var codes = periods.Select(p => p.ToString()).Distinct().ToList();
        var values = db.DataValues.AsNoTracking().Where(v => v.OrgUnitId == unitId && codes.Contains(v.PeriodCode));
        if (elementIds is not null)
        {
            var ids = elementIds.ToList();
            values = values.Where(v => ids.Contains(v.DataElementId));
        }
        var counts = await values.GroupBy(v => v.Source).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        return new Receipt(ValueOrigins.Of(counts.SelectMany(c => Enumerable.Repeat(c.Key, c.Count))), minutesPerField);
    }

    /// <summary>A unit's receipts for the quarter and the year that contain <paramref name="today"/> (every period inside each).</summary>
    public static async Task<ReceiptTotals?> TotalsAsync(OneFormDbContext db, int unitId, DateOnly today, double minutesPerField,
        CancellationToken cancellationToken = default)
    {
        var unit = await db.OrgUnits.AsNoTracking().Where(u => u.Id == unitId).Select(u => u.Name).SingleOrDefaultAsync(cancellationToken);
        if (unit is null)
        {
            return null;
        }
        var quarter = Period.Containing(ReportingCycle.Quarterly, today);
        var year = Period.Containing(ReportingCycle.Annual, today);
        return new ReceiptTotals(unit, quarter, await ForAsync(db, unitId, Within(quarter), null, minutesPerField, cancellationToken),
            year, await ForAsync(db, unitId, Within(year), null, minutesPerField, cancellationToken));
    }

    /// <summary>A period and every shorter period inside it (a year: its months, quarters, half-years and itself).</summary>
    public static IEnumerable<Period> Within(Period whole) =>
        ((ReportingCycle[])[ReportingCycle.Monthly, ReportingCycle.Quarterly, ReportingCycle.HalfYearly])
            .SelectMany(c => OverTime.Parts(whole, c))
            // Parts starts from the part holding the whole's first day: the half-year holding Q4 is not inside Q4.
            .Where(p => p.Start >= whole.Start && p.End <= whole.End)
            .Append(whole)
            .Distinct();
}
