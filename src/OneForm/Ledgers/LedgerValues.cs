using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OneForm.Catalog;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Media;

namespace OneForm.Ledgers;

/// <summary>A rule's figure for one unit and period: the value in its normal text form, and as a number where it is one.</summary>
public sealed record LedgerFigure(string Value, double? Number, int Records);

/// <summary>
/// Turns a unit's ledger entries and activity records into values: evaluates each ledger rule for the periods its
/// element is asked in, and writes the result as a value with the source <see cref="ValueSource.Ledger"/> and a
/// history row, the way <see cref="DerivedValues"/> writes the registry's counts. Called whenever an entry or an
/// activity is recorded or corrected, so the forms always hold the ledger's figures. A figure that changes under a
/// submitted or accepted form (an entry recorded late for a closed period) takes that form back to its unit, like a
/// typed change (<see cref="Reopening"/>).
/// </summary>
public sealed class LedgerValues(OneFormDbContext db, TimeProvider time, IEnumerable<ISubmissionReopened> listeners) : IActivityCounts
{
    public const string Actor = "ledger";

    /// <summary>The figures of a rule for the given units in a period; units with no matching records count 0 (a latest value: none).</summary>
    public async Task<Dictionary<int, LedgerFigure>> EvaluateAsync(LedgerRule rule, IReadOnlyCollection<int> units, Period period,
        CancellationToken cancellationToken = default)
    {
        var (from, to) = (period.Start, period.End);
        var records = new List<(int Unit, DateOnly On, long Id, Dictionary<int, string> Values)>();
        if (rule.Source == LedgerSource.Ledger)
        {
            var entries = await db.LedgerEntries.AsNoTracking()
                .Where(e => e.LedgerKindId == rule.LedgerKindId && units.Contains(e.OrgUnitId) && e.OccurredOn >= from && e.OccurredOn <= to)
                .Select(e => new { e.OrgUnitId, e.OccurredOn, e.Id, e.Values }).ToListAsync(cancellationToken);
            records.AddRange(entries.Select(e => (e.OrgUnitId, e.OccurredOn, e.Id, LedgerEntry.Read(e.Values))));
        }
        else
        {
            var activities = await db.Activities.AsNoTracking()
                .Where(a => a.Kind == rule.ActivityKind && units.Contains(a.OrgUnitId) && a.OccurredOn >= from && a.OccurredOn <= to)
                .Select(a => new { a.OrgUnitId, a.OccurredOn, a.Id, a.Participants }).ToListAsync(cancellationToken);
            // An activity's two figures stand as fields: 0 its date, 1 its participants.
            records.AddRange(activities.Select(a => (a.OrgUnitId, a.OccurredOn, (long)a.Id, new Dictionary<int, string>
            {
                [ActivityDateField] = a.OccurredOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                [ActivityParticipantsField] = a.Participants?.ToString(CultureInfo.InvariantCulture) ?? "",
            })));
        }
        var filters = rule.FilterList;
        var field = rule.Source == LedgerSource.Activities
            ? rule.Measure == LedgerMeasure.Sum ? ActivityParticipantsField : ActivityDateField
            : rule.FieldId ?? 0;
        var figures = new Dictionary<int, LedgerFigure>();
        foreach (var unit in units)
        {
            var matching = records.Where(r => r.Unit == unit && filters.All(f => r.Values.GetValueOrDefault(f.Field) == f.Option)).ToList();
            switch (rule.Measure)
            {
                case LedgerMeasure.Count:
                    figures[unit] = new(matching.Count.ToString(CultureInfo.InvariantCulture), matching.Count, matching.Count);
                    break;
                case LedgerMeasure.Sum:
                    var sum = matching.Sum(r => decimal.TryParse(r.Values.GetValueOrDefault(field), NumberStyles.Number, CultureInfo.InvariantCulture, out var n) ? n : 0m);
                    figures[unit] = new(sum.ToString(CultureInfo.InvariantCulture), (double)sum, matching.Count);
                    break;
                case LedgerMeasure.Latest:
                    var latest = matching.Where(r => r.Values.GetValueOrDefault(field) is { Length: > 0 })
                        .OrderByDescending(r => r.On).ThenByDescending(r => r.Id).FirstOrDefault();
                    if (latest.Values is not null)
                    {
                        var value = latest.Values[field];
                        figures[unit] = new(value, double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null, matching.Count);
                    }
                    break;
            }
        }
        return figures;
    }

    public const int ActivityDateField = 0;
    public const int ActivityParticipantsField = 1;

    /// <summary>
    /// Recomputes the rules over a ledger kind for a unit, in every period that holds one of the dates (an entry's old
    /// and new date); returns the forms sent back to the unit because a figure they held changed.
    /// </summary>
    public async Task<List<ReopenedTask>> EntryChangedAsync(int kindId, int unitId, IEnumerable<DateOnly> dates, string actor,
        CancellationToken cancellationToken = default)
    {
        var rules = await db.LedgerRules.AsNoTracking().Where(r => r.Source == LedgerSource.Ledger && r.LedgerKindId == kindId).ToListAsync(cancellationToken);
        var reopened = new List<ReopenedTask>();
        await RecomputeAsync(rules, unitId, dates, actor, reopened, cancellationToken);
        return reopened;
    }

