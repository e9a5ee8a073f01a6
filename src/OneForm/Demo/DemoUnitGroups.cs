using Microsoft.EntityFrameworkCore;
using OneForm.Data;
using OneForm.Organization;

namespace OneForm.Demo;

/// <summary>
/// The demo's urban–rural classification and unit groups. The divisions file has no classification codes (the package
/// it comes from drops the NBS column; see data/divisions/README.md), so the demo sets them by an assumption that is
/// documented and is not NBS data: a residents' committee under a street (街道) is 111 主城区, a villagers' committee
/// is 220 村庄, every other unit keeps no code. A unit whose code is already set (by a file or the administrator) is left alone.
/// </summary>
internal static class DemoUnitGroups
{
    public const string Rural = "rural";
    public const string UrbanCommunities = "urban-communities";

    public static readonly (string Code, string Name, string Description, string Codes)[] Groups =
    [
        (UrbanCommunities, "城市社区", "城乡分类代码为 111 主城区、112 城乡结合区的社区居委会", "111,112"),
        (Rural, "农村", "城乡分类代码为 210 乡中心区、220 村庄的村委会", "210,220"),
    ];

    public static async Task SeedAsync(OneFormDbContext db, CancellationToken cancellationToken = default)
    {
        var units = await db.OrgUnits.Where(u => u.Level == OrgUnitLevel.Village && u.UrbanRuralCode == null).Include(u => u.Parent)
            .ToListAsync(cancellationToken);
        foreach (var unit in units)
        {
            unit.UrbanRuralCode = Assumed(unit.Name, unit.Parent?.Name);
        }

        var existing = await db.UnitGroups.Select(g => g.Code).ToListAsync(cancellationToken);
        db.UnitGroups.AddRange(Groups.Where(g => !existing.Contains(g.Code)).Select(g => new UnitGroup
        {
            Code = g.Code, Name = g.Name, Description = g.Description, ByRule = true, UrbanRuralCodes = g.Codes,
            Levels = nameof(OrgUnitLevel.Village),
        }));
        // The seed's own assumption, not an administrator's decision: not written to the trail unit by unit.
        db.SuppressRowAudit = true;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            db.SuppressRowAudit = false;
        }
    }

    /// <summary>The demo's assumed code from the names alone, or null where the names do not say.</summary>
    public static string? Assumed(string name, string? parentName)
    {
        if (name.Contains("村民委员会", StringComparison.Ordinal) || name.Contains("村委会", StringComparison.Ordinal) || name.EndsWith('村'))
        {
            return "220";
        }
        var residents = name.Contains("居民委员会", StringComparison.Ordinal) || name.Contains("居委会", StringComparison.Ordinal)
                        || name.Contains("社区", StringComparison.Ordinal);
        return residents && parentName is not null && parentName.EndsWith("街道", StringComparison.Ordinal) ? "111" : null;
    }
}
