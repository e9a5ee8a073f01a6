using Microsoft.EntityFrameworkCore;
using OneForm.Data;

namespace OneForm.Organization;

/// <summary>A unit as a picker lists it: its name, the way down to it (昌吉市 › 建国路街道 › 锦绣社区) and whether it has units below.</summary>
public sealed record UnitHit(string Code, string Name, OrgUnitLevel Level, string Path, bool HasChildren);

/// <summary>
/// What a typed unit came to: one unit, several to choose from, or none (<see cref="Typed"/> names what was typed).
/// <see cref="ShownAs"/> is what the field shows again: the name, or the code where the name alone would not say which unit.
/// </summary>
public sealed record UnitLookup(string Typed, OrgUnit? Unit, IReadOnlyList<UnitHit> Choices, string ShownAs)
{
    public bool IsEmpty => Typed.Length == 0;
    public bool NotFound => !IsEmpty && Unit is null && Choices.Count == 0;
    public static UnitLookup Empty { get; } = new("", null, [], "");
}

/// <summary>
/// Finds units by what people type: a 12-digit code, a name or part of it (锦绣), or pinyin initials (jx); and lists
/// a unit's children for browsing down county → township → village. Only units the caller may see
/// (<see cref="CallerScope.VisibleUnits"/>) are found, as the org-units API does.
/// </summary>
public static class OrgUnitSearch
{
    public const int MaxHits = 20;

    private sealed record Row(int Id, string Code, string Name, OrgUnitLevel Level, string Path, int? ParentId);

    /// <summary>Units matching <paramref name="q"/> below <paramref name="under"/> (a code), best first; with no q, the children of under (or the top units the caller sees).</summary>
    public static async Task<List<UnitHit>> FindAsync(OneFormDbContext db, CallerScope scope, string? q, string? under, int limit = MaxHits)
    {
        var rows = await VisibleAsync(db, scope, under);
        var term = q?.Trim() ?? "";
        List<Row> found;
        if (term.Length == 0)
        {
            var parent = string.IsNullOrWhiteSpace(under) ? null : rows.FirstOrDefault(r => r.Code == under.Trim());
            found = parent is not null
                ? [.. rows.Where(r => r.ParentId == parent.Id).OrderBy(r => r.Path, StringComparer.Ordinal)]
                : [.. Tops(rows)];
        }
        else
        {
            found = Ranked(rows, term).Take(limit).ToList();
        }
        return await HitsAsync(db, rows, found);
    }

    /// <summary>
    /// Resolves what was typed into a unit field: an exact code (seen or not: the page decides what the caller may do
    /// with it, as it did with codes), a unique name or name match among the units the caller sees, else the choices.
    /// </summary>
    public static async Task<UnitLookup> ResolveAsync(OneFormDbContext db, CallerScope scope, string? typed)
    {
        var term = typed?.Trim() ?? "";
        if (term.Length == 0)
        {
            return UnitLookup.Empty;
        }
        if (term.Length == OrgUnit.CodeLength && term.All(char.IsAsciiDigit))
        {
            var byCode = await OrgUnitQueries.ByCodeAsync(db, term);
            var named = byCode is not null && await db.OrgUnits.CountAsync(u => u.Name == byCode.Name) == 1;
            return new UnitLookup(term, byCode, [], named ? byCode!.Name : term);
        }
        var rows = await VisibleAsync(db, scope, null);
        var exact = rows.Where(r => r.Name == term).ToList();
        var matches = exact.Count > 0 ? exact : Ranked(rows, term).Take(MaxHits).ToList();
        if (matches.Count == 1)
        {
            var unit = await OrgUnitQueries.ByIdAsync(db, matches[0].Id);
            var sameName = rows.Count(r => r.Name == unit.Name);
            return new UnitLookup(term, unit, [], sameName == 1 ? unit.Name : unit.Code);
        }
        return new UnitLookup(term, null, await HitsAsync(db, rows, matches), term);
    }

    private static async Task<List<Row>> VisibleAsync(OneFormDbContext db, CallerScope scope, string? under)
    {
        var units = scope.VisibleUnits(db.OrgUnits.AsNoTracking());
        if (!string.IsNullOrWhiteSpace(under) && await OrgUnitQueries.ByCodeAsync(db, under.Trim()) is { } top)
        {
            units = units.InSubtree(top.Path);
        }
        return await units.Select(u => new Row(u.Id, u.Code, u.Name, u.Level, u.Path, u.ParentId)).ToListAsync();
    }

    /// <summary>The units seen whose parent is not seen: the top of what the caller may browse.</summary>
    private static IEnumerable<Row> Tops(List<Row> rows)
    {
        var ids = rows.Select(r => r.Id).ToHashSet();
        return rows.Where(r => r.ParentId is not { } p || !ids.Contains(p)).OrderBy(r => r.Path, StringComparer.Ordinal);
    }

    /// <summary>A code's start, the whole name, the name's start, part of the name, then initials (start before part); higher levels first.</summary>
    private static IEnumerable<Row> Ranked(List<Row> rows, string term)
    {
        var digits = term.All(char.IsAsciiDigit);
        var letters = term.All(char.IsAsciiLetter) ? term.ToLowerInvariant() : null;
        return rows
            .Select(r => (Row: r, Rank:
                digits && r.Code.StartsWith(term, StringComparison.Ordinal) ? 0
                : r.Name == term ? 1
                : r.Name.StartsWith(term, StringComparison.Ordinal) ? 2
                : r.Name.Contains(term, StringComparison.Ordinal) ? 3
                : letters is not null && UnitInitials.Of(r.Name).StartsWith(letters, StringComparison.Ordinal) ? 4
                : letters is not null && UnitInitials.Of(r.Name).Contains(letters, StringComparison.Ordinal) ? 5
                : -1))
            .Where(x => x.Rank >= 0)
            .OrderBy(x => x.Rank).ThenBy(x => x.Row.Level).ThenBy(x => x.Row.Path, StringComparer.Ordinal)
            .Select(x => x.Row);
    }

    private static async Task<List<UnitHit>> HitsAsync(OneFormDbContext db, List<Row> seen, List<Row> found)
    {
        var parents = seen.Where(r => r.ParentId is not null).Select(r => r.ParentId!.Value).ToHashSet();
        var codes = found.SelectMany(r => r.Path.Split('/', StringSplitOptions.RemoveEmptyEntries)).Distinct().ToList();
        // The way down is named from the county on: everyone here is in the one prefecture.
        // (The level is stored as text, so it is compared here, not in the query.)
        var names = (await db.OrgUnits.AsNoTracking().Where(u => codes.Contains(u.Code)).Select(u => new { u.Code, u.Name, u.Level }).ToListAsync())
            .Where(u => u.Level > OrgUnitLevel.Prefecture).ToDictionary(u => u.Code, u => u.Name);
        return
        [
            .. found.Select(r => new UnitHit(r.Code, r.Name, r.Level,
                string.Join(" › ", r.Path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(c => names.GetValueOrDefault(c)).OfType<string>()
                    .DefaultIfEmpty(r.Name)),
                parents.Contains(r.Id))),
        ];
    }
}
