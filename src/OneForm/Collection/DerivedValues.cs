using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OneForm.Catalog;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;
using OneForm.Registry.Derivation;

namespace OneForm.Collection;

/// <summary>
/// Turns the registry into values: evaluates each derivation rule per village or community for the periods of the
/// forms in force, and writes the results as derived values (with history), so forms arrive prefilled. A figure that
/// changes under a submitted or accepted form takes it back to its unit (<see cref="Reopening"/>): what a department
/// was told when it accepted no longer holds.
/// </summary>
internal sealed class DerivedValues(OneFormDbContext db, Deriver deriver, TimeProvider time, DisplayTime display,
    IEnumerable<ISubmissionReopened> listeners) : IDerivedValues
{
    public const string Actor = "registry";

    /// <summary>Villages whose derived values are written in one save.</summary>
    private const int WriteSlice = 1_000;

    /// <summary>Recomputes every rule for the current period of every form in force that uses it (see the interface).</summary>
    public async Task<int> RecomputeAsync(long? batchId = null, IReadOnlyCollection<int>? units = null, CancellationToken cancellationToken = default)
    {
        var today = display.Today;
        var rules = await db.DerivationRules.AsNoTracking().ToListAsync(cancellationToken);
        if (rules.Count == 0)
        {
            return 0;
        }
        var ruleElements = rules.Select(r => r.DataElementId).ToList();
        var uses = await db.Forms.AsNoTracking().Where(f => f.Status == FormStatus.Admitted)
            .SelectMany(f => f.Sections.SelectMany(s => s.Fields).Where(x => ruleElements.Contains(x.DataElementId)),
                (f, x) => new { Form = f, x.DataElementId })
            .ToListAsync(cancellationToken);
        var villages = await db.OrgUnits.AsNoTracking().Where(u => u.Level == OrgUnitLevel.Village).Select(u => u.Id).ToListAsync(cancellationToken);
        var touched = units is null ? null : villages.Where(units.Contains).ToList();
        var changed = 0;
        foreach (var rule in rules)
        {
            var periods = uses.Where(u => u.DataElementId == rule.DataElementId).Select(u => TaskOpener.PeriodFor(u.Form, today)).Distinct();
            foreach (var period in periods)
            {
                var code = period.ToString();
                // A period not derived yet (a new quarter, a new rule's form) is derived for every village.
                var onlyTouched = touched is not null && await db.DataValues.AnyAsync(
                    v => v.DataElementId == rule.DataElementId && v.PeriodCode == code && v.Source == ValueSource.Derived, cancellationToken);
                var counts = onlyTouched
                    ? await deriver.CountAsync(rule, period.End, db.OrgUnits.Where(u => touched!.Contains(u.Id)), cancellationToken)
                    : await deriver.CountAsync(rule, period.End, cancellationToken: cancellationToken);
                // A slice of villages at a time, each saved and forgotten: a province's 14,000 at once held 430 MB.
                foreach (var slice in (onlyTouched ? touched! : villages).Chunk(WriteSlice))
                {
                    changed += await WriteAsync(rule.DataElementId, code, [.. slice], counts, batchId, cancellationToken);
                }
            }
        }
        return changed;
    }

    private async Task<int> WriteAsync(int elementId, string period, List<int> units, Dictionary<int, int> counts, long? batchId,
        CancellationToken cancellationToken)
    {
        var existing = await db.DataValues.Where(v => v.DataElementId == elementId && v.PeriodCode == period && units.Contains(v.OrgUnitId))
            .ToDictionaryAsync(v => v.OrgUnitId, cancellationToken);
        var now = time.GetUtcNow();
        var note = batchId is { } id ? string.Create(CultureInfo.InvariantCulture, $"registry batch {id}") : "registry";
        var element = await db.DataElements.AsNoTracking().SingleAsync(e => e.Id == elementId, cancellationToken);
        var changed = new List<ValueChanged>();
        // Units with nobody in the registry get no value (not a made-up zero) unless they had one before.
        foreach (var unit in units.Where(u => counts.ContainsKey(u) || existing.ContainsKey(u)))
        {
            var value = counts.GetValueOrDefault(unit).ToString(CultureInfo.InvariantCulture);
            existing.TryGetValue(unit, out var stored);
            if (stored?.Value == value && stored.Source == ValueSource.Derived)
            {
                continue;
            }
            changed.Add(new ValueChanged(period, element, stored?.Value, value, unit));
            ValueHistory.Set(db, stored, elementId, unit, period, value, counts.GetValueOrDefault(unit), ValueSource.Derived, Actor, now, throughFile: note);
        }
        var following = await Formulas.RecomputeAsync(db, [.. units.Where(u => counts.ContainsKey(u) || existing.ContainsKey(u))], [elementId], period, Actor, now,
            cancellationToken);
        var through = new ReopenThrough(Actor, now, _ => null, note, ValueSource.Derived);
        // One look for the period's units that let go of a task, rather than one per unit changed.
        var touched = changed.Select(c => c.UnitId).ToList();
        var handedIn = (await db.FillingTasks.AsNoTracking()
            .Where(t => t.PeriodCode == period && (t.Status == TaskState.Submitted || t.Status == TaskState.Accepted) && touched.Contains(t.OrgUnitId))
            .Select(t => t.OrgUnitId).Distinct().ToListAsync(cancellationToken)).ToHashSet();
        foreach (var unit in changed.Concat(following).Where(c => handedIn.Contains(c.UnitId)).GroupBy(c => c.UnitId))
        {
            await Reopening.ReopenAsync(db, listeners, unit.Key, [.. unit], through, cancellationToken: cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return changed.Count;
    }
}
