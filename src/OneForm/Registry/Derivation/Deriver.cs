using Microsoft.EntityFrameworkCore;
using OneForm.Data;
using OneForm.Organization;

namespace OneForm.Registry.Derivation;

/// <summary>
/// Counts the registry by a derivation rule per village or community. Collection writes the counts as derived values
/// (<see cref="IDerivedValues"/>), so forms arrive prefilled.
/// </summary>
public sealed class Deriver(OneFormDbContext db)
{
    /// <summary>The rule's count per unit for a period ending on <paramref name="periodEnd"/>; units with none are absent.</summary>
    public async Task<Dictionary<int, int>> CountAsync(DerivationRule rule, DateOnly periodEnd, IQueryable<OrgUnit>? within = null,
        CancellationToken cancellationToken = default)
    {
        var residents = db.Residents.AsNoTracking().Where(r => r.Status == ResidentStatus.Active);
        if (within is not null)
        {
            var ids = within.Select(u => u.Id);
            residents = residents.Where(r => ids.Contains(r.OrgUnitId));
        }
        residents = residents.Aged(rule.MinAge, rule.MaxAge, periodEnd).WithAttribute(db, rule.AttributeElementId, rule.AttributeValue);
        if (rule.Sex is { } sex)
        {
            residents = residents.Where(r => r.Sex == sex);
        }
        if (rule.EthnicityList is { Count: > 0 } only)
        {
            residents = residents.Where(r => r.Ethnicity != null && only.Contains(r.Ethnicity));
        }
        if (rule.ExcludedEthnicityList is { Count: > 0 } excluded)
        {
            residents = residents.Where(r => r.Ethnicity == null || !excluded.Contains(r.Ethnicity));
        }

        if (rule.Counts == DerivationCount.Residents && rule.MinHouseholdSize is null && rule.MaxHouseholdSize is null)
        {
            return await residents.GroupBy(r => r.OrgUnitId).Select(g => new { g.Key, Count = g.Count() })
                .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        }
        var households = residents.GroupBy(r => new { r.OrgUnitId, r.HouseholdNumber })
            .Select(g => new { g.Key.OrgUnitId, Size = g.Count() });
        if (rule.MinHouseholdSize is { } minSize)
        {
            households = households.Where(h => h.Size >= minSize);
        }
        if (rule.MaxHouseholdSize is { } maxSize)
        {
            households = households.Where(h => h.Size <= maxSize);
        }
        // Households are grouped again per unit by the database: a province's million households never come into memory.
        var countHouseholds = rule.Counts == DerivationCount.Households;
        return await households.GroupBy(h => h.OrgUnitId)
            .Select(g => new { g.Key, Count = countHouseholds ? g.Count() : g.Sum(h => h.Size) })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
    }
}

/// <summary>
/// Brings the derived values up to date with the registry and the rules. The registry asks for it after an import or a
/// rule change; Collection, which owns values, does it.
/// </summary>
public interface IDerivedValues
{
    /// <summary>
    /// Recomputes every rule for the current period of every form in force that uses it; the number of values changed.
    /// With <paramref name="units"/> (the villages an import touched), a period that already has derived values is
    /// recomputed for those villages only: no other village's residents changed, so no other count can have.
    /// </summary>
    Task<int> RecomputeAsync(long? batchId = null, IReadOnlyCollection<int>? units = null, CancellationToken cancellationToken = default);
}
