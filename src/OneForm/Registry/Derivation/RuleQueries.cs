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

    /// <summary>
    /// For each of these derived elements, whom to ask when the figure is wrong: the owner of its source. A count over a
    /// person attribute (特困供养人员, 低保对象) is corrected by the department that keeps that attribute (民政);
    /// a plain count of residents or households by the public-security household register (公安户籍).
    /// </summary>
    public static async Task<Dictionary<int, string>> CorrectionNotesAsync(OneFormDbContext db, IReadOnlyCollection<int> elementIds, IStringLocalizer l) =>
        (await db.DerivationRules.AsNoTracking().Where(r => elementIds.Contains(r.DataElementId))
            .Select(r => new { r.DataElementId, Attribute = r.AttributeElement!.Name, Owner = r.AttributeElement!.OwnerDepartment!.Name })
            .ToListAsync())
        .ToDictionary(r => r.DataElementId, r => r.Attribute is null
            ? l["This figure is not typed. If it is wrong, a resident's record is wrong: report it to the public-security registry; the figure follows the next import."].Value
            : l["This figure is not typed. If it is wrong, a resident's {0} is recorded wrongly: report it to {1}, which keeps that record; the figure follows its next import.",
                r.Attribute, r.Owner].Value);
}
