using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Organization;
using OneForm.Oversight;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Oversight;

[Collection(nameof(AppsCollection))]
public sealed class AuditTrailTests(Apps apps)
{
    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_database_refuses_to_change_or_delete_audit_lines(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var (update, delete) = provider == DatabaseProvider.Postgres
            ? ("UPDATE \"AuditEntries\" SET \"Summary\" = 'rewritten'", "DELETE FROM \"AuditEntries\"")
            : ("UPDATE AuditEntries SET Summary = 'rewritten'", "DELETE FROM AuditEntries");

        await Assert.ThrowsAnyAsync<Exception>(() => app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(update)));
        await Assert.ThrowsAnyAsync<Exception>(() => app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(delete)));
        Assert.True(await app.WithDbAsync(db => db.AuditEntries.AnyAsync()));
        Assert.False(await app.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Summary == "rewritten")));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_gatekeeper_finds_changes_by_person_unit_kind_and_day(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var admin = await app.CreateUserAsync(Role.Administrator, prefix: "auditadmin");
        var pages = await PageSession.SignedInAsync(app, admin.UserName!);
        var userName = $"audited{Guid.NewGuid().ToString("N")[..6]}";
        await pages.SubmitAsync("/Admin/Accounts/Create", new()
        {
            ["Input.UserName"] = userName, ["Input.DisplayName"] = "被审计", ["Input.Role"] = "Cadre",
            ["Input.UnitCode"] = "652302001001", ["Input.Password"] = "first-pass-2026",
        });
        var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        var today = DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd");
        var longAgo = "2020-01-01";

        var byPerson = await gatekeeper.GetFromJsonAsync<PageOf<AuditEntryResponse>>($"/api/v1/audit?actor={admin.UserName}");
        var byCounty = await gatekeeper.GetFromJsonAsync<PageOf<AuditEntryResponse>>($"/api/v1/audit?unit=652302000000&kind=OneFormUser&from={today}&to={today}");
        var byOtherCounty = await gatekeeper.GetFromJsonAsync<PageOf<AuditEntryResponse>>($"/api/v1/audit?unit=652301000000&actor={admin.UserName}");
        var byOldDays = await gatekeeper.GetFromJsonAsync<PageOf<AuditEntryResponse>>($"/api/v1/audit?actor={admin.UserName}&from={longAgo}&to={longAgo}");

        var entry = Assert.Single(byPerson!.Items);
        Assert.Equal("OneFormUser.Added", entry.Kind);
        Assert.Contains(userName, entry.Changes);
        Assert.Contains(byCounty!.Items, e => e.Id == entry.Id);
        Assert.Empty(byOtherCounty!.Items);
        Assert.Empty(byOldDays!.Items);

        var html = await (await PageSession.SignedInAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword)).GetHtmlAsync($"/Oversight/Audit?actor={admin.UserName}");
        Assert.Contains(userName, html);
        Assert.Contains("账号 · 新增", html);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Departments_and_reviewers_cannot_read_the_audit_trail(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var department = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        var reviewer = await PageSession.BearerAsync(app, "reviewer.jianguolu", Demo.DemoSeed.DefaultPassword);

        Assert.Equal(HttpStatusCode.Forbidden, (await department.GetAsync("/api/v1/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.GetAsync("/api/v1/audit")).StatusCode);
    }
}
