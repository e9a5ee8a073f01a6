using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Localization;
using WebPushSubscription = Lib.Net.Http.WebPush.PushSubscription;

namespace OneForm.Messages.Channels;

/// <summary>
/// Sends what the outbox holds: each due delivery once per round, to the recipient's devices (web push) or to the robot
/// of their unit or the nearest unit above it. A delivery is marked done when sent (or when there is nowhere to send
/// it), and a failure is tried again after a delay that doubles, at most <c>Channels:MaxAttempts</c> (6) times (<see cref="RetrySchedule"/>).
/// </summary>
public sealed class ChannelDelivery(OneFormDbContext db, IHttpClientFactory clients, VapidKeys vapid, IDataProtectionProvider protection,
    IStringLocalizer<SharedResource> l, TimeProvider time, IConfiguration configuration, ILogger<ChannelDelivery> log)
{
    public const string HttpClientName = "message-channels";
    public const int BatchSize = 200;

    /// <summary>What a push says at most: the push services refuse payloads over about 4 kB.</summary>
    private const int MaxPushText = 300;

    private RetrySchedule Retry => RetrySchedule.From(configuration, "Channels", maxAttempts: 6);

    /// <summary>The DingTalk-style signature: HMAC-SHA256 of "timestamp\nsecret" keyed with the secret, base64, URL-encoded, appended to the URL.</summary>
    public static string SignedUrl(string url, string secret, DateTimeOffset at)
    {
        var timestamp = at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var sign = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "\n" + secret)));
        return url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "timestamp=" + timestamp + "&sign=" + Uri.EscapeDataString(sign);
    }

    /// <summary>Tries every delivery due at <paramref name="at"/> (now by default) once; returns how many it tried (at most <see cref="BatchSize"/>).</summary>
    public async Task<int> DeliverDueAsync(DateTimeOffset? at = null, CancellationToken cancellationToken = default)
    {
        var now = at ?? time.GetUtcNow();
        var due = await db.Set<MessageDelivery>().Include(d => d.Message)
            .Where(d => d.DoneAt == null && d.NextAttemptAt <= now)
            .OrderBy(d => d.Id).Take(BatchSize).ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }
        var recipients = due.Where(d => d.Message is not null).Select(d => d.Message!.RecipientId).Distinct().ToList();
        await PushAsync([.. due.Where(d => d.Channel == DeliveryChannel.Push)], recipients, now, cancellationToken);
        await RobotAsync([.. due.Where(d => d.Channel == DeliveryChannel.Robot)], recipients, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return due.Count;
    }

    /// <summary>How long a finished delivery (sent, or given up) is kept for the channels page: <c>Channels:KeepDays</c>, 30 by default.</summary>
    public int KeepDays => configuration.GetValue("Channels:KeepDays", 30);

    /// <summary>
    /// Forgets deliveries finished more than <see cref="KeepDays"/> before <paramref name="at"/>: the message itself
    /// stays in the inbox; the outbox row only said how it went out. Returns how many were forgotten.
    /// </summary>
    public Task<int> ForgetFinishedAsync(DateTimeOffset? at = null, CancellationToken cancellationToken = default)
    {
        var before = (at ?? time.GetUtcNow()).AddDays(-KeepDays);
        return db.Set<MessageDelivery>().Where(d => d.DoneAt != null && d.DoneAt < before).ExecuteDeleteAsync(cancellationToken);
    }

    private async Task PushAsync(List<MessageDelivery> deliveries, List<string> recipients, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (deliveries.Count == 0)
        {
            return;
        }
        var devices = await db.Set<PushSubscription>().Where(s => recipients.Contains(s.UserId)).ToListAsync(cancellationToken);
        if (devices.Count == 0)
        {
            deliveries.ForEach(d => Settle(d, Outcomes.NoTarget, null, now));
            return;
        }
        var (publicKey, privateKey) = await vapid.GetAsync(cancellationToken);
        using var authentication = new VapidAuthentication(publicKey, privateKey)
        {
            Subject = configuration["Push:Subject"] ?? "mailto:oneform@localhost",
        };
        var client = new PushServiceClient(clients.CreateClient(HttpClientName))
        {
            DefaultAuthentication = authentication,
            DefaultAuthenticationScheme = VapidAuthenticationScheme.Vapid,
            // A busy push service's "retry after" is the loop's to honour, not a wait inside the round.
            AutoRetryAfter = false,
        };
        var gone = new HashSet<int>();
        foreach (var delivery in deliveries)
        {
            if (delivery.Message is not { } message)
            {
                Settle(delivery, Outcomes.NoTarget, null, now);
                continue;
            }
            var reached = (delivery.Reached ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            var payload = PushPayload(message);
            var (failed, status) = (false, (int?)null);
            foreach (var device in devices.Where(s => s.UserId == message.RecipientId && !gone.Contains(s.Id)
                                                      && !reached.Contains(s.Id.ToString(CultureInfo.InvariantCulture))))
            {
                try
                {
                    await client.RequestPushMessageDeliveryAsync(Subscription(device),
                        new PushMessage(payload) { TimeToLive = 24 * 3600, Urgency = PushMessageUrgency.Normal }, cancellationToken);
                    reached.Add(device.Id.ToString(CultureInfo.InvariantCulture));
                }
                catch (PushServiceClientException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
                {
                    // The browser dropped the subscription (uninstalled, permission withdrawn): forget the device.
                    gone.Add(device.Id);
                    db.Remove(device);
                }
                catch (PushServiceClientException e)
                {
                    (failed, status) = (true, (int)e.StatusCode);
                    log.LogWarning("Push of message {Message} to device {Device} failed: {Status}", message.Id, device.Id, (int)e.StatusCode);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    failed = true;
                    log.LogWarning("Push of message {Message} to device {Device} failed: {Error}", message.Id, device.Id, e.InnerException?.Message ?? e.Message);
                }
            }
            delivery.Reached = string.Join(',', reached);
            Settle(delivery, failed ? null : reached.Count > 0 ? Outcomes.Sent : Outcomes.NoTarget, status, now);
        }
    }

    private static WebPushSubscription Subscription(PushSubscription device)
    {
        var subscription = new WebPushSubscription { Endpoint = device.Endpoint };
        subscription.SetKey(PushEncryptionKeyName.P256DH, device.P256dh);
        subscription.SetKey(PushEncryptionKeyName.Auth, device.Auth);
        return subscription;
    }

    /// <summary>What the service worker shows: the message in Chinese and where tapping it goes. It goes to the person's own device only.</summary>
    private string PushPayload(Message message)
    {
        var text = MessageWords.Chinese(() => MessageTexts.Text(message, l));
        return JsonSerializer.Serialize(new
        {
            title = MessageWords.Chinese(() => l["OneForm"].Value),
            body = text.Length > MaxPushText ? text[..MaxPushText] + "…" : text,
            url = Inbox.IsLocal(message.Link) ? message.Link : "/Messages",
            tag = "message-" + message.Id.ToString(CultureInfo.InvariantCulture),
        });
    }

    private async Task RobotAsync(List<MessageDelivery> deliveries, List<string> recipients, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (deliveries.Count == 0)
        {
            return;
        }
        var robots = await db.Set<RobotChannel>().AsNoTracking().Include(r => r.OrgUnit).ToDictionaryAsync(r => r.Id, cancellationToken);
        var people = await db.Users.AsNoTracking().Where(u => recipients.Contains(u.Id))
            .Select(u => new { u.Id, Unit = u.OrgUnit == null ? null : new { u.OrgUnit.Name, u.OrgUnit.Path } })
            .ToDictionaryAsync(u => u.Id, u => u.Unit, cancellationToken);
        var sends = new Dictionary<(int Robot, string Text), List<MessageDelivery>>();
        foreach (var delivery in deliveries)
        {
            RobotChannel? robot;
            string? text;
            if (delivery.Message is { } message)
            {
                var unit = people.GetValueOrDefault(message.RecipientId);
                // The nearest unit above the person (or their own) that has a robot switched on.
                robot = unit is null ? null : robots.Values.Where(r => r.IsEnabled && unit.Path.StartsWith(r.OrgUnit!.Path, StringComparison.Ordinal))
                    .MaxBy(r => r.OrgUnit!.Path.Length);
                text = unit is null ? null : RobotTexts.Text(message.Kind, message.Args, unit.Name, l);
                if (robot is null || text is null)
                {
                    Settle(delivery, text is null && unit is not null ? Outcomes.NotForRobot : Outcomes.NoTarget, null, now);
                    continue;
                }
            }
            else
            {
                // An administrator's test goes to the robot tested, switched on or not.
                robot = delivery.RobotChannelId is { } id ? robots.GetValueOrDefault(id) : null;
                text = delivery.Text;
                if (robot is null || text is null)
                {
                    Settle(delivery, Outcomes.NoTarget, null, now);
                    continue;
                }
            }
            delivery.RobotChannelId = robot.Id;
            // A message to "the unit" is one message to each of its people, but one text in the group.
            (sends.TryGetValue((robot.Id, text), out var same) ? same : sends[(robot.Id, text)] = []).Add(delivery);
        }
        foreach (var ((robotId, text), same) in sends)
        {
            var (ok, status) = await SendToRobotAsync(robots[robotId], text, cancellationToken);
            same.ForEach(d => Settle(d, ok ? Outcomes.Sent : null, status, now));
        }
    }

    private async Task<(bool Ok, int? Status)> SendToRobotAsync(RobotChannel robot, string text, CancellationToken cancellationToken)
    {
        try
        {
            var url = robot.ProtectedSecret is { } kept
                ? SignedUrl(robot.Url, protection.CreateProtector(ChannelSecrets.Purpose).Unprotect(kept), time.GetUtcNow())
                : robot.Url;
            var body = JsonSerializer.Serialize(new { msgtype = "text", text = new { content = text } });
            using var response = await clients.CreateClient(HttpClientName)
                .PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);
            var answer = await response.Content.ReadAsStringAsync(cancellationToken);
            // The robots answer 200 with {"errcode": 310000, "errmsg": "sign not match"} when they refuse.
            var ok = response.IsSuccessStatusCode && ErrorCode(answer) is null or 0;
            if (!ok)
            {
                // The robot's URL holds its access token: the log names the robot, not the URL.
                log.LogWarning("Robot {Robot} refused a message: {Status} {Answer}", robot.Id, (int)response.StatusCode, answer.Length > 200 ? answer[..200] : answer);
            }
            return (ok, (int)response.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or CryptographicException)
        {
            log.LogWarning("Robot {Robot} could not be reached: {Error}", robot.Id, e.InnerException?.Message ?? e.Message);
            return (false, null);
        }
    }

    private static int? ErrorCode(string answer)
    {
        try
        {
            using var json = JsonDocument.Parse(answer);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("errcode", out var code)
                   && code.TryGetInt32(out var value) ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Done with <paramref name="outcome"/>, or (null) failed: tried again after a doubling delay, until the attempts run out.</summary>
    private void Settle(MessageDelivery delivery, string? outcome, int? status, DateTimeOffset now)
    {
        delivery.Attempts++;
        delivery.LastStatus = status;
        if (outcome is not null)
        {
            (delivery.DoneAt, delivery.Outcome) = (now, outcome);
        }
        else if (delivery.Attempts >= Retry.MaxAttempts)
        {
            (delivery.DoneAt, delivery.Outcome) = (now, Outcomes.GaveUp);
        }
        else
        {
            delivery.Outcome = Outcomes.Failed;
            delivery.NextAttemptAt = Retry.NextAttempt(now, delivery.Attempts);
        }
    }
}

/// <summary>Wakes the delivery loop when something should go out now (an administrator's test message).</summary>
public sealed class ChannelSignal
{
    private readonly System.Threading.Channels.Channel<bool> channel =
        System.Threading.Channels.Channel.CreateBounded<bool>(new System.Threading.Channels.BoundedChannelOptions(1)
        {
            FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite,
        });

    public void Queued() => channel.Writer.TryWrite(true);

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            await channel.Reader.ReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The interval passed: a round is due anyway.
        }
    }
}

/// <summary>
/// Sends the outbox in the background, every <c>Channels:PollSeconds</c> (20) or when woken; one node at a time
/// (<see cref="BackgroundRounds"/>), so two nodes do not send the same delivery.
/// </summary>
internal sealed class ChannelDeliveryService(IServiceScopeFactory scopes, ChannelSignal signal, IConfiguration configuration,
    ILogger<ChannelDeliveryService> log) : BackgroundRounds(scopes, log)
{
    protected override string What => "Sending messages through the channels";

    protected override long? Lease => 4702111234474983746;

    protected override async Task<bool> WaitAsync(CancellationToken stoppingToken)
    {
        await signal.WaitAsync(TimeSpan.FromSeconds(configuration.GetValue("Channels:PollSeconds", 20.0)), stoppingToken);
        return !stoppingToken.IsCancellationRequested;
    }

    protected override async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var delivery = services.GetRequiredService<ChannelDelivery>();
        var db = services.GetRequiredService<OneFormDbContext>();
        // A full batch means more is waiting: go on until the outbox is empty.
        while (await delivery.DeliverDueAsync(cancellationToken: cancellationToken) == ChannelDelivery.BatchSize && !cancellationToken.IsCancellationRequested)
        {
            db.ChangeTracker.Clear();
        }
        await delivery.ForgetFinishedAsync(cancellationToken: cancellationToken);
    }
}