    /// <summary>An activity was recorded: the 三会一课 counts of its unit and period follow.</summary>
    public async Task<IReadOnlyList<ReopenedTask>> RecordedAsync(Activity activity, CancellationToken cancellationToken = default)
    {
        var rules = await db.LedgerRules.AsNoTracking().Where(r => r.Source == LedgerSource.Activities && r.ActivityKind == activity.Kind).ToListAsync(cancellationToken);
        var reopened = new List<ReopenedTask>();
        await RecomputeAsync(rules, activity.OrgUnitId, [activity.OccurredOn], activity.CreatedBy, reopened, cancellationToken);
        return reopened;
    }

    /// <summary>
    /// Recomputes one rule wherever it has records: after the rule is saved (forms holding a figure that changes go back
    /// to their units), and when the demo is seeded.
    /// </summary>
    public async Task<int> RuleChangedAsync(LedgerRule rule, CancellationToken cancellationToken = default)
    {
        var places = rule.Source == LedgerSource.Ledger
            ? await db.LedgerEntries.AsNoTracking().Where(e => e.LedgerKindId == rule.LedgerKindId).Select(e => new { e.OrgUnitId, e.OccurredOn }).Distinct().ToListAsync(cancellationToken)
            : await db.Activities.AsNoTracking().Where(a => a.Kind == rule.ActivityKind).Select(a => new { a.OrgUnitId, a.OccurredOn }).Distinct().ToListAsync(cancellationToken);
        var changed = 0;
        foreach (var unit in places.GroupBy(p => p.OrgUnitId))
        {
            changed += await RecomputeAsync([rule], unit.Key, unit.Select(p => p.OccurredOn), Actor, [], cancellationToken);
        }
        return changed;
    }

    /// <summary>The periods an element is asked in that hold a date: one per cycle of the admitted forms that use it.</summary>
    public async Task<List<Period>> PeriodsAsync(int elementId, IEnumerable<DateOnly> dates, CancellationToken cancellationToken = default)
    {
        var cycles = await db.Forms.AsNoTracking().Where(f => f.Status == FormStatus.Admitted && f.Sections.Any(s => s.Fields.Any(x => x.DataElementId == elementId)))
            .Select(f => f.Cycle).Distinct().ToListAsync(cancellationToken);
        return [.. dates.Distinct().SelectMany(d => cycles.Select(c => Period.Containing(c, d))).Distinct()];
    }

    private async Task<int> RecomputeAsync(IReadOnlyList<LedgerRule> rules, int unitId, IEnumerable<DateOnly> dates, string actor,
        List<ReopenedTask> reopened, CancellationToken cancellationToken)
    {
        var changed = 0;
        var days = dates.ToList();
        foreach (var rule in rules)
        {
            foreach (var period in await PeriodsAsync(rule.DataElementId, days, cancellationToken))
            {
                var figures = await EvaluateAsync(rule, [unitId], period, cancellationToken);
                if (await WriteAsync(rule, unitId, period.ToString(), figures.GetValueOrDefault(unitId), actor, cancellationToken) is { } sentBack)
                {
                    changed++;
                    reopened.AddRange(sentBack);
                }
            }
        }
        return changed;
    }

    /// <summary>A rule's figure for a unit and period that holds no value yet: a count or sum over no records is 0.</summary>
    public async Task<int> FillAsync(LedgerRule rule, int unitId, Period period, CancellationToken cancellationToken = default)
    {
        var figures = await EvaluateAsync(rule, [unitId], period, cancellationToken);
        return await WriteAsync(rule, unitId, period.ToString(), figures.GetValueOrDefault(unitId), reopenedBy: null, cancellationToken) is null ? 0 : 1;
    }

    /// <summary>
    /// Writes a rule's figure when it differs from the stored value; null when nothing changed, otherwise the forms the
    /// change sent back to the unit (none when <paramref name="reopenedBy"/> is null: filling an empty count reopens nothing).
    /// </summary>
    private async Task<List<ReopenedTask>?> WriteAsync(LedgerRule rule, int unitId, string period, LedgerFigure? figure, string? reopenedBy,
        CancellationToken cancellationToken)
    {
        var stored = await db.DataValues.SingleOrDefaultAsync(v => v.DataElementId == rule.DataElementId && v.OrgUnitId == unitId && v.PeriodCode == period, cancellationToken);
        if (stored?.Value == figure?.Value && (figure is null || stored?.Source == ValueSource.Ledger))
        {
            return null;
        }
        // No latest value (every entry removed from the period) takes back only what the ledger wrote, never a typed value.
        if (figure is null && stored?.Source != ValueSource.Ledger)
        {
            return null;
        }
        var now = time.GetUtcNow();
        var before = stored?.Value;
        ValueHistory.Set(db, stored, rule.DataElementId, unitId, period, figure?.Value, figure?.Number, ValueSource.Ledger, Actor, now,
            throughFile: string.Create(CultureInfo.InvariantCulture, $"ledger rule {rule.Id}"));
        var following = await Formulas.RecomputeAsync(db, [unitId], [rule.DataElementId], period, Actor, now, cancellationToken);
        List<ReopenedTask> reopened = [];
        if (reopenedBy is not null)
        {
            var element = await db.DataElements.AsNoTracking().SingleAsync(e => e.Id == rule.DataElementId, cancellationToken);
            reopened = await Reopening.ReopenAsync(db, listeners, unitId, [new ValueChanged(period, element, before, figure?.Value), .. following],
                new ReopenThrough(reopenedBy, now, _ => null, null, ValueSource.Ledger), cancellationToken: cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        return reopened;
    }
}
