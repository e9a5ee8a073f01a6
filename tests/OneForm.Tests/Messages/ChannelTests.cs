using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Messages;
using OneForm.Messages.Channels;
using OneForm.Reports;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Messages;

/// <summary>
/// Messages beyond the app, tested against real receivers on 127.0.0.1: a reviewer's 催报 reaches a cadre's device by
/// web push (the test plays the browser: its own keys, the VAPID signature checked, the payload decrypted) and the
/// township's robot group by a signed webhook (retried after a failure, delivered once); and a report's outcome reaches
/// the person who filed it.
/// </summary>
[Collection(nameof(AppsCollection))]
public sealed partial class ChannelTests(Apps apps)
{
    private static readonly JsonSerializerOptions Json = TestJson.Options;

    /// <summary>Sends everything the outbox holds that is due at <paramref name="at"/>, as the delivery loop would.</summary>
    private static async Task DeliverAsync(OneFormHost app, DateTimeOffset? at = null)
    {
        while (true)
        {
            await using var scope = app.Services.CreateAsyncScope();
            if (await scope.ServiceProvider.GetRequiredService<ChannelDelivery>().DeliverDueAsync(at) < ChannelDelivery.BatchSize)
            {
                return;
            }
        }
    }

    /// <summary>
    /// A reviewer of the township reminds the units below that have not started a form the unit has not started (the
    /// unit among them); the form's name. Each test reminds its own township: a unit is reminded once a day.
    /// </summary>
    private static async Task<string> UrgeAsync(OneFormHost app, string township, string unit)
    {
        var reviewer = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Reviewer, township)).UserName!);
        var task = await app.WithDbAsync(db => db.FillingTasks.Include(t => t.Form).Where(t => t.OrgUnit!.Code == unit && t.Status == TaskState.NotStarted)
            .OrderByDescending(t => t.Deadline).ThenBy(t => t.Id).FirstAsync());
        var urged = await reviewer.PostAsJsonAsync("/api/v1/reminders/urge", new UrgeRequest(task.Form!.Code, task.PeriodCode, township), Json);
        Assert.True(urged.StatusCode == HttpStatusCode.OK, await urged.Content.ReadAsStringAsync());
        return task.Form.Name;
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_reminder_reaches_a_cadres_device_by_web_push_signed_and_encrypted_and_a_gone_device_is_forgotten(DatabaseProvider provider)
    {
        const string township = "652301002000", unit = "652301002003";
        var app = await apps.GetAsync(provider);
        var cadreUser = await app.CreateUserAsync(Role.Cadre, unit);
        var cadre = await PageSession.BearerAsync(app, cadreUser.UserName!);

        // The browser: its P-256 key pair and its 16-byte authentication secret.
        using var browser = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var q = browser.ExportParameters(false).Q;
        byte[] browserPublic = [0x04, .. q.X!, .. q.Y!];
        var authSecret = RandomNumberGenerator.GetBytes(16);
        var keys = new PushKeysBody(Base64Url.EncodeToString(browserPublic), Base64Url.EncodeToString(authSecret));

        // The push service: this device's endpoint answers 201, the other device's 410 (its subscription expired).
        await using var service = await new Receiver(r => (r.PathAndQuery.StartsWith("/gone", StringComparison.Ordinal) ? 410 : 201, "")).StartAsync();
        var live = new Uri(service.Origin, "/push/" + Guid.NewGuid().ToString("N")).ToString();
        var gone = new Uri(service.Origin, "/gone/" + Guid.NewGuid().ToString("N")).ToString();

        // The page offers the button with the server's key, the same the API gives.
        var page = await PageSession.SignedInAsync(app, cadreUser.UserName!);
        var html = await page.GetHtmlAsync("/Messages");
        Assert.Contains("在本机接收提醒", html, StringComparison.Ordinal);
        var serverKey = (await cadre.GetFromJsonAsync<PushKeyView>("/api/v1/push-subscriptions/key", Json))!.PublicKey;
        Assert.Contains($"data-key=\"{serverKey}\"", html, StringComparison.Ordinal);

        // Only a push service's address is taken: the server would post to it.
        var elsewhere = await cadre.PostAsJsonAsync("/api/v1/push-subscriptions", new PushSubscriptionRequest("https://10.0.0.7/push/x", keys), Json);
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
        Assert.Contains("推送服务", await elsewhere.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await cadre.PostAsJsonAsync("/api/v1/push-subscriptions",
            new PushSubscriptionRequest(live, keys with { Auth = "short" }), Json)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await cadre.PostAsJsonAsync("/api/v1/push-subscriptions", new PushSubscriptionRequest(live, keys), Json)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await cadre.PostAsJsonAsync("/api/v1/push-subscriptions", new PushSubscriptionRequest(gone, keys), Json)).StatusCode);
        // Someone else cannot take this device's reminders off.
        var other = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, unit)).UserName!);
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync("/api/v1/push-subscriptions?endpoint=" + Uri.EscapeDataString(live))).StatusCode);

        var form = await UrgeAsync(app, township, unit);
        await DeliverAsync(app);
        await service.WaitAsync();

        var push = Assert.Single(service.All, r => r.PathAndQuery == new Uri(live).PathAndQuery);
        Assert.Equal(("POST", 201), (push.Method, push.Status));
        Assert.Equal("aes128gcm", push.Headers["Content-Encoding"]);
        VerifyVapid(push.Headers["Authorization"], serverKey, service.Origin);
        var payload = JsonDocument.Parse(Decrypt(push.Body, browser, browserPublic, authSecret)).RootElement;
        var text = payload.GetProperty("body").GetString()!;
        Assert.Contains($"《{form}》", text, StringComparison.Ordinal);
        Assert.Contains("尚未开始填报", text, StringComparison.Ordinal);
        Assert.Equal("一表通", payload.GetProperty("title").GetString());
        Assert.StartsWith("/Collection/Task/", payload.GetProperty("url").GetString(), StringComparison.Ordinal);

        // The device whose service answered 410 is forgotten; the other stays, and the delivery is done, not retried.
        var devices = await app.WithDbAsync(db => db.Set<PushSubscription>().Where(s => s.UserId == cadreUser.Id).Select(s => s.Endpoint).ToListAsync());
        Assert.Equal([live], devices);
        await DeliverAsync(app, DateTimeOffset.UtcNow.AddHours(3));
        Assert.Single(service.All, r => r.PathAndQuery == new Uri(live).PathAndQuery);

        // Turning reminders off on this device.
        Assert.Equal(HttpStatusCode.NoContent, (await cadre.DeleteAsync("/api/v1/push-subscriptions?endpoint=" + Uri.EscapeDataString(live))).StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<PushSubscription>().CountAsync(s => s.UserId == cadreUser.Id)));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_reminder_reaches_the_townships_robot_signed_once_after_a_failure_and_without_names(DatabaseProvider provider)
    {
        const string township = "652301005000", unit = "652301005009";
        var app = await apps.GetAsync(provider);
        var secret = "SEC" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var failedOnce = false;
        // The robot refuses the first request about this unit (500), then takes them; every request's signature is checked.
        await using var robot = await new Receiver(r =>
        {
            var content = JsonDocument.Parse(r.Body).RootElement.GetProperty("text").GetProperty("content").GetString()!;
            if (!SignatureHolds(r.PathAndQuery, secret))
            {
                return (200, """{"errcode":310000,"errmsg":"sign not match"}""");
            }
            if (content.Contains("五星社区", StringComparison.Ordinal) && !failedOnce)
            {
                failedOnce = true;
                return (500, "");
            }
            return (200, """{"errcode":0,"errmsg":"ok"}""");
        }).StartAsync();

        // The administrator sets the township's robot on the channels page; a cadre may not open it.
        var adminUser = await app.CreateUserAsync(Role.Administrator);
        var admin = await PageSession.SignedInAsync(app, adminUser.UserName!);
        var url = new Uri(robot.Origin, "/robot/send?access_token=" + Guid.NewGuid().ToString("N")).ToString();
        var saved = await admin.SubmitAsync("/Admin/Channels", new() { ["Unit"] = township, ["unitPick"] = township, ["Address"] = url, ["Secret"] = secret, ["Enabled"] = "true" },
            "/Admin/Channels?handler=Save");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var listed = await admin.GetHtmlAsync("/Admin/Channels");
        Assert.Contains("中山路街道", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(new Uri(url).Query, listed, StringComparison.Ordinal);  // the robot's access token
        var robotId = await app.WithDbAsync(db => db.Set<RobotChannel>().Where(r => r.OrgUnit!.Code == township).Select(r => r.Id).SingleAsync());
        // Who set it is in the audit trail, by account id; the secret is not, not even encrypted.
        var audit = await app.WithDbAsync(db => db.AuditEntries.Where(e => e.EntityType == "RobotChannel" && e.EntityKey == robotId.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .ToListAsync());
        Assert.Contains(audit, e => e.ActorId == adminUser.Id);
        Assert.DoesNotContain(audit, e => (e.Changes ?? "").Contains("ProtectedSecret", StringComparison.Ordinal));
        var cadrePage = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Cadre, unit)).UserName!);
        Assert.NotEqual(HttpStatusCode.OK, (await cadrePage.Client.GetAsync("/Admin/Channels")).StatusCode);

        // Two cadres of the village are reminded: one text about it in the group, refused once, then delivered once.
        await app.CreateUserAsync(Role.Cadre, unit);
        var form = await UrgeAsync(app, township, unit);
        static bool Mine(Receiver.Received r) => Content(r).Contains("五星社区", StringComparison.Ordinal);
        await DeliverAsync(app);
        await robot.WaitAsync();
        Assert.Equal([500], robot.All.Where(Mine).Select(r => r.Status));
        await DeliverAsync(app, DateTimeOffset.UtcNow.AddHours(1));
        await robot.WaitAsync();
        await DeliverAsync(app, DateTimeOffset.UtcNow.AddHours(5));
        Assert.Equal([500, 200], robot.All.Where(Mine).Select(r => r.Status));
        var sent = robot.All.Where(Mine).Last();
        var content = JsonDocument.Parse(sent.Body).RootElement;
        Assert.Equal("text", content.GetProperty("msgtype").GetString());
        var text = content.GetProperty("text").GetProperty("content").GetString()!;
        Assert.Contains($"【一表通】五星社区居委会：", text, StringComparison.Ordinal);
        Assert.Contains($"《{form}》", text, StringComparison.Ordinal);
        Assert.DoesNotContain("测试", text, StringComparison.Ordinal);  // no account's name (test accounts are called 测试…)
        Assert.True(robot.All.All(r => SignatureHolds(r.PathAndQuery, secret)));

        // The page's test message goes through the same outbox and arrives in the group.
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync("/Admin/Channels", [], $"/Admin/Channels?handler=Test&id={robotId}")).StatusCode);
        await DeliverAsync(app);
        Assert.Contains(robot.All, r => Content(r).Contains("测试消息", StringComparison.Ordinal));
        Assert.Contains("已送达", await admin.GetHtmlAsync("/Admin/Channels"), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Deliveries_finished_a_month_ago_are_forgotten_while_their_messages_and_waiting_deliveries_stay(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var cadre = await app.CreateUserAsync(Role.Cadre, "652301004002");
        var now = DateTimeOffset.UtcNow;
        var (messageId, oldId, recentId, waitingId) = await app.WithDbAsync(async db =>
        {
            var message = new Message { RecipientId = cadre.Id, Kind = MessageKind.Returned, Arguments = """["x","y"]""", CreatedAt = now.AddDays(-40) };
            db.Add(message);
            await db.SaveChangesAsync();
            MessageDelivery Delivery(DateTimeOffset? done, DateTimeOffset next) => new()
            {
                MessageId = message.Id, Channel = DeliveryChannel.Push, CreatedAt = now.AddDays(-40), NextAttemptAt = next, DoneAt = done, Outcome = done is null ? null : "sent",
            };
            var (old, recent, waiting) = (Delivery(now.AddDays(-31), now.AddDays(-40)), Delivery(now.AddDays(-2), now.AddDays(-40)), Delivery(null, now.AddDays(1)));
            db.AddRange(old, recent, waiting);
            await db.SaveChangesAsync();
            return (message.Id, old.Id, recent.Id, waiting.Id);
        });

        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<ChannelDelivery>().ForgetFinishedAsync(now) >= 1);
        }

        var left = await app.WithDbAsync(db => db.Set<MessageDelivery>().Where(d => d.MessageId == messageId).Select(d => d.Id).ToListAsync());
        Assert.Equal([recentId, waitingId], left.Order());
        Assert.DoesNotContain(oldId, left);
        Assert.True(await app.WithDbAsync(db => db.Set<Message>().AnyAsync(m => m.Id == messageId)));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_person_who_filed_a_report_is_told_its_outcome_in_chinese_with_a_link_to_it(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, "652301005007")).UserName!);
        var gatekeeper = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Gatekeeper)).UserName!);
        using var filing = new MultipartFormDataContent
        {
            { new StringContent("辖区流动摊贩登记表"), "formTitle" },
            { new StringContent("镇政府某办公室"), "sentBy" },
            { new StringContent("ChatMessage"), "channel" },
            { new StringContent(DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), "receivedOn" },
        };
        var filed = await cadre.PostAsync("/api/v1/reports", filing);
        Assert.True(filed.IsSuccessStatusCode, await filed.Content.ReadAsStringAsync());
        var report = (await filed.Content.ReadFromJsonAsync<ReportView>(Json))!;
        Assert.Empty((await cadre.GetFromJsonAsync<MessageList>("/api/v1/messages", Json))!.Messages);

        Assert.Equal(HttpStatusCode.OK, (await gatekeeper.PostAsync($"/api/v1/reports/{report.Id}/investigate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gatekeeper.PostAsJsonAsync($"/api/v1/reports/{report.Id}/dismiss", new NoteBody("该表已于今年准入，准入编号可在目录中查到。"), Json)).StatusCode);
        var decided = Assert.Single((await cadre.GetFromJsonAsync<MessageList>("/api/v1/messages", Json))!.Messages);
        Assert.Equal(("ReportDecided", $"/Reports/{report.Id}"), (decided.Kind, decided.Link));
        Assert.Equal("您的举报《辖区流动摊贩登记表》已有处理结果：举报不实：该表已于今年准入，准入编号可在目录中查到。", decided.Text);

        Assert.Equal(HttpStatusCode.OK, (await gatekeeper.PostAsync($"/api/v1/reports/{report.Id}/close", null)).StatusCode);
        var messages = (await cadre.GetFromJsonAsync<MessageList>("/api/v1/messages", Json))!.Messages;
        Assert.Equal("您的举报《辖区流动摊贩登记表》已有处理结果：已结案", messages[0].Text);
        // A report outcome is the reporter's alone: it never goes to a robot group, which would tell who reported.
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<MessageDelivery>().CountAsync(d => d.Message!.Kind == MessageKind.ReportDecided && d.Channel == DeliveryChannel.Robot)));
    }

    private static string Content(Receiver.Received r) => JsonDocument.Parse(r.Body).RootElement.GetProperty("text").GetProperty("content").GetString()!;

    private static bool SignatureHolds(string pathAndQuery, string secret)
    {
        var query = System.Web.HttpUtility.ParseQueryString(new Uri("http://x" + pathAndQuery).Query);
        if (query["timestamp"] is not { } timestamp || query["sign"] is not { } sign || query["access_token"] is null)
        {
            return false;
        }
        var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "\n" + secret)));
        var age = DateTimeOffset.UtcNow - DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture));
        return sign == expected && age.Duration() < TimeSpan.FromHours(1);
    }

    /// <summary>The VAPID header: "vapid t=JWT, k=key", the key the server's, the JWT signed with it (ES256) for this push service.</summary>
    private static void VerifyVapid(string authorization, string serverKey, Uri origin)
    {
        var match = Vapid().Match(authorization);
        Assert.True(match.Success, authorization);
        Assert.Equal(serverKey, match.Groups["k"].Value);
        var parts = match.Groups["t"].Value.Split('.');
        Assert.Equal(3, parts.Length);
        var key = Base64Url.DecodeFromChars(serverKey);
        using var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = key[1..33], Y = key[33..65] } });
        Assert.True(ecdsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation), "the VAPID token's signature does not hold");
        var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement;
        Assert.Equal("ES256", header.GetProperty("alg").GetString());
        var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement;
        // The push service's origin; Lib.Net.Http.WebPush leaves out the port, which the push services never have (443).
        Assert.Equal($"{origin.Scheme}://{origin.Host}", claims.GetProperty("aud").GetString());
        Assert.True(DateTimeOffset.FromUnixTimeSeconds(claims.GetProperty("exp").GetInt64()) > DateTimeOffset.UtcNow);
        Assert.False(string.IsNullOrEmpty(claims.GetProperty("sub").GetString()));
    }

    /// <summary>The aes128gcm body (RFC 8188) decrypted with the browser's private key and authentication secret (RFC 8291).</summary>
    private static string Decrypt(byte[] body, ECDiffieHellman browser, byte[] browserPublic, byte[] authSecret)
    {
        var salt = body[..16];
        var recordSize = (body[16] << 24) | (body[17] << 16) | (body[18] << 8) | body[19];
        var idLength = body[20];
        var serverPublic = body[21..(21 + idLength)];
        var cipher = body[(21 + idLength)..];
        Assert.Equal(65, serverPublic.Length);
        Assert.True(cipher.Length <= recordSize);
        using var server = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = serverPublic[1..33], Y = serverPublic[33..65] },
        });
        var shared = browser.DeriveRawSecretAgreement(server.PublicKey);
        byte[] keyInfo = [.. "WebPush: info\0"u8, .. browserPublic, .. serverPublic];
        var ikm = HKDF.Expand(HashAlgorithmName.SHA256, HKDF.Extract(HashAlgorithmName.SHA256, shared, authSecret), 32, keyInfo);
        var prk = HKDF.Extract(HashAlgorithmName.SHA256, ikm, salt);
        var contentKey = HKDF.Expand(HashAlgorithmName.SHA256, prk, 16, "Content-Encoding: aes128gcm\0"u8.ToArray());
        var nonce = HKDF.Expand(HashAlgorithmName.SHA256, prk, 12, "Content-Encoding: nonce\0"u8.ToArray());
        var plain = new byte[cipher.Length - 16];
        using (var aes = new AesGcm(contentKey, 16))
        {
            aes.Decrypt(nonce, cipher[..^16], cipher[^16..], plain);
        }
        // The last record ends with the delimiter 2, then any padding zeros.
        var end = Array.FindLastIndex(plain, b => b != 0);
        Assert.Equal(2, plain[end]);
        return Encoding.UTF8.GetString(plain, 0, end);
    }

    [GeneratedRegex(@"^vapid t=(?<t>[^,\s]+),\s*k=(?<k>[^,\s]+)$", RegexOptions.IgnoreCase)]
    private static partial Regex Vapid();
}
