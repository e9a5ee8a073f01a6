using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OneForm.Data;

namespace OneForm.Registry;

/// <summary>
/// Roster sections (名单): the unit's residents that match the section's filter, one row each, with person-attribute
/// columns that the cadre checks and corrects. Each value is kept once per person, for every form that shows it.
/// </summary>
public static class Rosters
{
    public const int MaxRows = 500;

    public sealed record Row(Resident Resident, int Age, Dictionary<int, string> Values);

    public static async Task<List<Row>> ForAsync(OneFormDbContext db, RosterQuery roster, int unitId, DateOnly periodEnd)
    {
        var residents = db.Residents.AsNoTracking().Where(r => r.OrgUnitId == unitId && r.Status == ResidentStatus.Active)
            .Aged(roster.MinAge, roster.MaxAge, periodEnd)
            .WithAttribute(db, roster.AttributeElementId, roster.AttributeValue);
        var list = await residents.OrderBy(r => r.HouseholdNumber).ThenBy(r => r.Id).Take(MaxRows).ToListAsync();
        var ids = list.Select(r => r.Id).ToList();
        var columns = roster.Columns;
        var values = (await db.PersonAttributes.AsNoTracking().Where(a => ids.Contains(a.ResidentId) && columns.Contains(a.DataElementId)).ToListAsync())
            .ToLookup(a => a.ResidentId);
        return list.Select(r => new Row(r, Age(r.BirthDate, periodEnd), values[r.Id].ToDictionary(a => a.DataElementId, a => a.Value))).ToList();
    }

    public static int Age(DateOnly born, DateOnly on) => on.Year - born.Year - (on < born.AddYears(on.Year - born.Year) ? 1 : 0);

    /// <summary>
    /// Adds the changed cells (yes, no or empty) of residents shown in the roster, their history and audit to the caller's
    /// unit of work without saving, so they are saved with the values of the same page or not at all; returns how many changed.
    /// </summary>
    public static async Task<int> StageAsync(OneFormDbContext db, IReadOnlyDictionary<(long Resident, int Element), string?> changes, string actor, DateTimeOffset now)
    {
        var residentIds = changes.Keys.Select(k => k.Resident).Distinct().ToList();
        var elementIds = changes.Keys.Select(k => k.Element).Distinct().ToList();
        var stored = await db.PersonAttributes.Where(a => residentIds.Contains(a.ResidentId) && elementIds.Contains(a.DataElementId))
            .ToDictionaryAsync(a => (a.ResidentId, a.DataElementId));
        var history = new Dictionary<long, Dictionary<string, object?[]>>();
        foreach (var ((resident, element), value) in changes)
        {
            stored.TryGetValue((resident, element), out var current);
            if (current?.Value == value)
            {
                continue;
            }
            if (!history.TryGetValue(resident, out var changed))
            {
                history[resident] = changed = [];
            }
            changed[element.ToString(System.Globalization.CultureInfo.InvariantCulture)] = [current?.Value, value];
            if (value is null)
            {
                db.PersonAttributes.Remove(current!);
            }
            else if (current is null)
            {
                db.PersonAttributes.Add(new PersonAttribute { ResidentId = resident, DataElementId = element, Value = value, UpdatedBy = actor, UpdatedAt = now });
            }
            else
            {
                (current.Value, current.UpdatedBy, current.UpdatedAt, current.LastBatchId) = (value, actor, now, null);
            }
        }
        db.ResidentChanges.AddRange(history.Select(h => new ResidentChange
        {
            ResidentId = h.Key, BatchId = 0, ChangedAt = now, Changes = JsonSerializer.Serialize(h.Value, AuditRecorder.JsonOptions),
        }));
        // A cadre's correction of a person's attribute is a change like any other: in the trail, by the resident's unit,
        // in the same save.
        var changedIds = history.Keys.ToList();
        var units = await db.Residents.AsNoTracking().Where(r => changedIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.OrgUnitId);
        db.AuditEntries.AddRange(history.Select(h => db.Actor.Entry("Roster.Edited", nameof(Resident), h.Key.ToString(System.Globalization.CultureInfo.InvariantCulture),
            units.GetValueOrDefault(h.Key), JsonSerializer.Serialize(h.Value, AuditRecorder.JsonOptions), null)));
        return history.Count;
    }
}

/// <summary>Whom a roster lists (an age range, a person attribute) and which attributes it shows.</summary>
public sealed record RosterQuery(int? MinAge, int? MaxAge, int? AttributeElementId, string? AttributeValue, IReadOnlyList<int> Columns);
