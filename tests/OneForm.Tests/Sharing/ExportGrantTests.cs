using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Organization;
using OneForm.Sharing;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Sharing;

/// <summary>
/// A roster export runs with the rights in force when it runs, not those of when it was asked for, and an export whose
/// node died is finished by another node.
/// </summary>
public sealed class ExportGrantTests
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = TestJson.Options;

    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }
        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>A department with an approved person-level grant on 昌吉市's low-income residents, and its account.</summary>
    private static async Task<(int DepartmentId, string ActorId, HttpClient Client, GrantView Grant)> GrantedAsync(OneFormHost app)
    {
        var code = "T" + Guid.NewGuid().ToString("N")[..5].ToUpperInvariant();
        var departmentId = await app.WithDbAsync(async db =>
        {
            var department = new Department { Code = code, Name = "测试局" + code, EnglishName = "Test bureau" };
            db.Departments.Add(department);
            await db.SaveChangesAsync();
            return department.Id;
        });
        var user = await app.CreateUserAsync(Role.Department, departmentCode: code);
        var client = await PageSession.BearerAsync(app, user.UserName!);
        var welfare = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        var grant = (await (await client.PostAsJsonAsync("/api/v1/grants", new GrantRequest(["PA_LOW_INCOME"], "652301000000", 2026, 2026, "高龄低保老人走访", PersonLevel: true), Json))
            .Content.ReadFromJsonAsync<GrantView>(Json))!;
        Assert.Equal(HttpStatusCode.OK, (await welfare.PostAsJsonAsync($"/api/v1/grants/{grant.Id}/approve", new GrantDecision(null, null))).StatusCode);
        return (departmentId, user.Id, client, grant);
    }

    /// <summary>Queues a roster export as the API does, but without waking the node's exporter.</summary>
    private static async Task<int> QueueQuietlyAsync(OneFormHost app, int departmentId, string actorId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var exports = ActivatorUtilities.CreateInstance<Exports>(scope.ServiceProvider, new ExportSignal());
        var (job, status) = await exports.QueueRosterAsync(new CallerScope(Role.Department, null, null, departmentId), actorId,
            new RosterQuery("652301000000", MinAge: 60, Attributes: "PA_LOW_INCOME"), ExportFormat.Csv);
        Assert.Equal(202, status);
        return job!.Id;
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task An_export_whose_node_stopped_is_finished_by_another_node_once_its_heartbeat_is_two_minutes_old(DatabaseProvider provider)
    {
        // Two nodes on one database and one file store; their background exporters run only when woken.
        var settings = new Dictionary<string, string?>
        {
            ["Exports:PollSeconds"] = "86400",
            ["Storage:Directory"] = Path.Combine(Path.GetTempPath(), $"oneform-files-{Guid.NewGuid():N}"),
        };
        await using var first = await OneFormHost.StartAsync(provider, settings: settings);
        await using var second = await OneFormHost.StartOnAsync(first.Database, settings: settings);
        var (departmentId, actorId, client, _) = await GrantedAsync(first);
        var id = await QueueQuietlyAsync(first, departmentId, actorId);

        // The first node claimed it, wrote its heartbeat and stopped.
        var heartbeat = DateTimeOffset.UtcNow;
        heartbeat = heartbeat.AddTicks(-(heartbeat.Ticks % TimeSpan.TicksPerSecond));
        await first.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ExecuteUpdateAsync(db.ExportJobs.Where(j => j.Id == id),
            s => s.SetProperty(j => j.State, ExportState.Running).SetProperty(j => j.StartedAt, heartbeat).SetProperty(j => j.HeartbeatAt, heartbeat)));
        var clock = new ManualClock();
        async Task<int> SecondNodeRunsAtAsync(DateTimeOffset now)
        {
            clock.Now = now;
            await using var scope = second.Services.CreateAsyncScope();
            return await ActivatorUtilities.CreateInstance<Exports>(scope.ServiceProvider, clock).RunPendingAsync();
        }

        Assert.Equal(0, await SecondNodeRunsAtAsync(heartbeat.AddMinutes(2).AddSeconds(-1)));  // it may still be writing
        Assert.Equal("Running", (await client.GetFromJsonAsync<ExportView>($"/api/v1/exports/{id}", Json))!.State);
        Assert.Equal(1, await SecondNodeRunsAtAsync(heartbeat.AddMinutes(2).AddSeconds(1)));

        // Finished by the second node, handed out by the first.
        var export = (await client.GetFromJsonAsync<ExportView>($"/api/v1/exports/{id}", Json))!;
        Assert.Equal(("Done", export.RowsTotal), (export.State, export.RowsDone));
        Assert.True(export.RowsTotal > 0);
        var lines = (await client.GetStringAsync($"/api/v1/exports/{id}/file")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(export.RowsTotal + 1, lines.Length);  // a header and a line a resident
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_roster_export_whose_grant_is_revoked_before_it_starts_writes_nothing(DatabaseProvider provider)
    {
        // A host of its own whose background exporter runs only when woken: the export waits in the queue for the test.
        await using var app = await OneFormHost.StartAsync(provider, settings: new Dictionary<string, string?> { ["Exports:PollSeconds"] = "86400" });
        var (departmentId, askerId, asker, grant) = await GrantedAsync(app);
        var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        // Queued with the grant in force.
        var id = await QueueQuietlyAsync(app, departmentId, askerId);
        Assert.Equal("Queued", (await asker.GetFromJsonAsync<ExportView>($"/api/v1/exports/{id}", Json))!.State);

        Assert.Equal(HttpStatusCode.OK, (await gatekeeper.PostAsJsonAsync($"/api/v1/grants/{grant.Id}/revoke", new GrantDecision(null, "用途已结束。"))).StatusCode);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Exports>().RunPendingAsync();
        }

        var export = (await asker.GetFromJsonAsync<ExportView>($"/api/v1/exports/{id}", Json))!;
        Assert.Equal(("Failed", 0L, (long?)null, (string?)null), (export.State, export.RowsDone, export.Bytes, export.Download));
        Assert.NotEqual(HttpStatusCode.OK, (await asker.GetAsync($"/api/v1/exports/{id}/file")).StatusCode);
    }
}
