using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Localization;

namespace OneForm.Accounts;

/// <summary>
/// Records of who did something keep an id (<see cref="CallerScopeExtensions.ActorId"/>): an account's id, or "token:"
/// and an access token's id. This turns them into names to show, as the account or token is called now. Names of
/// work done by OneForm itself ("registry", "ledger", "seed:demo", "cli:import") by what did it (人口基础数据, 台账和活动记录);
/// names kept before ids are shown as they are.
/// One per request (scoped): what one page or answer looks up is remembered for the rest of it.
/// </summary>
public sealed class ActorNames(OneFormDbContext db, IStringLocalizer<SharedResource> l)
{
    private const string TokenPrefix = "token:";
    private readonly Dictionary<string, (string Name, string? DisplayName)> known = new(StringComparer.Ordinal);

    public async Task<string> NameAsync(string? actor)
    {
        if (actor is null)
        {
            return "";
        }
        await LoadAsync([actor]);
        return this[actor];
    }

    /// <summary>
    /// Looks up many at once (one query for accounts, one for tokens, whatever their number), for a page or list that
    /// shows them; then <c>this[actor]</c> and <see cref="FullName"/> answer without a query.
    /// </summary>
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
        if (accountIds.Count > 0)
        {
            foreach (var account in await db.Users.AsNoTracking().Where(u => accountIds.Contains(u.Id)).Select(u => new { u.Id, u.UserName, u.DisplayName }).ToListAsync())
            {
                known[account.Id] = (account.UserName ?? account.Id, string.IsNullOrWhiteSpace(account.DisplayName) ? null : account.DisplayName);
            }
        }
        if (tokenIds.Count > 0)
        {
            foreach (var token in await db.AccessTokens.AsNoTracking().Where(t => tokenIds.Contains(t.Id)).Select(t => new { t.Id, t.Name }).ToListAsync())
            {
                known[TokenPrefix + token.Id.ToString(CultureInfo.InvariantCulture)] = (token.Name, null);
            }
        }
        foreach (var actor in missing)
        {
            known.TryAdd(actor, (OwnWork(actor) ?? actor, null));
        }
    }

    /// <summary>
    /// How a decision is signed: the person's display name and where they sit, "张三（组织部）" (their department, else their
    /// unit); a token or OneForm's own work by its name alone. A sign-in name such as "gatekeeper" is not a signature.
    /// </summary>
    public async Task<string> SignatureAsync(string? actor)
    {
        if (actor is null)
        {
            return "";
        }
        var account = await db.Users.AsNoTracking().Where(u => u.Id == actor)
            .Select(u => new { u.DisplayName, u.UserName, Department = u.Department, Unit = u.OrgUnit != null ? u.OrgUnit.Name : null })
            .SingleOrDefaultAsync();
        if (account is null)
        {
            return await NameAsync(actor);
        }
        var name = string.IsNullOrWhiteSpace(account.DisplayName) ? account.UserName ?? actor : account.DisplayName;
        var place = account.Department?.DisplayName(CultureInfo.CurrentUICulture) ?? account.Unit;
        return place is null ? name : l["{0} ({1})", name, place];
    }

    /// <summary>
    /// OneForm's own work by the name of what did it. The ids are those Collection and Ledgers write (DerivedValues.Actor,
    /// LedgerValues.Actor); they are spelled here because Accounts sits below those modules.
    /// </summary>
    private string? OwnWork(string actor) => actor switch
    {
        "registry" => l["Population registry"].Value,
        "ledger" => l["Ledgers and activity records"].Value,
        "seed:demo" => l["Demo data"].Value,
        "startup" => l["OneForm at startup"].Value,
        "cli:import" => l["Command-line import"].Value,
        _ => null,
    };

    /// <summary>A name already looked up with <see cref="LoadAsync"/>: an account's user name, a token's name.</summary>
    public string this[string? actor] => actor is null ? "" : known.TryGetValue(actor, out var found) ? found.Name : actor;

    /// <summary>An account's display name as it is now, if it has one (tokens and OneForm's own work have none).</summary>
    public string? DisplayName(string? actor) => actor is not null && known.TryGetValue(actor, out var found) ? found.DisplayName : null;

    /// <summary>Where it matters who a person is (the audit trail): "display name (user name)", or the name alone.</summary>
    public string FullName(string? actor) => DisplayName(actor) is { } display ? $"{display} ({this[actor]})" : this[actor];

    /// <summary>
    /// The actor ids whose name contains <paramref name="text"/>, as a query to filter records by (it runs inside
    /// theirs, so a search is one query): accounts by user name or display name, tokens by name.
    /// </summary>
    public IQueryable<string> Matching(string text) =>
        db.Users.Where(u => u.UserName!.Contains(text) || u.DisplayName.Contains(text)).Select(u => u.Id)
            .Concat(db.AccessTokens.Where(t => t.Name.Contains(text)).Select(t => TokenPrefix + t.Id.ToString()));

}
