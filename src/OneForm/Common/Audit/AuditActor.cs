using System.Security.Claims;

namespace OneForm.Common;

/// <summary>Who is acting in this scope: the signed-in person or system of a request, or a named command-line run.</summary>
public sealed class AuditActor(IHttpContextAccessor? accessor, TimeProvider time)
{
    private string? commandLineName;

    public TimeProvider Time => time;

    public static AuditActor ForCommandLine(string verb) =>
        new(null, TimeProvider.System) { commandLineName = $"cli:{verb}" };

    /// <summary>
    /// Marks work done outside a request: a command-line verb, the start-up seed, or a background run on behalf of
    /// someone (then the name is that person's actor id, so the trail resolves it like any other).
    /// </summary>
    public void ActAs(string name) => commandLineName = name;

    /// <summary>
    /// Who is acting, as an id: the caller's <c>ActorId()</c> (an account's id or "token:" and a token's id), "anonymous"
    /// for a request nobody is signed in to (a failed sign-in keeps the name tried as the entry's key, not as its actor),
    /// or the name of what OneForm itself is doing.
    /// </summary>
    public (string Actor, string? Address) Current()
    {
        var http = accessor?.HttpContext;
        if (http?.User.Identity?.IsAuthenticated == true)
        {
            return (http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "?", http.Connection.RemoteIpAddress?.ToString());
        }
        if (http is not null)
        {
            return ("anonymous", http.Connection.RemoteIpAddress?.ToString());
        }
        return (commandLineName ?? "system", null);
    }

    public AuditEntry Entry(string kind, string entityType, string? entityKey, int? orgUnitId, string? changes, string? summary)
    {
        var (actor, address) = Current();
        return new AuditEntry
        {
            At = time.GetUtcNow(),
            ActorId = actor,
            ActorAddress = address,
            Kind = kind,
            EntityType = entityType,
            EntityKey = entityKey,
            OrgUnitId = orgUnitId,
            Changes = changes,
            Summary = summary,
        };
    }
}
