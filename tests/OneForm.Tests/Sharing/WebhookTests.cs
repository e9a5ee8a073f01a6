using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
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

    /// <summary>A department's system: answers 500 to the first delivery and 200 after, and keeps what it got.</summary>
    private static async Task<(WebApplication App, string Url, ConcurrentQueue<Received> Got)> ReceiverAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var got = new ConcurrentQueue<Received>();
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            got.Enqueue(new Received(request.Headers["X-OneForm-Signature"].ToString(), request.Headers["X-OneForm-Event"].ToString(), await reader.ReadToEndAsync()));
            return got.Count == 1 ? Results.StatusCode(500) : Results.Ok();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, address + "/hook", got);
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
        Assert.Equal(WebhookDispatcher.Sign(endpoint.Secret!, last.Body), last.Signature);
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

        // 锦绣社区 submits 民政局's form and 组织部's; the head signs both off; the street's reviewer accepts both.
        var jinxiu = await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.OrgUnits, u => u.Name == "锦绣社区居民委员会"));
        foreach (var form in new[] { "CJ-MS-01", "CJ-DJ-01" })
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
        Assert.Equal(WebhookDispatcher.Sign(endpoint.Secret!, accepted.Body), accepted.Signature);
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
}
