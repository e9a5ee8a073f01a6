using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Sharing;
using OneForm.Testing;
using OneForm.Tests.Collection;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Sharing;

/// <summary>A department told of an acceptance is told when a later change takes it back, through a real receiver on 127.0.0.1.</summary>
public sealed class ReopenedWebhookTests
{
    private sealed record Received(string Signature, string Event, string Body);

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_department_that_got_an_acceptance_gets_submission_reopened_when_a_value_it_holds_changes_through_another_form(DatabaseProvider provider)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var receiver = builder.Build();
        var got = new ConcurrentQueue<Received>();
        receiver.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            got.Enqueue(new Received(request.Headers["X-OneForm-Signature"].ToString(), request.Headers["X-OneForm-Event"].ToString(), await reader.ReadToEndAsync()));
            return Results.Ok();
        });
        await receiver.StartAsync();
        var url = receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";
        await using var app = await OneFormHost.StartAsync(provider, settings: new Dictionary<string, string?>
        {
            ["Webhooks:RetryBaseSeconds"] = "0",
            // The receiver is on this machine; webhook targets on loopback need the administrator's leave.
            ["Webhooks:AllowedHosts"] = "127.0.0.1",
        });
        var welfare = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        var cadre = await PageSession.BearerAsync(app, "cadre.jinxiu", Demo.DemoSeed.DefaultPassword);
        var head = await PageSession.BearerAsync(app, "head.jinxiu", Demo.DemoSeed.DefaultPassword);
        var reviewer = await PageSession.BearerAsync(app, "reviewer.jianguolu", Demo.DemoSeed.DefaultPassword);
        async Task Dispatch()
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<WebhookDispatcher>().RunOnceAsync();
        }

        // Registered without choosing events: every event, the new one included.
        var registered = await welfare.PostAsJsonAsync("/api/v1/webhooks", new WebhookRequest(url));
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var endpoint = (await registered.Content.ReadFromJsonAsync<WebhookView>(TestJson.Options))!;
        Assert.Contains(WebhookDispatcher.SubmissionReopened, endpoint.Events);
        var chosen = await welfare.PostAsJsonAsync("/api/v1/webhooks", new WebhookRequest(url + "?only=reopened", [WebhookDispatcher.SubmissionReopened]));
        Assert.Equal(HttpStatusCode.Created, chosen.StatusCode);

        // 锦绣社区's 《社会救助对象情况季报表》 (CJ-MS-01, 民政局's) is accepted; 孤儿数 is in CJ-MS-02 too.
        var unit = "652301004002";
        var reliefId = await Filling.TaskIdAsync(app, unit, "CJ-MS-01");
        var relief = await Filling.GetAsync(cadre, reliefId);
        Assert.Equal(HttpStatusCode.OK, (await cadre.PutAsJsonAsync($"/api/v1/tasks/{reliefId}/values",
            new ValuesRequest(await Filling.EverythingAsync(app, relief, 2), Submit: true))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await head.PostAsync($"/api/v1/tasks/{reliefId}/sign-off", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await reviewer.PostAsync($"/api/v1/tasks/{reliefId}/accept", null)).StatusCode);
        await Dispatch();
        Assert.Contains(got, r => r.Event == WebhookDispatcher.SubmissionAccepted);
        Assert.DoesNotContain(got, r => r.Event == WebhookDispatcher.SubmissionReopened);

        var careId = await Filling.TaskIdAsync(app, unit, "CJ-MS-02");
        var care = await Filling.GetAsync(cadre, careId);
        var before = care.Values.Single(v => v.Element == "ORPHANS").Value!;
        var after = (int.Parse(before, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
        var saved = await cadre.PutAsJsonAsync($"/api/v1/tasks/{careId}/values", new ValuesRequest([Filling.Change(care, "ORPHANS", after)]));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(reliefId, Assert.Single((await saved.Content.ReadFromJsonAsync<SaveResult>())!.Reopened!).Id);

        // Queued with the change itself, for both endpoints, before any round of sending.
        Assert.Equal(2, await app.WithDbAsync(db => db.WebhookDeliveries.CountAsync(d => d.Event == WebhookDispatcher.SubmissionReopened)));
        await Dispatch();

        var reopened = got.Where(r => r.Event == WebhookDispatcher.SubmissionReopened).ToList();
        Assert.Equal(2, reopened.Count);
        var first = Assert.Single(reopened, r => r.Signature == WebhookDispatcher.Sign(endpoint.Secret!, r.Body));
        using var payload = System.Text.Json.JsonDocument.Parse(first.Body);
        var root = payload.RootElement;
        Assert.Equal((WebhookDispatcher.SubmissionReopened, reliefId, "CJ-MS-01", unit, "cadre.jinxiu", "CJ-MS-02", "values.changed"),
            (root.GetProperty("event").GetString(), root.GetProperty("task").GetInt32(), root.GetProperty("form").GetString(), root.GetProperty("unit").GetString(),
                root.GetProperty("reopenedBy").GetString(), root.GetProperty("throughForm").GetString(), root.GetProperty("reason").GetString()));
        Assert.Equal("CJZR", root.GetProperty("admissionCode").GetString()![..4]);
        Assert.Equal(1, root.GetProperty("formVersion").GetInt32());
        Assert.Equal(Filling.CurrentPeriod(app, ReportingCycle.Quarterly), root.GetProperty("period").GetString());
        Assert.NotEqual(default, root.GetProperty("reopenedAt").GetDateTimeOffset());
        var change = Assert.Single(root.GetProperty("changes").EnumerateArray());
        Assert.Equal(("ORPHANS", before, after), (change.GetProperty("element").GetString(), change.GetProperty("oldValue").GetString(), change.GetProperty("newValue").GetString()));
    }
}
