using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OneForm.Data;

namespace OneForm.Accounts;

/// <summary>
/// Records of who did something keep an id (<see cref="CallerScopeExtensions.ActorId"/>): an account's id, or "token:"
/// and an access token's id. This turns them into names to show, as the account or token is called now. Names of
/// work done by OneForm itself ("registry", "seed:demo", "cli:import") and names kept before ids are shown as they are.
/// </summary>
public sealed class ActorNames(OneFormDbContext db)
{
    private const string TokenPrefix = "token:";
    private readonly Dictionary<string, string> known = new(StringComparer.Ordinal);

    public async Task<string> NameAsync(string? actor)
    {
        if (actor is null)
        {
            return "";
        }
        if (!known.TryGetValue(actor, out var name))
        {
            await LoadAsync([actor]);
            name = known[actor];
        }
        return name;
    }

    /// <summary>Looks up many at once (one query per kind), for a page or list that shows them.</summary>
    public async Task LoadAsync(IEnumerable<string?> actors)
    {
        var missing = actors.OfType<string>().Where(a => !known.ContainsKey(a)).Distinct().ToList();
        if (missing.Count == 0)
        {
            return;
        }
        var tokenIds = missing.Where(a => a.StartsWith(TokenPrefix, StringComparison.Ordinal))
            .Select(a => int.TryParse(a.AsSpan(TokenPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0)
            .Where(id => id > 0).ToList();
        var accountIds = missing.Where(a => !a.StartsWith(TokenPrefix, StringComparison.Ordinal)).ToList();
        foreach (var account in await db.Users.AsNoTracking().Where(u => accountIds.Contains(u.Id)).Select(u => new { u.Id, u.UserName }).ToListAsync())
        {
            known[account.Id] = account.UserName ?? account.Id;
        }
        foreach (var token in await db.AccessTokens.AsNoTracking().Where(t => tokenIds.Contains(t.Id)).Select(t => new { t.Id, t.Name }).ToListAsync())
        {
            known[TokenPrefix + token.Id.ToString(CultureInfo.InvariantCulture)] = token.Name;
        }
        foreach (var actor in missing)
        {
            known.TryAdd(actor, actor);
        }
    }

    /// <summary>A name already looked up with <see cref="LoadAsync"/>.</summary>
    public string this[string? actor] => actor is null ? "" : known.GetValueOrDefault(actor, actor);
}
