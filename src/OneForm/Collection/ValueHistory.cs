using OneForm.Data;

namespace OneForm.Collection;

/// <summary>
/// How every writer of values sets one (typed, uploaded, derived, from a ledger, over time): a history row beside
/// the value, which is added, changed in place or removed (a null value) in the caller's unit of work.
/// </summary>
public static class ValueHistory
{
    /// <summary>Sets the value of element × unit × period; <paramref name="stored"/> is its tracked row, if any. Returns the row (null once removed).</summary>
    public static DataValue? Set(OneFormDbContext db, DataValue? stored, int elementId, int unitId, string period, string? value, double? number,
        ValueSource source, string actor, DateTimeOffset now, int? throughFormId = null, string? throughFile = null)
    {
        db.DataValueChanges.Add(new DataValueChange
        {
            DataElementId = elementId, OrgUnitId = unitId, PeriodCode = period, OldValue = stored?.Value, NewValue = value,
            Source = source, ChangedBy = actor, ChangedAt = now, ThroughFormId = throughFormId, ThroughFile = throughFile,
        });
        if (value is null)
        {
            if (stored is not null)
            {
                db.DataValues.Remove(stored);
            }
            return null;
        }
        if (stored is null)
        {
            // Version 1: version 0 means "no value yet", so a value someone else created meanwhile is a change too.
            stored = new DataValue
            {
                DataElementId = elementId, OrgUnitId = unitId, PeriodCode = period, Value = value, Number = number,
                Source = source, UpdatedBy = actor, UpdatedAt = now, ThroughFormId = throughFormId, RowVersion = 1,
            };
            db.DataValues.Add(stored);
            return stored;
        }
        (stored.Value, stored.Number, stored.Source, stored.UpdatedBy, stored.UpdatedAt, stored.ThroughFormId) =
            (value, number, source, actor, now, throughFormId);
        return stored;
    }
}
