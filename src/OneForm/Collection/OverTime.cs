using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Dictionary;

namespace OneForm.Collection;

/// <summary>A value that changed for a unit, as one writer passes it on (to reopening, audit and the answer).</summary>
/// <summary>A value that changed; <paramref name="UnitId"/> is set where one writer changes many units at once (the registry).</summary>
public sealed record ValueChanged(string Period, DataElement Element, string? Before, string? After, int UnitId = 0);

/// <summary>
/// Values of longer periods computed from shorter ones: a quarter from its months, a half-year from its quarters or
/// months, a year from the finest parts the unit holds, by the element's <see cref="TimeAggregation"/>. Such a value is
/// never asked again: it is shown with where it came from, and a correction to a month changes its quarter and year.
/// Where a unit has no shorter values, the longer period's value is typed as before.
/// </summary>
public static class OverTime
{
    /// <summary>The longer periods that contain <paramref name="period"/>, shortest first (a month: its quarter, half-year, year).</summary>
    public static IEnumerable<Period> Enclosing(Period period)
    {
        var day = period.End;
        foreach (var cycle in (ReportingCycle[])[ReportingCycle.Quarterly, ReportingCycle.HalfYearly, ReportingCycle.Annual])
        {
            if (Length(cycle) > Length(period.Cycle))
            {
                yield return Period.Containing(cycle, day);
            }
        }
    }

    /// <summary>The periods of <paramref name="cycle"/> that make up <paramref name="whole"/>, in order.</summary>
    public static IEnumerable<Period> Parts(Period whole, ReportingCycle cycle)
    {
        for (var part = Period.Containing(cycle, whole.Start); part.End <= whole.End; part = part.Next)
        {
            yield return part;
            if (part.End == whole.End)
            {
                yield break;
            }
        }
    }

    /// <summary>The shorter cycles a period can be made of, finest first.</summary>
    private static IEnumerable<ReportingCycle> Finer(ReportingCycle cycle) =>
        ((ReportingCycle[])[ReportingCycle.Monthly, ReportingCycle.Quarterly, ReportingCycle.HalfYearly]).Where(c => Length(c) < Length(cycle));

    private static int Length(ReportingCycle cycle) => cycle switch
    {
        ReportingCycle.Monthly => 1,
        ReportingCycle.Quarterly => 3,
        ReportingCycle.HalfYearly => 6,
        ReportingCycle.Annual => 12,
        _ => int.MaxValue,
    };

    /// <summary>
    /// Of <paramref name="elements"/>, those whose value for <paramref name="period"/> the unit's shorter periods make:
    /// for each, the parts it is made of (so a form shows it read-only, with where it came from).
    /// </summary>
    public static async Task<Dictionary<int, List<Period>>> MadeOfPartsAsync(OneFormDbContext db, int unitId, IReadOnlyCollection<DataElement> elements,
        Period period, CancellationToken cancellationToken = default)
    {
        var combined = elements.Where(e => e.TimeAggregation != TimeAggregation.None).Select(e => e.Id).ToList();
        if (combined.Count == 0 || period.Cycle is ReportingCycle.Monthly or ReportingCycle.OneOff)
        {
            return [];
        }
        var codes = Finer(period.Cycle).SelectMany(c => Parts(period, c)).Select(p => p.ToString()).ToList();
        var held = await db.DataValues.AsNoTracking()
            .Where(v => v.OrgUnitId == unitId && combined.Contains(v.DataElementId) && codes.Contains(v.PeriodCode))
            .Select(v => new { v.DataElementId, v.PeriodCode }).ToListAsync(cancellationToken);
        return held.GroupBy(v => v.DataElementId).ToDictionary(g => g.Key, g =>
        {
            var parts = g.Select(v => Period.Parse(v.PeriodCode)).ToList();
            var finest = parts.MinBy(p => Length(p.Cycle)).Cycle;
            return parts.Where(p => p.Cycle == finest).OrderBy(p => p.Start).ToList();
        });
    }

