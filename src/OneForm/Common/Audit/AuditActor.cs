using System.Security.Claims;

namespace OneForm.Common;

/// <summary>Who is acting in this scope: the signed-in person or system of a request, or a named command-line run.</summary>
public sealed class AuditActor(IHttpContextAccessor? accessor, TimeProvider time)
{
    private string? commandLineName;

    public TimeProvider Time => time;

    public static AuditActor ForCommandLine(string verb) =>
        new(null, TimeProvider.System) { commandLineName = $"cli:{verb}" };

    /// <summary>Marks work done outside a request, such as a command-line verb or the start-up seed.</summary>
    public void ActAs(string name) => commandLineName = name;

    public (string? UserId, string Name, string? Address) Current()
    {
        var http = accessor?.HttpContext;
        if (http?.User.Identity?.IsAuthenticated == true)
        {
            return (http.User.FindFirstValue(ClaimTypes.NameIdentifier),
                http.User.Identity.Name ?? "?",
                http.Connection.RemoteIpAddress?.ToString());
        }
        if (http is not null)
        {
            return (null, "anonymous", http.Connection.RemoteIpAddress?.ToString());
        }
        return (null, commandLineName ?? "system", null);
    }

    public AuditEntry Entry(string kind, string entityType, string? entityKey, int? orgUnitId, string? changes, string? summary)
    {
        var (userId, name, address) = Current();
        return new AuditEntry
        {
            At = time.GetUtcNow(),
            ActorUserId = userId,
            ActorName = name,
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
