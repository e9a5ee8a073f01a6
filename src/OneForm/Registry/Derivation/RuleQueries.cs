using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Data;

namespace OneForm.Registry.Derivation;

/// <summary>Derivation rules as other modules' pages read them.</summary>
public static class RuleQueries
{
    /// <summary>The rule that derives the element, with the attribute it filters on, or null.</summary>
    public static Task<DerivationRule?> ForElementAsync(OneFormDbContext db, int elementId) =>
        db.DerivationRules.AsNoTracking().Include(r => r.AttributeElement).SingleOrDefaultAsync(r => r.DataElementId == elementId);

    /// <summary>For each of these elements that the registry derives, the rule in words.</summary>
    public static async Task<Dictionary<int, string>> DescribedAsync(OneFormDbContext db, IReadOnlyCollection<int> elementIds, IStringLocalizer l) =>
        (await db.DerivationRules.AsNoTracking().Where(r => elementIds.Contains(r.DataElementId)).ToListAsync())
            .ToDictionary(r => r.DataElementId, r => RuleText.Describe(r, l));
}
