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

/// <summary>A roster export runs with the rights in force when it runs, not those of when it was asked for.</summary>
public sealed class ExportGrantTests
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = TestJson.Options;

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_roster_export_whose_grant_is_revoked_before_it_starts_writes_nothing(DatabaseProvider provider)
    {
        // A host of its own whose background exporter runs only when woken: the export waits in the queue for the test.
        await using var app = await OneFormHost.StartAsync(provider, settings: new Dictionary<string, string?> { ["Exports:PollSeconds"] = "86400" });
        var code = "T" + Guid.NewGuid().ToString("N")[..5].ToUpperInvariant();
        var departmentId = await app.WithDbAsync(async db =>
        {
            var department = new Department { Code = code, Name = "测试局" + code, EnglishName = "Test bureau" };
            db.Departments.Add(department);
            await db.SaveChangesAsync();
            return department.Id;
        });
        var askerName = (await app.CreateUserAsync(Role.Department, departmentCode: code)).UserName!;
        var asker = await PageSession.BearerAsync(app, askerName);
        var welfare = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        var grant = (await (await asker.PostAsJsonAsync("/api/v1/grants", new GrantRequest(["PA_LOW_INCOME"], "652301000000", 2026, 2026, "高龄低保老人走访", PersonLevel: true), Json))
            .Content.ReadFromJsonAsync<GrantView>(Json))!;
        Assert.Equal(HttpStatusCode.OK, (await welfare.PostAsJsonAsync($"/api/v1/grants/{grant.Id}/approve", new GrantDecision(null, null))).StatusCode);

        // Queued as the API queues it, with the grant in force, but without waking this node's exporter.
        int id;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var exports = ActivatorUtilities.CreateInstance<Exports>(scope.ServiceProvider, new ExportSignal());
            var (job, status) = await exports.QueueRosterAsync(new CallerScope(Role.Department, null, null, departmentId), askerName,
                new RosterQuery("652301000000", MinAge: 60, Attributes: "PA_LOW_INCOME"), ExportFormat.Csv);
            Assert.Equal(202, status);
            id = job!.Id;
        }
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
