using System.Buffers.Text;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Messages.Channels;

public sealed record PushKeysBody(string? P256dh, string? Auth);

/// <summary>A browser's push subscription as <c>PushSubscription.toJSON()</c> gives it.</summary>
public sealed record PushSubscriptionRequest(string? Endpoint, PushKeysBody? Keys);

public sealed record PushKeyView(string PublicKey);

internal static class PushSubscriptionsApi
{
    public static void MapPushSubscriptionsApi(this IEndpointRouteBuilder routes)
    {
        var push = routes.MapGroup("/api/v1/push-subscriptions").WithTags("Messages");
        push.MapGet("/key", async (VapidKeys keys) => TypedResults.Ok(new PushKeyView(await keys.PublicKeyAsync())))
            .WithSummary("The app's VAPID public key (base64url), the applicationServerKey a browser subscribes with.")
            .Allow(Operations.MessagesOwn);
        push.MapPost("/", SubscribeAsync)
            .WithSummary("Turns reminders on for this device: the browser's push subscription, kept for your account (an endpoint of a push service only).")
            .Allow(Operations.MessagesOwn);
        push.MapDelete("/", UnsubscribeAsync)
            .WithSummary("Turns reminders off for this device (endpoint: the subscription's endpoint; only your own).")
            .Allow(Operations.MessagesOwn);
    }

    private static async Task<Results<NoContent, ValidationProblem>> SubscribeAsync(PushSubscriptionRequest request, ClaimsPrincipal user,
        OneFormDbContext db, PushTargets targets, TimeProvider time, IStringLocalizer<SharedResource> l)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Endpoint is not { Length: > 0 and <= PushSubscription.MaxEndpointLength } endpoint || !targets.IsAllowed(endpoint))
        {
            // The server will post to this address: only a push service's own hosts, never one of the network's.
            errors[nameof(request.Endpoint)] = [l["The endpoint is not an address of a push service."]];
        }
        if (!IsKey(request.Keys?.P256dh, 65, first: 0x04))
        {
            errors["Keys.P256dh"] = [l["The device's key is not a P-256 public key."]];
        }
        if (!IsKey(request.Keys?.Auth, 16))
        {
            errors["Keys.Auth"] = [l["The device's authentication secret is not 16 bytes."]];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var me = user.ActorId();
        // A device belongs to whoever turned reminders on last: a shared phone signed in by someone else is theirs now.
        var device = await db.Set<PushSubscription>().SingleOrDefaultAsync(s => s.Endpoint == request.Endpoint);
        if (device is null)
        {
            db.Set<PushSubscription>().Add(new PushSubscription
            {
                UserId = me, Endpoint = request.Endpoint!, P256dh = request.Keys!.P256dh!, Auth = request.Keys.Auth!, CreatedAt = time.GetUtcNow(),
            });
        }
        else
        {
            (device.UserId, device.P256dh, device.Auth) = (me, request.Keys!.P256dh!, request.Keys.Auth!);
        }
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            // The same device subscribed twice at once: it is subscribed.
        }
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, NotFound>> UnsubscribeAsync(string endpoint, ClaimsPrincipal user, OneFormDbContext db)
    {
        var me = user.ActorId();
        var removed = await db.Set<PushSubscription>().Where(s => s.Endpoint == endpoint && s.UserId == me).ExecuteDeleteAsync();
        return removed > 0 ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    private static bool IsKey(string? text, int length, byte? first = null)
    {
        if (text is not { Length: > 0 and < 200 })
        {
            return false;
        }
        try
        {
            var bytes = Base64Url.DecodeFromChars(text.TrimEnd('='));
            return bytes.Length == length && (first is null || bytes[0] == first);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
