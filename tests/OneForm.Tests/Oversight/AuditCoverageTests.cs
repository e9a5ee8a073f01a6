using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Accounts;
using OneForm.Accounts.Tokens;
using OneForm.Data;
using OneForm.Media;
using OneForm.Registry;
using OneForm.Testing;
using OneForm.Tests.Hosting;
using OneForm.Tests.Media;
using OneForm.Tests.Registry;
using SkiaSharp;

namespace OneForm.Tests.Oversight;

/// <summary>
/// Everything that changes something, and every attempt that says someone is trying, leaves a line in the audit trail
/// (finding 14): photos, roster edits, passwords, saved queries, failed imports, failed sign-ins, requests over the limit.
/// Webhook replays and evidence downloads are checked where they are tested (WebhookTargetTests, EvidenceTests).
/// </summary>
[Collection(nameof(AppsCollection))]
public sealed class AuditCoverageTests(Apps apps)
{
    private const string Jinxiu = "652301004002";  // 锦绣社区
    private static readonly System.Text.Json.JsonSerializerOptions Json = TestJson.Options;

    private static Task<List<AuditEntry>> EntriesAsync(OneFormHost app, string kind, string? key = null) =>
        app.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.Kind == kind && (key == null || a.EntityKey == key)).OrderBy(a => a.Id).ToListAsync());

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_photo_upload_and_its_attachment_to_an_activity_are_audited(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var user = await app.CreateUserAsync(Role.Cadre, Jinxiu);
        var cadre = await PageSession.BearerAsync(app, user.UserName!);
        var content = new ByteArrayContent(TestPhotos.Jpeg(320, 240, new SKColor((byte)Random.Shared.Next(256), (byte)Random.Shared.Next(256), 7)));
        content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");

        var uploaded = await cadre.PostAsync("/api/v1/photos", content);
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        var photo = (await uploaded.Content.ReadFromJsonAsync<PhotoView>(Json))!;
        var recorded = await cadre.PostAsJsonAsync("/api/v1/activities",
            new ActivityRequest(ActivityKind.HouseholdVisit, DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)), Participants: 2, Unit: Jinxiu), Json);
        var activity = (await recorded.Content.ReadFromJsonAsync<ActivityView>(Json))!;
        Assert.Equal(HttpStatusCode.OK, (await cadre.PostAsJsonAsync($"/api/v1/photos/{photo.Id}/attach", new AttachRequest(activity.Id), Json)).StatusCode);

        var added = Assert.Single(await EntriesAsync(app, "Photo.Added", photo.Id.ToString()));
        Assert.Equal(user.Id, added.ActorId);
        Assert.Equal(user.OrgUnitId, added.OrgUnitId);
        var attached = Assert.Single(await EntriesAsync(app, "Photo.Modified", photo.Id.ToString()));
        Assert.Contains($"\"ActivityId\":[null,{activity.Id}]", attached.Changes);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_cadres_roster_edit_is_audited_by_the_residents_unit(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        const string unit = "652301004006";
        var household = $"H{Guid.NewGuid().ToString("N")[..8]}";
        var number = RegistryFiles.Number(new DateOnly(1941, 3, 9), Sex.Female);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var importer = scope.ServiceProvider.GetRequiredService<ResidentImporter>();
            var batch = await importer.StartAsync("roster-audit.csv", 1, "test");
            await importer.RunAsync(batch.Id, RegistryFiles.Csv([RegistryFiles.Header, RegistryFiles.Line(number, "名单审计", "女", "1941-03-09", household, unit)]), isXlsx: false);
        }
        var (resident, unitId, element) = await app.WithDbAsync(async db =>
        {
            var r = await db.Residents.SingleAsync(x => x.HouseholdNumber == household);
            return (r.Id, r.OrgUnitId, await db.DataElements.Where(e => e.Code == "PA_LIVING_ALONE").Select(e => e.Id).SingleAsync());
        });

        // What the task page's roster section does on save, as the signed-in cadre.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<AuditActor>().ActAs("cadre.roster");
            var db = scope.ServiceProvider.GetRequiredService<OneFormDbContext>();
            await Rosters.StageAsync(db, new Dictionary<(long, int), string?> { [(resident, element)] = "true" }, "cadre.roster", DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }

        var entry = Assert.Single(await EntriesAsync(app, "Roster.Edited", resident.ToString()));
        Assert.Equal(("cadre.roster", (int?)unitId), (entry.ActorId, entry.OrgUnitId));
        Assert.Contains($"\"{element}\":[null,\"true\"]", entry.Changes);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_password_change_and_an_administrators_reset_are_audited_without_the_password(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var user = await app.CreateUserAsync(Role.Reviewer, "652301004000");
        var admin = await app.CreateUserAsync(Role.Administrator);

        var changed = await (await PageSession.SignedInAsync(app, user.UserName!)).SubmitAsync("/Account/ChangePassword", new()
        {
            ["Input.CurrentPassword"] = OneFormHost.TestPassword, ["Input.NewPassword"] = "changed-pass-2027", ["Input.ConfirmPassword"] = "changed-pass-2027",
        });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        var reset = await (await PageSession.SignedInAsync(app, admin.UserName!)).SubmitAsync($"/Admin/Accounts/Edit?id={user.Id}", new()
        {
            ["Input.DisplayName"] = user.DisplayName, ["Input.Role"] = "Reviewer", ["Input.UnitCode"] = "652301004000", ["Input.NewPassword"] = "reset-pass-2027",
        });
        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);

        var entries = (await EntriesAsync(app, "OneFormUser.Modified", user.Id)).Where(e => e.Changes!.Contains("\"Password\"", StringComparison.Ordinal)).ToList();
        Assert.Equal([user.Id, admin.Id], entries.Select(e => e.ActorId));
        Assert.All(entries, e => Assert.DoesNotContain("pass-2027", e.Changes));
        Assert.All(entries, e => Assert.DoesNotContain("AQAAAA", e.Changes));  // nor the hash
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_saved_query_is_audited(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var author = await app.CreateUserAsync(Role.Department, departmentCode: "MZJ");
        var pages = await PageSession.SignedInAsync(app, author.UserName!);
        var name = "审计查询" + Guid.NewGuid().ToString("N")[..6];
        const string query = "elements=DIBAO_PERSONS&unit=652301000000&level=Village&periods=2026Q4&byValue=False";

        var saved = await pages.SubmitAsync($"/Statistics?{query}", new() { ["SaveName"] = name, ["Share"] = "true", ["SaveQuery"] = query }, "/Statistics?handler=Save");

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var entry = Assert.Single(await EntriesAsync(app, "SavedQuery.Added"), e => e.Changes!.Contains(name, StringComparison.Ordinal));
        Assert.Equal(author.Id, entry.ActorId);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_failed_registry_import_is_audited_with_who_started_it(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var household = $"H{Guid.NewGuid().ToString("N")[..8]}";
        var good = RegistryFiles.Line(RegistryFiles.Number(new DateOnly(1980, 5, 5), Sex.Male), "导入失败", "男", "1980-05-05", household, "652301004006");
        // A quote that never closes: the reader gives up on the file.
        using var file = RegistryFiles.Csv([RegistryFiles.Header, good, "\"652301198005050000,未闭合的引号,男,1980-05-05," + household + ",652301004006,建国路1号"]);

        var batch = await app.Services.GetRequiredService<ImportRunner>().StartAsync(file, "unterminated.csv", file.Length, "admin.importer");

        var deadline = DateTime.UtcNow.AddMinutes(2);
        List<AuditEntry> failed;
        while ((failed = await EntriesAsync(app, "Registry.ImportFailed", batch.ToString())).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        var entry = Assert.Single(failed);
        Assert.Equal("admin.importer", entry.ActorId);
        // The entry says which file failed and on which line.
        Assert.StartsWith("unterminated.csv: ", entry.Summary);
        Assert.Contains("3", entry.Summary);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Failed_sign_ins_through_the_api_and_the_page_are_audited(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var user = await app.CreateUserAsync(Role.Cadre, Jinxiu);
        var unknown = "nobody." + Guid.NewGuid().ToString("N")[..8];

        var api = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { userName = user.UserName, password = "wrong-pass-1" });
        var page = await PageSession.Anonymous(app).SubmitAsync("/Account/Login", new() { ["Input.UserName"] = unknown, ["Input.Password"] = "wrong-pass-2" });
        var fine = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { userName = user.UserName, password = OneFormHost.TestPassword });

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.OK, HttpStatusCode.OK), (api.StatusCode, page.StatusCode, fine.StatusCode));
        var byApi = Assert.Single(await EntriesAsync(app, "SignIn.Failed", user.UserName));
        var byPage = Assert.Single(await EntriesAsync(app, "SignIn.Failed", unknown));
        Assert.All([byApi, byPage], e => Assert.Equal("anonymous", e.ActorId));
        Assert.All([byApi, byPage], e => Assert.DoesNotContain("wrong-pass", e.Summary + e.Changes));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_token_going_over_its_allowance_is_audited_once_a_minute_not_per_request(DatabaseProvider provider)
    {
        var shared = await apps.GetAsync(provider);
        await using var app = await OneFormHost.StartOnAsync(shared.Database, settings: new Dictionary<string, string?> { ["Api:RequestsPerMinutePerToken"] = "2" });
        var admin = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Administrator)).UserName!);
        var name = "限流审计" + Guid.NewGuid().ToString("N")[..6];
        var issued = (await (await admin.PostAsJsonAsync("/api/v1/access-tokens", new IssueTokenRequest(name, TokenHolder.Department, "MZJ", null, 30), Json))
            .Content.ReadFromJsonAsync<IssuedTokenResponse>(Json))!;
        var system = app.CreateClient();
        system.DefaultRequestHeaders.Authorization = new("Bearer", issued.Token);

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add((await system.GetAsync("/api/v1/me")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], answers);
        var entry = Assert.Single(await EntriesAsync(app, "AccessToken.RateLimited", issued.Id.ToString()));
        Assert.StartsWith(name, entry.Summary);
    }
}
