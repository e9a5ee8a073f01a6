using System.Net;
using System.Net.Http.Json;
using OneForm.Accounts.Tokens;
using OneForm.Data;
using OneForm.Organization;
using OneForm.Sharing;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Sharing;

/// <summary>An export belongs to the account or token that asked for it (by id, never by name) and to its rights as they are now.</summary>
[Collection(nameof(AppsCollection))]
public sealed class ExportIdentityTests(Apps apps)
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = TestJson.Options;
    private const string Changji = "652301000000";

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_token_with_the_same_name_gets_nothing_of_another_tokens_export(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var (department, _) = await DepartmentWithRosterGrantAsync(app);
        var admin = await PageSession.BearerAsync(app, "admin", Demo.DemoSeed.DefaultPassword);
        const string name = "业务系统对接";
        var (system, systemId) = await TokenAsync(app, admin, new IssueTokenRequest(name, TokenHolder.Department, department, null, 1));
        var (lookalike, _) = await TokenAsync(app, admin, new IssueTokenRequest(name, TokenHolder.Department, "GAJ", null, 1));

        var export = await ExportAsync(system);

        Assert.Equal(HttpStatusCode.NotFound, (await lookalike.GetAsync($"/api/v1/exports/{export.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await lookalike.GetAsync($"/api/v1/exports/{export.Id}/file")).StatusCode);
        Assert.DoesNotContain(export.Id, (await lookalike.GetFromJsonAsync<List<ExportView>>("/api/v1/exports", Json))!.Select(e => e.Id));
        Assert.Equal(HttpStatusCode.OK, (await system.GetAsync($"/api/v1/exports/{export.Id}/file")).StatusCode);

        // Revoked, the token itself gets nothing more; its export is nobody else's either.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/access-tokens/{systemId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await system.GetAsync($"/api/v1/exports/{export.Id}/file")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await lookalike.GetAsync($"/api/v1/exports/{export.Id}/file")).StatusCode);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_finished_roster_is_not_handed_over_once_its_grant_is_revoked(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var (_, person) = await DepartmentWithRosterGrantAsync(app);
        var asker = await PageSession.BearerAsync(app, person.UserName);
        var export = await ExportAsync(asker);
        Assert.Equal(HttpStatusCode.OK, (await asker.GetAsync($"/api/v1/exports/{export.Id}/file")).StatusCode);

        var welfare = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        Assert.Equal(HttpStatusCode.OK, (await welfare.PostAsJsonAsync($"/api/v1/grants/{person.GrantId}/revoke", new GrantDecision(null, "用途已结束"), Json)).StatusCode);

        var refused = await asker.GetAsync($"/api/v1/exports/{export.Id}/file");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("授权", await refused.Content.ReadAsStringAsync());
    }

    private sealed record Asker(string UserName, int GrantId);

    /// <summary>A department of its own with a person-level grant of 民政局's 低保 attribute over 昌吉市, and one of its people.</summary>
    private static async Task<(string Department, Asker Person)> DepartmentWithRosterGrantAsync(OneFormHost app)
    {
        var department = "T" + Guid.NewGuid().ToString("N")[..5].ToUpperInvariant();
        await app.WithDbAsync(async db =>
        {
            db.Departments.Add(new Department { Code = department, Name = "测试局" + department, EnglishName = "Test bureau" });
            return await db.SaveChangesAsync();
        });
        var userName = (await app.CreateUserAsync(OneForm.Common.Role.Department, departmentCode: department)).UserName!;
        var asker = await PageSession.BearerAsync(app, userName);
        var grant = (await (await asker.PostAsJsonAsync("/api/v1/grants", new GrantRequest(["PA_LOW_INCOME"], Changji, 2026, 2026, "低保对象核对", PersonLevel: true), Json))
            .Content.ReadFromJsonAsync<GrantView>(Json))!;
        var welfare = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        Assert.Equal(HttpStatusCode.OK, (await welfare.PostAsJsonAsync($"/api/v1/grants/{grant.Id}/approve", new GrantDecision(null, null), Json)).StatusCode);
        return (department, new Asker(userName, grant.Id));
    }

    private static async Task<(HttpClient Client, int Id)> TokenAsync(OneFormHost app, HttpClient admin, IssueTokenRequest request)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/access-tokens", request, Json);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var issued = (await response.Content.ReadFromJsonAsync<IssuedTokenResponse>(Json))!;
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", issued.Token);
        return (client, issued.Id);
    }

    private static async Task<ExportView> ExportAsync(HttpClient asker)
    {
        var queued = await asker.PostAsJsonAsync("/api/v1/exports/roster", new RosterExportRequest(Changji, MinAge: 90, Attributes: "PA_LOW_INCOME"), Json);
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        var export = (await queued.Content.ReadFromJsonAsync<ExportView>(Json))!;
        export = await ExportProgress.FinishedAsync(asker, export, queued.Headers.Location!.ToString());
        Assert.Equal("Done", export.State);
        return export;
    }
}