    /// <summary>
    /// After values of <paramref name="changed"/> were set (tracked, not yet saved), recomputes every longer period that
    /// contains it for those elements, writing values and history in the same unit of work; returns what changed.
    /// </summary>
    public static async Task<List<ValueChanged>> RecomputeAsync(OneFormDbContext db, int unitId, IReadOnlyCollection<DataElement> elements, Period changed,
        string actor, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var combined = elements.Where(e => e.TimeAggregation != TimeAggregation.None).ToList();
        var enclosing = Enclosing(changed).ToList();
        if (combined.Count == 0 || enclosing.Count == 0)
        {
            return [];
        }
        var ids = combined.Select(e => e.Id).ToList();
        var year = enclosing[^1];
        var codes = Finer(ReportingCycle.Annual).SelectMany(c => Parts(year, c)).Append(year).Select(p => p.ToString()).ToList();
        // Tracked rows come back as changed in memory; rows added or removed in this unit of work are taken from the tracker.
        var rows = await db.DataValues.Where(v => v.OrgUnitId == unitId && ids.Contains(v.DataElementId) && codes.Contains(v.PeriodCode))
            .ToListAsync(cancellationToken);
        var entries = db.ChangeTracker.Entries<DataValue>().ToList();
        var removed = entries.Where(e => e.State == EntityState.Deleted).Select(e => e.Entity).ToHashSet();
        var values = rows.Where(v => !removed.Contains(v))
            .Concat(entries.Where(e => e.State == EntityState.Added).Select(e => e.Entity)
                .Where(v => v.OrgUnitId == unitId && ids.Contains(v.DataElementId) && codes.Contains(v.PeriodCode)))
            .Distinct()
            .ToDictionary(v => (v.DataElementId, v.PeriodCode));

        var result = new List<ValueChanged>();
        foreach (var whole in enclosing)
        {
            foreach (var element in combined)
            {
                var parts = Finer(whole.Cycle)
                    .Select(c => Parts(whole, c).Select(p => values.GetValueOrDefault((element.Id, p.ToString()))).OfType<DataValue>().ToList())
                    .FirstOrDefault(held => held.Count > 0);
                var key = (element.Id, whole.ToString());
                values.TryGetValue(key, out var stored);
                if (parts is null)
                {
                    if (stored?.Source == ValueSource.OverTime)
                    {
                        // Its parts were all cleared: so is the value made of them.
                        result.Add(new(whole.ToString(), element, stored.Value, null));
                        ValueHistory.Set(db, stored, element.Id, unitId, whole.ToString(), null, null, ValueSource.OverTime, actor, now);
                        values.Remove(key);
                    }
                    continue;
                }
                var (value, number) = Combine(element.TimeAggregation, parts);
                if (stored?.Value == value && stored.Source == ValueSource.OverTime)
                {
                    continue;
                }
                result.Add(new(whole.ToString(), element, stored?.Value, value));
                values[key] = ValueHistory.Set(db, stored, element.Id, unitId, whole.ToString(), value, number, ValueSource.OverTime, actor, now)!;
            }
        }
        return result;
    }

    private static (string Value, double? Number) Combine(TimeAggregation aggregation, List<DataValue> parts)
    {
        var latest = parts[^1];
        if (aggregation == TimeAggregation.Last)
        {
            return (latest.Value, latest.Number);
        }
        // Added in decimal, so that 0.1 + 0.2 is 0.3 as the cadre expects, then kept like any typed number.
        var numbers = parts.Select(p => p.Number).OfType<double>().Select(n => (decimal)n).ToList();
        var total = aggregation == TimeAggregation.Average && numbers.Count > 0 ? Math.Round(numbers.Average(), 2) : numbers.Sum();
        return (total.ToString(CultureInfo.InvariantCulture), (double)total);
    }

    /// <summary>Where a value made of parts came from, in words: "由2026年10月至12月汇总".</summary>
    public static string Describe(TimeAggregation aggregation, IReadOnlyList<Period> parts, IStringLocalizer l)
    {
        var span = parts.Count == 1 ? PeriodNames.Name(parts[0], l) : l["{0} to {1}", PeriodNames.Name(parts[0], l), PeriodNames.Name(parts[^1], l)].Value;
        return aggregation switch
        {
            TimeAggregation.Sum => l["Added up from {0}", span],
            TimeAggregation.Average => l["Averaged over {0}", span],
            _ => l["Taken from {0}", PeriodNames.Name(parts[^1], l)],
        };
    }
}
