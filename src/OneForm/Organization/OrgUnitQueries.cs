using Microsoft.EntityFrameworkCore;
using OneForm.Data;

namespace OneForm.Organization;

/// <summary>The organisation tree as other modules' pages and handlers read it (they do not query its tables themselves).</summary>
public static class OrgUnitQueries
{
    public static Task<OrgUnit> ByIdAsync(OneFormDbContext db, int id) => db.OrgUnits.AsNoTracking().SingleAsync(u => u.Id == id);

    public static Task<OrgUnit?> ByCodeAsync(OneFormDbContext db, string? code) =>
        db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(u => u.Code == code);

    /// <summary>The units with these codes, from the top down.</summary>
    public static Task<List<OrgUnit>> ByCodesAsync(OneFormDbContext db, IReadOnlyCollection<string> codes) =>
        db.OrgUnits.AsNoTracking().Where(u => codes.Contains(u.Code)).OrderBy(u => u.Depth).ToListAsync();

    /// <summary>The top of the tree (the prefecture), or null before divisions are imported.</summary>
    public static Task<OrgUnit?> TopAsync(OneFormDbContext db) => db.OrgUnits.AsNoTracking().OrderBy(u => u.Depth).FirstOrDefaultAsync();

    /// <summary>The unit at <paramref name="path"/> and every unit below it, to filter other modules' rows by.</summary>
    public static IQueryable<OrgUnit> Subtree(OneFormDbContext db, string path) => db.OrgUnits.InSubtree(path);

    public static IQueryable<int> IdsInSubtree(OneFormDbContext db, string path) => db.OrgUnits.InSubtree(path).Select(u => u.Id);

    /// <summary>The names of the units at these paths, by path (to name the subtree a grant or a form is limited to).</summary>
    public static Task<Dictionary<string, string>> NamesByPathAsync(OneFormDbContext db, IReadOnlyCollection<string> paths) =>
        db.OrgUnits.AsNoTracking().Where(u => paths.Contains(u.Path)).ToDictionaryAsync(u => u.Path, u => u.Name);

    /// <summary>The units from the top down to <paramref name="level"/> (counties and townships, say), in tree order: what a unit picker offers.</summary>
    public static Task<List<OrgUnit>> DownToAsync(OneFormDbContext db, OrgUnitLevel level) =>
        db.OrgUnits.AsNoTracking().Where(u => u.Level <= level).OrderBy(u => u.Path).ToListAsync();

    public static Task<int> CountAsync(OneFormDbContext db) => db.OrgUnits.CountAsync();

    /// <summary>
    /// The unit at <paramref name="path"/> and everything below it, as one range over the indexed path:
    /// every descendant's path starts with the parent's, which ends in '/', and '0' is the next character after '/'.
    /// </summary>
    public static IQueryable<OrgUnit> InSubtree(this IQueryable<OrgUnit> units, string path)
    {
        var upper = path[..^1] + "0";
        return units.Where(u => string.Compare(u.Path, path) >= 0 && string.Compare(u.Path, upper) < 0);
    }

    public static bool IsInSubtreeOf(this OrgUnit unit, string path) => unit.Path.StartsWith(path, StringComparison.Ordinal);
}
