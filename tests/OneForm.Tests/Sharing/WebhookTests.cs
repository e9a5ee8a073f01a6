using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Sharing;
using OneForm.Testing;
using OneForm.Tests.Collection;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Sharing;

/// <summary>Webhooks against a real HTTP receiver on 127.0.0.1: signed, retried after a failure, logged, replayed, and only what is readable.</summary>
public sealed class WebhookTests
{
    private sealed record Received(string Signature, string Event, string Body);

    /// <summary>A department's system: answers 500 to the first <paramref name="failures"/> deliveries and 200 after, and keeps what it got.</summary>
    private static async Task<(WebApplication App, string Url, ConcurrentQueue<Received> Got)> ReceiverAsync(int failures = 1)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var got = new ConcurrentQueue<Received>();
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            got.Enqueue(new Received(request.Headers["X-OneForm-Signature"].ToString(), request.Headers["X-OneForm-Event"].ToString(), await reader.ReadToEndAsync()));
            return got.Count <= failures ? Results.StatusCode(500) : Results.Ok();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, address + "/hook", got);
    }

    /// <summary>The signature as a receiver computes it, written here, not taken from OneForm.</summary>
    private static string ReceiverSignature(string secret, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void The_signature_is_the_HMAC_SHA256_of_the_UTF8_body_keyed_with_the_secret()
    {
        // Computed apart from .NET: printf %s "$body" | openssl dgst -sha256 -hmac "$secret"
        const string secret = "whsec_一表通-test";
        const string body = "{\"event\":\"values.changed\",\"unit\":\"锦绣社区\"}";
        const string expected = "sha256=b807cd6b6485ab13f5fa60d416dc95ab7cb141c1f441db44766e6d4c4608d263";

        Assert.Equal(expected, WebhookDispatcher.Sign(secret, body));
        Assert.Equal(expected, ReceiverSignature(secret, body));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Changed_values_are_posted_signed_retried_after_a_failure_logged_and_replayed(DatabaseProvider provider)
    {
        var (receiver, url, got) = await ReceiverAsync();
        await using var _ = receiver;
        await using var app = await OneFormHost.StartAsync(provider, settings: new Dictionary<string, string?> { ["Webhooks:RetryBaseSeconds"] = "0" });
        var welfare = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        var cadre = await PageSession.BearerAsync(app, "cadre.jinxiu", Demo.DemoSeed.DefaultPassword);

        Assert.Equal(HttpStatusCode.BadRequest, (await welfare.PostAsJsonAsync("/api/v1/webhooks", new WebhookRequest("ftp://example"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await cadre.PostAsJsonAsync("/api/v1/webhooks", new WebhookRequest(url))).StatusCode);
        var endpoint = (await (await welfare.PostAsJsonAsync("/api/v1/webhooks", new WebhookRequest(url))).Content.ReadFromJsonAsync<WebhookView>(TestJson.Options))!;
        Assert.NotNull(endpoint.Secret);

        // The cadre types 临时救助人次 (民政局's) and 流动党员数 (组织部's) in one save.
        var jinxiu = await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.OrgUnits, u => u.Name == "锦绣社区居民委员会"));
        var welfareTask = await Filling.GetAsync(cadre, await Filling.TaskIdAsync(app, jinxiu.Code, "CJ-MS-01"));
        var partyTask = await Filling.GetAsync(cadre, await Filling.TaskIdAsync(app, jinxiu.Code, "CJ-DJ-01"));
        Assert.Equal(HttpStatusCode.OK, (await cadre.PutAsJsonAsync($"/api/v1/tasks/{welfareTask.Task.Id}/values",
            new ValuesRequest([Filling.Change(welfareTask, "TEMP_ASSISTANCE_CASES", "17")]))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await cadre.PutAsJsonAsync($"/api/v1/tasks/{partyTask.Task.Id}/values",
            new ValuesRequest([Filling.Change(partyTask, "PARTY_MEMBERS_MOBILE", "4")]))).StatusCode);

        async Task Dispatcher()
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<WebhookDispatcher>().RunOnceAsync();
        }
        await Dispatcher();  // the receiver answers 500
        var log = (await welfare.GetFromJsonAsync<List<DeliveryView>>($"/api/v1/webhooks/{endpoint.Id}/deliveries", TestJson.Options))!;
        var delivery = Assert.Single(log);
        Assert.Equal((1, 500, (DateTimeOffset?)null), (delivery.Attempts, delivery.LastStatus, delivery.DeliveredAt));
        await Dispatcher();  // retried: 200
        delivery = Assert.Single((await welfare.GetFromJsonAsync<List<DeliveryView>>($"/api/v1/webhooks/{endpoint.Id}/deliveries", TestJson.Options))!);
        Assert.Equal((2, 200), (delivery.Attempts, delivery.LastStatus));
        Assert.NotNull(delivery.DeliveredAt);
        await Dispatcher();  // nothing new: nothing sent
        Assert.Equal(2, got.Count);

        var last = got.Last();
        Assert.Equal(ReceiverSignature(endpoint.Secret!, last.Body), last.Signature);
        Assert.Equal("values.changed", last.Event);
        Assert.Contains("TEMP_ASSISTANCE_CASES", last.Body);
        Assert.DoesNotContain("PARTY_MEMBERS_MOBILE", last.Body);  // not 民政局's, not granted

        var replayed = await welfare.PostAsync($"/api/v1/webhooks/{endpoint.Id}/deliveries/{delivery.Id}/replay", null);
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Equal(3, got.Count);
        Assert.Equal(last.Body, got.Last().Body);
        var police = await PageSession.BearerAsync(app, "dept.gongan", Demo.DemoSeed.DefaultPassword);
        Assert.Equal(HttpStatusCode.NotFound, (await police.GetAsync($"/api/v1/webhooks/{endpoint.Id}/deliveries")).StatusCode);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task An_accepted_submission_is_posted_once_to_the_departments_that_may_read_it_with_only_their_values(DatabaseProvider provider)
    {
        var (receiver, url, got) = await ReceiverAsync();
        await using var _ = receiver;
        await using var app = await OneFormHost.StartAsync(provider, settings: new Dictionary<string, string?> { ["Webhooks:RetryBaseSeconds"] = "0" });
        var welfare = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        var cadre = await PageSession.BearerAsync(app, "cadre.jinxiu", Demo.DemoSeed.DefaultPassword);
        var head = await PageSession.BearerAsync(app, "head.jinxiu", Demo.DemoSeed.DefaultPassword);
        var reviewer = await PageSession.BearerAsync(app, "reviewer.jianguolu", Demo.DemoSeed.DefaultPassword);

        Assert.Equal(HttpStatusCode.BadRequest, (await welfare.PostAsJsonAsync("/api/v1/webhooks", new WebhookRequest(url, ["form.sent"]))).StatusCode);
        var endpoint = (await (await welfare.PostAsJsonAsync("/api/v1/webhooks", new WebhookRequest(url, [WebhookDispatcher.SubmissionAccepted])))
            .Content.ReadFromJsonAsync<WebhookView>(TestJson.Options))!;
        Assert.Equal([WebhookDispatcher.SubmissionAccepted], endpoint.Events);

        // 锦绣社区 submits 组织部's form and 民政局's; the head signs both off; the street's reviewer accepts both. (In this
        // order: both ask 常住人口, so filling 组织部's form after 民政局's was accepted would take that acceptance back.)
        var jinxiu = await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.OrgUnits, u => u.Name == "锦绣社区居民委员会"));
        foreach (var form in new[] { "CJ-DJ-01", "CJ-MS-01" })
        {
            var taskId = await Filling.TaskIdAsync(app, jinxiu.Code, form);
            var task = await Filling.GetAsync(cadre, taskId);
            var saved = await cadre.PutAsJsonAsync($"/api/v1/tasks/{taskId}/values", new ValuesRequest(await Filling.EverythingAsync(app, task, 2), Submit: true));
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.NoContent, (await head.PostAsync($"/api/v1/tasks/{taskId}/sign-off", null)).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await reviewer.PostAsync($"/api/v1/tasks/{taskId}/accept", null)).StatusCode);
        }

        async Task Dispatcher()
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<WebhookDispatcher>().RunOnceAsync();
        }
        await Dispatcher();  // 500
        await Dispatcher();  // retried: 200
        await Dispatcher();  // nothing left
        Assert.Equal(2, got.Count);
        var accepted = got.Last();
        Assert.Equal(WebhookDispatcher.SubmissionAccepted, accepted.Event);
        Assert.Equal(ReceiverSignature(endpoint.Secret!, accepted.Body), accepted.Signature);
        using var payload = System.Text.Json.JsonDocument.Parse(accepted.Body);
        Assert.Equal(("CJ-MS-01", jinxiu.Code, "reviewer.jianguolu"), (payload.RootElement.GetProperty("form").GetString(),
            payload.RootElement.GetProperty("unit").GetString(), payload.RootElement.GetProperty("acceptedBy").GetString()));
        var elements = payload.RootElement.GetProperty("values").EnumerateArray().Select(v => v.GetProperty("element").GetString()).ToList();
        Assert.Contains("TEMP_ASSISTANCE_CASES", elements);
        // Only 民政局's own elements: nothing of 组织部's form, nor another department's field of 民政局's form.
        var readable = await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            db.DataElements.Where(e => e.OwnerDepartment!.Code == "MZJ").Select(e => e.Code)));
        Assert.All(elements, e => Assert.Contains(e, readable));
        Assert.DoesNotContain("PARTY_MEMBERS_MOBILE", accepted.Body);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_failing_delivery_is_retried_after_30_s_then_twice_as_long_each_time_and_given_up_after_8_attempts(DatabaseProvider provider)
    {
        var (receiver, url, got) = await ReceiverAsync(failures: int.MaxValue);
        await using var _ = receiver;
        // The default retry settings (30 s, 8 attempts); a receiver on this machine is allowed where targets are checked.
        await using var app = await OneFormHost.StartAsync(provider, settings: new Dictionary<string, string?> { ["Webhooks:AllowedHosts"] = "127.0.0.1" });
        var welfare = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        var cadre = await PageSession.BearerAsync(app, "cadre.jinxiu", Demo.DemoSeed.DefaultPassword);
        var registered = await welfare.PostAsJsonAsync("/api/v1/webhooks", new WebhookRequest(url));
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var endpoint = (await registered.Content.ReadFromJsonAsync<WebhookView>(TestJson.Options))!;
        var jinxiu = await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.OrgUnits, u => u.Name == "锦绣社区居民委员会"));
        var task = await Filling.GetAsync(cadre, await Filling.TaskIdAsync(app, jinxiu.Code, "CJ-MS-01"));
        Assert.Equal(HttpStatusCode.OK, (await cadre.PutAsJsonAsync($"/api/v1/tasks/{task.Task.Id}/values",
            new ValuesRequest([Filling.Change(task, "TEMP_ASSISTANCE_CASES", "9")]))).StatusCode);

        var clock = new ManualClock(new DateTimeOffset(2027, 1, 4, 9, 0, 0, TimeSpan.Zero));
        async Task<WebhookDelivery> RoundAsync()
        {
            await using (var scope = app.Services.CreateAsyncScope())
            {
                await ActivatorUtilities.CreateInstance<WebhookDispatcher>(scope.ServiceProvider, clock).RunOnceAsync();
            }
            return await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
                Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AsNoTracking(db.WebhookDeliveries), d => d.EndpointId == endpoint.Id));
        }

        var delivery = await RoundAsync();
        Assert.Equal((1, 1, (int?)500), (got.Count, delivery.Attempts, delivery.LastStatus));
        int[] delays = [30, 60, 120, 240, 480, 960, 1920];
        for (var attempt = 1; attempt < 8; attempt++)
        {
            Assert.Equal(clock.Now.AddSeconds(delays[attempt - 1]), delivery.NextAttemptAt);
            clock.Now = delivery.NextAttemptAt.AddSeconds(-1);
            delivery = await RoundAsync();
            Assert.Equal((attempt, attempt), (got.Count, delivery.Attempts));  // a second early: not sent
            clock.Now = clock.Now.AddSeconds(1);
            delivery = await RoundAsync();
            Assert.Equal((attempt + 1, attempt + 1), (got.Count, delivery.Attempts));
        }

        clock.Now = clock.Now.AddDays(30);
        delivery = await RoundAsync();
        Assert.Equal((8, 8, (int?)500), (got.Count, delivery.Attempts, delivery.LastStatus));
        Assert.Null(delivery.DeliveredAt);
    }
}
