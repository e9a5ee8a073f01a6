using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using OneForm.Data;
using OneForm.Organization;
using OneForm.Registry;
using OneForm.Sharing;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Sharing;

/// <summary>Person-level data leaves only through a person-level grant, masked, logged.</summary>
[Collection(nameof(AppsCollection))]
public sealed partial class RosterExportTests(Apps apps)
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = TestJson.Options;

    [GeneratedRegex(@"^\d{6}\*{8}\d{3}[\dX]$")]
    private static partial Regex Masked();

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_roster_is_exported_only_with_a_person_level_grant_masked_and_logged(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var asker = await PageSession.BearerAsync(app, (await app.CreateUserAsync(OneForm.Common.Role.Department, departmentCode: "JYJ")).UserName!);
        var welfare = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        const string Url = "/api/v1/data/roster?unit=652301004000&attribute=PA_LOW_INCOME";
        Assert.Equal(HttpStatusCode.Forbidden, (await asker.GetAsync(Url)).StatusCode);

        // A grant for figures is not a grant for people.
        var figures = (await (await asker.PostAsJsonAsync("/api/v1/grants", new GrantRequest(["PA_LOW_INCOME"], "652301004000", 2026, 2026, "统计"), Json))
            .Content.ReadFromJsonAsync<GrantView>(Json))!;
        await welfare.PostAsJsonAsync($"/api/v1/grants/{figures.Id}/approve", new GrantDecision(null, null));
        Assert.Equal(HttpStatusCode.Forbidden, (await asker.GetAsync(Url)).StatusCode);

        var people = (await (await asker.PostAsJsonAsync("/api/v1/grants", new GrantRequest(["PA_LOW_INCOME"], "652301004000", 2026, 2026, "低保家庭子女教育资助核对", PersonLevel: true), Json))
            .Content.ReadFromJsonAsync<GrantView>(Json))!;
        await welfare.PostAsJsonAsync($"/api/v1/grants/{people.Id}/approve", new GrantDecision(null, null));
        var response = await asker.GetAsync(Url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lines = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();

        var expected = await app.WithDbAsync(async db =>
        {
            var street = await db.OrgUnits.SingleAsync(u => u.Code == "652301004000");
            var units = db.OrgUnits.InSubtree(street.Path).Select(u => u.Id);
            var element = await db.DataElements.SingleAsync(e => e.Code == "PA_LOW_INCOME");
            return await db.Residents.CountAsync(r => units.Contains(r.OrgUnitId) && r.Status == ResidentStatus.Active
                && db.PersonAttributes.Any(a => a.ResidentId == r.Id && a.DataElementId == element.Id && a.Value == "true"));
        });
        Assert.Equal("身份证号,姓名,性别,出生日期,户号,村居代码,低保对象", lines[0]);
        Assert.Equal(expected, lines.Count - 1);
        Assert.True(expected > 0);
        Assert.All(lines.Skip(1), l => Assert.Matches(Masked(), l.Split(',')[0]));
        Assert.All(lines.Skip(1), l => Assert.EndsWith(",是", l, StringComparison.Ordinal));
        Assert.Contains(await app.WithDbAsync(db => db.AuditEntries.Where(a => a.Kind == "Registry.RosterExported").Select(a => a.Summary).ToListAsync()),
            s => s != null && s.StartsWith($"{expected} residents below 652301004000", StringComparison.Ordinal) && s.EndsWith("; masked", StringComparison.Ordinal));

        // The same roster as xlsx: the same people, numbers masked, the attribute as 是.
        var sheet = MiniExcel.Query(new MemoryStream(await asker.GetByteArrayAsync(Url + "&format=xlsx")), useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(expected, sheet.Count);
        Assert.All(sheet, row => Assert.Matches(Masked(), Convert.ToString(row["身份证号"], CultureInfo.InvariantCulture)));
        Assert.All(sheet, row => Assert.Equal("是", row["低保对象"]));

        // Outside the granted subtree: refused, in either format.
        Assert.Equal(HttpStatusCode.Forbidden, (await asker.GetAsync("/api/v1/data/roster?unit=652301000000&attribute=PA_LOW_INCOME")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await asker.GetAsync("/api/v1/data/roster?unit=652301000000&attribute=PA_LOW_INCOME&format=xlsx")).StatusCode);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_large_roster_is_written_in_the_background_with_progress_and_only_its_requester_can_download_it(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var department = "T" + Guid.NewGuid().ToString("N")[..5].ToUpperInvariant();
        await app.WithDbAsync(async db =>
        {
            db.Departments.Add(new Department { Code = department, Name = "测试局" + department, EnglishName = "Test bureau" });
            return await db.SaveChangesAsync();
        });
        var askerName = (await app.CreateUserAsync(OneForm.Common.Role.Department, departmentCode: department)).UserName!;
        var asker = await PageSession.BearerAsync(app, askerName);
        var colleague = await PageSession.BearerAsync(app, (await app.CreateUserAsync(OneForm.Common.Role.Department, departmentCode: department)).UserName!);
        var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        var welfare = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        var request = new RosterExportRequest("652301000000", MinAge: 60, Attributes: "PA_LOW_INCOME", Format: ExportFormat.Xlsx);

        // Without a person-level grant: refused before anything is queued.
        Assert.Equal(HttpStatusCode.Forbidden, (await asker.PostAsJsonAsync("/api/v1/exports/roster", request, Json)).StatusCode);
        var grant = (await (await asker.PostAsJsonAsync("/api/v1/grants", new GrantRequest(["PA_LOW_INCOME"], "652301000000", 2026, 2026, "高龄低保老人走访", PersonLevel: true), Json))
            .Content.ReadFromJsonAsync<GrantView>(Json))!;
        await welfare.PostAsJsonAsync($"/api/v1/grants/{grant.Id}/approve", new GrantDecision(null, null));

        var queued = await asker.PostAsJsonAsync("/api/v1/exports/roster", request, Json);
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        var export = (await queued.Content.ReadFromJsonAsync<ExportView>(Json))!;
        var expected = await app.WithDbAsync(async db =>
        {
            var city = await db.OrgUnits.SingleAsync(u => u.Code == "652301000000");
            var units = db.OrgUnits.InSubtree(city.Path).Select(u => u.Id);
            var born = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddYears(-60);
            return await db.Residents.CountAsync(r => units.Contains(r.OrgUnitId) && r.Status == ResidentStatus.Active && r.BirthDate <= born);
        });
        Assert.Equal(expected, export.RowsTotal);

        // The requester follows its progress until it is ready, as the page does.
        var location = queued.Headers.Location!.ToString();
        export = await ExportProgress.FinishedAsync(asker, export, location, e => Assert.InRange(e.Percent, 0, 100));
        Assert.Equal(("Done", expected, 100), (export.State, export.RowsDone, export.Percent));

        // Nobody else sees the export or gets its file: not a colleague of the same department, not the gatekeeper.
        foreach (var other in new[] { colleague, gatekeeper })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(location)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/exports/{export.Id}/file")).StatusCode);
            Assert.DoesNotContain(export.Id, (await other.GetFromJsonAsync<List<ExportView>>("/api/v1/exports", Json))!.Select(e => e.Id));
        }

        var sheet = MiniExcel.Query(new MemoryStream(await asker.GetByteArrayAsync(export.Download!)), useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(expected, sheet.Count);
        Assert.All(sheet, row => Assert.Matches(Masked(), Convert.ToString(row["身份证号"], CultureInfo.InvariantCulture)));
        Assert.Contains(sheet, row => Equals(row["低保对象"], "是"));
        var askerId = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == askerName).Select(u => u.Id).SingleAsync());
        Assert.Contains(await app.WithDbAsync(db => db.AuditEntries.Where(a => a.Kind == "Registry.RosterDownloaded").Select(a => a.ActorId).ToListAsync()),
            actor => actor == askerId);

        // The requester's page lists it with its download link.
        var page = await (await PageSession.SignedInAsync(app, askerName)).GetHtmlAsync("/Exports");
        Assert.Contains($"/api/v1/exports/{export.Id}/file", page);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_roster_longer_than_a_sheet_goes_on_to_further_sheets_without_losing_a_row(DatabaseProvider provider)
    {
        await using var app = await OneFormHost.StartAsync(provider, settings: new Dictionary<string, string?> { ["Exports:RowsPerSheet"] = "40" });
        var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        var expected = await app.WithDbAsync(async db =>
        {
            var street = await db.OrgUnits.SingleAsync(u => u.Code == "652301004000");
            var units = db.OrgUnits.InSubtree(street.Path).Select(u => u.Id);
            return await db.Residents.Where(r => units.Contains(r.OrgUnitId) && r.Status == ResidentStatus.Active).Select(r => r.IdentityMasked).ToListAsync();
        });
        Assert.True(expected.Count > 80, "the demo street has residents for three sheets");

        using var file = new MemoryStream(await gatekeeper.GetByteArrayAsync("/api/v1/data/roster?unit=652301004000&format=xlsx"));
        var sheets = MiniExcel.GetSheetNames(file);
        Assert.Equal(["名单", "名单2", "名单3"], sheets.Take(3));
        Assert.Equal((int)Math.Ceiling(expected.Count / 40.0), sheets.Count);
        var numbers = sheets.SelectMany(sheet => MiniExcel.Query(file, useHeaderRow: true, sheetName: sheet).Cast<IDictionary<string, object?>>()
            .Select(row => Convert.ToString(row["身份证号"], CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(expected.Order(), numbers.Order());
        Assert.All(sheets.SkipLast(1), sheet => Assert.Equal(40, MiniExcel.Query(file, useHeaderRow: true, sheetName: sheet).Count()));
    }
}
