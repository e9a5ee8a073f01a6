namespace OneForm.Organization;

public static class OrgUnitQueries
{
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
