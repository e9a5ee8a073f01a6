using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OneForm.Accounts.Tokens;
using OneForm.Data;

namespace OneForm.Accounts;

/// <summary>
/// Attempts that change nothing but say someone is trying: failed sign-ins and requests refused by a rate limit.
/// They go to the audit trail like changes do, so password spraying and a runaway token show up in one place.
/// </summary>
public static class SecurityAudit
{
    /// <summary>Records a refused sign-in: the user name tried (whether or not it exists) and why it was refused.</summary>
    public static async Task SignInFailedAsync(OneFormDbContext db, AuditActor actor, string? userName, string reason)
    {
        var name = (userName ?? "").Trim();
        db.AuditEntries.Add(actor.Entry("SignIn.Failed", "Account", name.Length > 64 ? name[..64] : name, null, null,
            reason.Length > 1000 ? reason[..1000] : reason));
        await db.SaveChangesAsync();
    }

    // The last entry per limited caller: a flood of refused requests writes one entry a minute, not one per request
    // (the limit is there to spare the server, not to fill the trail).
    private static readonly ConcurrentDictionary<string, DateTimeOffset> LastRecorded = new();

    /// <summary>Records that a caller went over a rate limit (per address: "SignIn" or "Public"; else per token), at most once a minute per caller.</summary>
    public static async Task RateLimitedAsync(HttpContext http, string? perAddress)
    {
        var services = http.RequestServices;
        var actor = services.GetRequiredService<AuditActor>();
        var now = actor.Time.GetUtcNow();
        var authorization = http.Request.Headers.Authorization.ToString();
        var secret = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : null;
        var key = perAddress is not null || secret is null ? $"{perAddress ?? "SignIn"}:{http.Connection.RemoteIpAddress}" : "token:" + AccessToken.Hash(secret);
        if (LastRecorded.TryGetValue(key, out var last) && now - last < TimeSpan.FromMinutes(1))
        {
            return;
        }
        if (LastRecorded.Count > 10_000)
        {
            foreach (var stale in LastRecorded.Where(e => now - e.Value >= TimeSpan.FromMinutes(1)).Select(e => e.Key).ToList())
            {
                LastRecorded.TryRemove(stale, out _);
            }
        }
        LastRecorded[key] = now;
        try
        {
            var db = services.GetRequiredService<OneFormDbContext>();
            if (perAddress is not null || secret is null)
            {
                db.AuditEntries.Add(actor.Entry($"{perAddress ?? "SignIn"}.RateLimited", "Account", null, null, null, $"{http.Request.Method} {http.Request.Path}"));
            }
            else
            {
                var hash = AccessToken.Hash(secret);
                var token = await db.AccessTokens.AsNoTracking().Where(t => t.TokenHash == hash).Select(t => new { t.Id, t.Name, t.OrgUnitId })
                    .SingleOrDefaultAsync(http.RequestAborted);
                db.AuditEntries.Add(actor.Entry("AccessToken.RateLimited", nameof(AccessToken), token?.Id.ToString(CultureInfo.InvariantCulture), token?.OrgUnitId, null,
                    $"{token?.Name ?? "unknown token"}: {http.Request.Method} {http.Request.Path}"));
            }
            await db.SaveChangesAsync(http.RequestAborted);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The refusal itself must still be answered: a trail that cannot be written is logged, not thrown.
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SecurityAudit)).LogError(e, "Recording a rate-limited request failed");
        }
    }
}
