using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using OneForm.Accounts;
using OneForm.Accounts.Tokens;
using OneForm.Data;
using OneForm.Organization;
using OneForm.Oversight;
using OneForm.Testing;
using OneForm.Tests.Hosting;
using OneForm.Tests.Media;
using SkiaSharp;

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

    /// <summary>An administrator who creates an account, leaving one line in the trail; the account it created.</summary>
    private static async Task<(OneFormUser Actor, string Created)> SomeoneAddsAnAccountAsync(OneFormHost app, string displayName)
    {
        var actor = await app.CreateUserAsync(Role.Administrator, prefix: "named");
        await app.WithDbAsync(db => db.Users.Where(u => u.Id == actor.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.DisplayName, displayName)));
        var created = $"addedby{Guid.NewGuid().ToString("N")[..6]}";
        var added = await (await PageSession.SignedInAsync(app, actor.UserName!)).SubmitAsync("/Admin/Accounts/Create", new()
        {
            ["Input.UserName"] = created, ["Input.DisplayName"] = "被添加", ["Input.Role"] = "Cadre",
            ["Input.UnitCode"] = "652301004003", ["Input.Password"] = "first-pass-2026",
        });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        return (actor, created);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_trail_names_the_person_as_their_account_is_called_now_after_a_rename(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var (actor, created) = await SomeoneAddsAnAccountAsync(app, $"改名前{suffix}");
        var gatekeeperPages = await PageSession.SignedInAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        var shownBefore = await gatekeeperPages.GetHtmlAsync($"/Oversight/Audit?actor={actor.UserName}");

        // Another administrator renames the account, as the account page does.
        var admin = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Administrator)).UserName!);
        var renamed = await admin.SubmitAsync($"/Admin/Accounts/Edit?id={actor.Id}", new()
        {
            ["Input.DisplayName"] = $"改名后{suffix}", ["Input.Role"] = "Administrator",
        });
        Assert.Equal(HttpStatusCode.Redirect, renamed.StatusCode);
        var shownAfter = await gatekeeperPages.GetHtmlAsync($"/Oversight/Audit?actor={actor.UserName}");
        var answered = await (await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword))
            .GetFromJsonAsync<PageOf<AuditEntryResponse>>($"/api/v1/audit?actor={actor.UserName}");

        Assert.Contains($"改名前{suffix} ({actor.UserName})", shownBefore);
        Assert.Contains(created, shownBefore);
        Assert.Contains($"改名后{suffix} ({actor.UserName})", shownAfter);
        Assert.Contains(created, shownAfter);
        Assert.DoesNotContain($"改名前{suffix}", shownAfter);
        var entry = Assert.Single(answered!.Items);
        Assert.Equal((actor.Id, actor.UserName, $"改名后{suffix}", "OneFormUser.Added"), (entry.ActorId, entry.ActorName, entry.ActorDisplayName, entry.Kind));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Searching_the_trail_by_a_persons_name_finds_their_entries_and_no_one_elses(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var (wanted, wantedCreated) = await SomeoneAddsAnAccountAsync(app, $"查找甲{suffix}");
        var (other, otherCreated) = await SomeoneAddsAnAccountAsync(app, $"查找乙{suffix}");
        var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);

        var byDisplayName = await gatekeeper.GetFromJsonAsync<PageOf<AuditEntryResponse>>($"/api/v1/audit?actor=查找甲{suffix}");
        var byPartOfIt = await gatekeeper.GetFromJsonAsync<PageOf<AuditEntryResponse>>($"/api/v1/audit?actor=甲{suffix}");
        var byBoth = await gatekeeper.GetFromJsonAsync<PageOf<AuditEntryResponse>>($"/api/v1/audit?actor={suffix}&kind=OneFormUser");
        var byNobody = await gatekeeper.GetFromJsonAsync<PageOf<AuditEntryResponse>>($"/api/v1/audit?actor=查找丙{suffix}");
        var page = await (await PageSession.SignedInAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword))
            .GetHtmlAsync($"/Oversight/Audit?actor=查找甲{suffix}");

        Assert.Equal([wanted.Id], byDisplayName!.Items.Select(e => e.ActorId));
        Assert.Contains(wantedCreated, Assert.Single(byDisplayName.Items).Changes);
        Assert.Equal([wanted.Id], byPartOfIt!.Items.Select(e => e.ActorId));
        Assert.Equal([other.Id, wanted.Id], byBoth!.Items.Select(e => e.ActorId));
        Assert.Empty(byNobody!.Items);
        Assert.Contains(wantedCreated, page);
        Assert.DoesNotContain(otherCreated, page);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Searching_the_trail_by_a_tokens_name_finds_what_the_token_did(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var admin = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Administrator)).UserName!);
        var name = "审计摄像头" + Guid.NewGuid().ToString("N")[..6];
        var issued = (await (await admin.PostAsJsonAsync("/api/v1/access-tokens", new IssueTokenRequest(name, TokenHolder.Device, null, "652301004002", 1), TestJson.Options))
            .Content.ReadFromJsonAsync<IssuedTokenResponse>(TestJson.Options))!;
        var camera = app.CreateClient();
        camera.DefaultRequestHeaders.Authorization = new("Bearer", issued.Token);
        var photo = new ByteArrayContent(TestPhotos.Jpeg(320, 240, new SKColor((byte)Random.Shared.Next(256), 40, (byte)Random.Shared.Next(256))));
        photo.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        Assert.Equal(HttpStatusCode.Created, (await camera.PostAsync("/api/v1/photos", photo)).StatusCode);
        var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);

        var found = await gatekeeper.GetFromJsonAsync<PageOf<AuditEntryResponse>>($"/api/v1/audit?actor={name}");

        var entry = Assert.Single(found!.Items);
        Assert.Equal(("Photo.Added", $"token:{issued.Id}", name, (string?)null), (entry.Kind, entry.ActorId, entry.ActorName, entry.ActorDisplayName));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_stored_audit_line_holds_who_did_it_as_an_id_and_no_name(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var displayName = $"只存编号{Guid.NewGuid().ToString("N")[..6]}";
        var (actor, created) = await SomeoneAddsAnAccountAsync(app, displayName);

        // The row as the database holds it, every column, read past the model.
        var row = await app.WithDbAsync(async db =>
        {
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT * FROM \"AuditEntries\" WHERE \"Kind\" = 'OneFormUser.Added' ORDER BY \"Id\" DESC";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var columns = Enumerable.Range(0, reader.FieldCount)
                    .ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture));
                if (columns["Changes"]?.Contains(created, StringComparison.Ordinal) == true)
                {
                    return columns;
                }
            }
            return null;
        });

        Assert.NotNull(row);
        Assert.Equal(actor.Id, row["ActorId"]);
        Assert.DoesNotContain("ActorName", row.Keys);
        Assert.All(row.Values, value => Assert.DoesNotContain(displayName, value ?? ""));
        Assert.All(row.Values, value => Assert.DoesNotContain(actor.UserName!, value ?? ""));
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
