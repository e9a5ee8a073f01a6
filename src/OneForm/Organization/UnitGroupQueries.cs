using Microsoft.EntityFrameworkCore;
using OneForm.Data;

namespace OneForm.Organization;

/// <summary>Unit groups as other modules read them.</summary>
public static class UnitGroupQueries
{
    /// <summary>The groups with these codes, with their listed members; unknown codes are left out (they hold no units).</summary>
    public static Task<List<UnitGroup>> ByCodesAsync(OneFormDbContext db, IReadOnlyCollection<string> codes, CancellationToken cancellationToken = default) =>
        db.UnitGroups.AsNoTracking().Include(g => g.Members).Where(g => codes.Contains(g.Code)).OrderBy(g => g.Code).ToListAsync(cancellationToken);

    public static Task<List<UnitGroup>> AllAsync(OneFormDbContext db, CancellationToken cancellationToken = default) =>
        db.UnitGroups.AsNoTracking().Include(g => g.Members).OrderBy(g => g.Code).ToListAsync(cancellationToken);

    /// <summary>The ids of the units in any of the groups with these codes, among <paramref name="units"/>.</summary>
    public static async Task<HashSet<int>> MemberIdsAsync(OneFormDbContext db, IQueryable<OrgUnit> units, IReadOnlyCollection<string> codes,
        CancellationToken cancellationToken = default)
    {
        var groups = await ByCodesAsync(db, codes, cancellationToken);
        return (await units.Where(UnitGroups.InAny(db, groups)).Select(u => u.Id).ToListAsync(cancellationToken)).ToHashSet();
    }
}
