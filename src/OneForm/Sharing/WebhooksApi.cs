using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Sharing;

/// <summary>An endpoint to register; <paramref name="Events"/>: values.changed, submission.accepted, submission.reopened, or all when left out.</summary>
public sealed record WebhookRequest(string Url, IReadOnlyList<string>? Events = null);

public sealed record WebhookView(int Id, string Url, IReadOnlyList<string> Events, bool IsActive, long Cursor, string? Secret);

public sealed record DeliveryView(long Id, string Event, int Attempts, DateTimeOffset NextAttemptAt, DateTimeOffset? DeliveredAt, int? LastStatus,
    string? LastError, string Payload);

internal static class WebhooksApi
{
    public static void MapWebhooksApi(this IEndpointRouteBuilder routes)
    {
        var hooks = routes.MapGroup("/api/v1/webhooks").WithTags("Sharing");
        hooks.MapPost("/", RegisterAsync).WithSummary("Register an endpoint for changed values of your elements and granted ones, and for accepted submissions carrying them and their reopening; the signing secret is shown once.")
            .WithDescription("OneForm posts JSON with the headers X-OneForm-Event (values.changed, submission.accepted or submission.reopened), X-OneForm-Delivery and X-OneForm-Signature: " +
                "\"sha256=\" and the hex HMAC-SHA256 of the body with the secret. Answer 2xx; anything else is retried with doubling delays. " +
                "submission.reopened says that an accepted submission went back to its unit because a value it holds changed (who, when, through which form, old and new); " +
                "an endpoint that receives submission.accepted receives it too.")
            .WithExample(SharingExamples.Webhook, SharingExamples.Registered, StatusCodes.Status201Created)
            .Allow(Operations.WebhooksManage);
        hooks.MapGet("/", async (ClaimsPrincipal user, OneFormDbContext db) => user.Scope() is { Role: Role.Department, DepartmentId: { } department }
                ? Results.Ok((await db.WebhookEndpoints.AsNoTracking().Where(e => e.DepartmentId == department).OrderBy(e => e.Id)
                    .ToListAsync()).Select(e => new WebhookView(e.Id, e.Url, e.Events.Split(','), e.IsActive, e.Cursor, null)))
                : Results.Forbid())
            .WithSummary("Your department's endpoints.")
            .Allow(Operations.WebhooksManage);
        hooks.MapDelete("/{id:int}", async (int id, ClaimsPrincipal user, OneFormDbContext db) =>
            {
                var endpoint = await OwnAsync(db, user, id);
                if (endpoint is null)
                {
                    return Results.NotFound();
                }
                endpoint.IsActive = false;
                await db.SaveChangesAsync();
                return Results.NoContent();
            })
            .WithSummary("Stop sending to an endpoint.")
            .Allow(Operations.WebhooksManage);
        hooks.MapGet("/{id:int}/deliveries", async (int id, ClaimsPrincipal user, OneFormDbContext db, IStringLocalizer<SharedResource> l) =>
                await OwnAsync(db, user, id) is null
                    ? Results.NotFound()
                    : Results.Ok((await db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == id).OrderByDescending(d => d.Id).Take(200).ToListAsync())
                        .Select(d => View(d, l))))
            .WithSummary("The delivery log: attempts, answers, payloads.")
            .Allow(Operations.WebhooksManage);
        hooks.MapPost("/{id:int}/deliveries/{deliveryId:long}/replay", async (int id, long deliveryId, ClaimsPrincipal user, OneFormDbContext db, WebhookDispatcher dispatcher,
            AuditActor actor, IStringLocalizer<SharedResource> l) =>
            {
                var endpoint = await OwnAsync(db, user, id);
                var delivery = endpoint is null ? null : await db.WebhookDeliveries.SingleOrDefaultAsync(d => d.Id == deliveryId && d.EndpointId == id);
                if (delivery is null)
                {
                    return Results.NotFound();
                }
                delivery.DeliveredAt = null;
                await dispatcher.SendAsync(delivery, endpoint!, CancellationToken.None);
                db.AuditEntries.Add(actor.Entry("WebhookDelivery.Replayed", nameof(WebhookDelivery), delivery.Id.ToString(CultureInfo.InvariantCulture), null, null,
                    $"endpoint {endpoint!.Id}: {(delivery.DeliveredAt is null ? "failed" : "delivered")}, status {delivery.LastStatus?.ToString(CultureInfo.InvariantCulture) ?? "none"}"));
                await db.SaveChangesAsync();
                return Results.Ok(View(delivery, l));
            })
            .WithSummary("Send a delivery again now.")
            .Allow(Operations.WebhooksManage);
    }

    /// <summary>A delivery as the department reads it: why it failed in its own language, never a socket's text.</summary>
    private static DeliveryView View(WebhookDelivery d, IStringLocalizer l) =>
        new(d.Id, d.Event, d.Attempts, d.NextAttemptAt, d.DeliveredAt, d.LastStatus,
            (d.LastError switch
            {
                WebhookDispatcher.RefusedTarget => l["The address is inside the network; webhooks go to public addresses only."],
                WebhookDispatcher.NoAnswerInTime => l["The receiver did not answer in time."],
                // Also what older deliveries stored as the socket's own text, which is not shown.
                not null => l["The receiver did not answer."],
                null when d.LastStatus is { } status and not (>= 200 and < 300) => l["The receiver answered HTTP {0}.", status],
                null => null,
            })?.Value,
            d.Payload);

    private static async Task<WebhookEndpoint?> OwnAsync(OneFormDbContext db, ClaimsPrincipal user, int id) =>
        user.Scope() is { Role: Role.Department, DepartmentId: { } department }
            ? await db.WebhookEndpoints.SingleOrDefaultAsync(e => e.Id == id && e.DepartmentId == department)
            : null;

    private static async Task<IResult> RegisterAsync(WebhookRequest request, ClaimsPrincipal user, OneFormDbContext db, TimeProvider time,
        WebhookTargets targets, IStringLocalizer<SharedResource> l)
    {
        if (user.Scope() is not { Role: Role.Department, DepartmentId: { } department })
        {
            return Results.Forbid();
        }
        if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || request.Url.Length > 500)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { [nameof(request.Url)] = [l["'{0}' is not an http or https address.", request.Url ?? ""]] });
        }
        try
        {
            if (await targets.InternalAddressAsync(url) is { } inside)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]>
                {
                    [nameof(request.Url)] = [l["The address {0} is inside the network (this machine, a private, link-local or multicast address); webhooks go to public addresses only, unless the administrator allows the host in Webhooks:AllowedHosts.", inside]],
                });
            }
        }
        catch (System.Net.Sockets.SocketException)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { [nameof(request.Url)] = [l["The host {0} cannot be found.", url.Host]] });
        }
        var events = request.Events is { Count: > 0 } asked ? asked.Select(e => e.Trim()).Distinct().ToList() : [.. WebhookDispatcher.AllEvents.Split(',')];
        if (events.FirstOrDefault(e => !WebhookDispatcher.AllEvents.Split(',').Contains(e)) is { } unknown)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]>
            {
                [nameof(request.Events)] = [l["'{0}' is not an event; use {1}.", unknown, WebhookDispatcher.AllEvents.Replace(",", ", ", StringComparison.Ordinal)]],
            });
        }
        var endpoint = new WebhookEndpoint
        {
            Events = string.Join(',', events),
            DepartmentId = department,
            Url = url.ToString(),
            Secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            // From now on: what changed before the endpoint existed is for the values API.
            Cursor = await ValueChangeOrder.LatestAsync(db),
            CreatedAt = time.GetUtcNow(),
            CreatedBy = user.ActorId(),
        };
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync();
        return Results.Created($"/api/v1/webhooks/{endpoint.Id}", new WebhookView(endpoint.Id, endpoint.Url, events, true, endpoint.Cursor, endpoint.Secret));
    }
}
