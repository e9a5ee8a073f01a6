using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using OneForm.Accounts;
using OneForm.Collection;
using OneForm.Collection.Files;
using OneForm.Data;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Collection;

[Collection(nameof(AppsCollection))]
public sealed class FileTests(Apps apps)
{
    private static async Task<List<IDictionary<string, object?>>> DownloadAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        return stream.Query(useHeaderRow: false, excelType: url.Contains("format=csv") ? ExcelType.CSV : ExcelType.XLSX)
            .Cast<IDictionary<string, object?>>().ToList();
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, int taskId, List<IDictionary<string, object?>> rows, string sheet, bool saveValidCells = false)
    {
        using var file = new MemoryStream();
        file.SaveAs(rows, printHeader: false, sheetName: sheet, excelType: ExcelType.XLSX);
        using var content = new MultipartFormDataContent { { new ByteArrayContent(file.ToArray()), "file", "filled.xlsx" } };
        return await client.PostAsync($"/api/v1/tasks/{taskId}/file?saveValidCells={saveValidCells}", content);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_form_goes_out_as_xlsx_comes_back_filled_and_every_bad_cell_is_named(DatabaseProvider provider)
    {
        const string unit = "652301001004";
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, unit)).UserName!);
        var taskId = await Filling.TaskIdAsync(app, unit, "CJ-DJ-01");
        var task = await Filling.GetAsync(cadre, taskId);

        var rows = await DownloadAsync(cadre, $"/api/v1/tasks/{taskId}/file?format=xlsx");

        Assert.Equal("CJZR-2019-001", rows[1]["B"]);
        Assert.Equal("CJ-DJ-01", rows[1]["D"]);
        var fieldRows = rows.Skip(4).ToList();
        Assert.Equal(task.Values.Select(v => v.Element), fieldRows.Select(r => r["B"] as string));

        var elements = await app.WithDbAsync(db => db.DataElements.ToDictionaryAsync(e => e.Code));
        for (var i = 0; i < fieldRows.Count; i++)
        {
            fieldRows[i]["E"] = Filling.ValidValue(elements[(string)fieldRows[i]["B"]!], i + 1);
        }
        // Derived fields come back as the file gave them: the registry's figures.
        foreach (var derived in task.Values.Where(v => v.Source == "Derived"))
        {
            fieldRows.Single(r => (string?)r["B"] == derived.Element)["E"] = derived.Value;
        }
        fieldRows.Single(r => (string?)r["B"] == "PARTY_MEMBERS")["E"] = "abc";
        fieldRows.Single(r => (string?)r["B"] == "PARTY_MEMBERS_PROBATIONARY")["E"] = -3;
        fieldRows.Single(r => (string?)r["B"] == "PARTY_ORGS")["E"] = null;
        var registeredRow = rows.IndexOf(fieldRows.Single(r => (string?)r["B"] == "PARTY_MEMBERS")) + 1;

        var refused = await UploadAsync(cadre, taskId, rows, "CJ-DJ-01");
        var report = (await refused.Content.ReadFromJsonAsync<FileImportResult>())!;

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True(report.NeedsConfirmation);
        Assert.Equal(3, report.Rejected.Count);
        var registered = report.Rejected.Single(c => c.Row == registeredRow);
        Assert.Equal(("CJ-DJ-01", "E"), (registered.Sheet, registered.Column));
        Assert.Contains("党员总数必须是整数", registered.Reason);
        Assert.Contains(report.Rejected, c => c.Reason.Contains("不能小于0"));
        Assert.Contains(report.Rejected, c => c.Reason.Contains("为必填项"));
        Assert.All((await Filling.GetAsync(cadre, taskId)).Values.Where(v => v.Source != "Derived"), v => Assert.Null(v.Value));

        var saved = await UploadAsync(cadre, taskId, rows, "CJ-DJ-01", saveValidCells: true);
        var savedReport = (await saved.Content.ReadFromJsonAsync<FileImportResult>())!;
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var after = await Filling.GetAsync(cadre, taskId);
        var fieldCodes = fieldRows.Select(r => (string)r["B"]!).ToList();
        var derivedCount = await app.WithDbAsync(db => db.DerivationRules.CountAsync(r => fieldCodes.Contains(r.DataElement!.Code)));
        Assert.Equal(fieldRows.Count - 3 - derivedCount, savedReport.Saved);
        Assert.All(after.Values.Where(v => v.Value is not null && v.Source != "Derived"), v => Assert.Equal("Imported", v.Source));
        var history = await cadre.GetFromJsonAsync<List<ValueChangeResponse>>($"/api/v1/values/history?element=PARTY_MEMBERS_WOMEN&unit={unit}&period={task.Task.Period}");
        Assert.Equal("filled.xlsx", Assert.Single(history!).ThroughFile);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_file_of_another_form_is_refused_with_a_clear_message(DatabaseProvider provider)
    {
        const string unit = "652301001006";
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, unit)).UserName!);
        var partyTask = await Filling.TaskIdAsync(app, unit, "CJ-DJ-01");
        var reliefRows = await DownloadAsync(cadre, $"/api/v1/tasks/{await Filling.TaskIdAsync(app, unit, "CJ-MS-01")}/file?format=xlsx");

        var refused = await UploadAsync(cadre, partyTask, reliefRows, "CJ-MS-01", saveValidCells: true);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var report = (await refused.Content.ReadFromJsonAsync<FileImportResult>())!;
        Assert.Contains("CJ-MS-01", report.FileProblem);
        Assert.Contains("CJ-DJ-01", report.FileProblem);
        Assert.All((await Filling.GetAsync(cadre, partyTask)).Values.Where(v => v.Source != "Derived"), v => Assert.Null(v.Value));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_reviewer_downloads_a_form_for_the_whole_street_one_row_per_unit_and_as_csv(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var reviewer = await PageSession.BearerAsync(app, "reviewer.jianguolu", Demo.DemoSeed.DefaultPassword);
        var period = Filling.CurrentPeriod(app, ReportingCycle.Quarterly);
        var cadre = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Cadre, "652301004002")).UserName!);

        var rows = await DownloadAsync(reviewer, $"/api/v1/forms/CJ-DJ-01/file?unit=652301004000&period={period}&format=xlsx");
        var csv = await reviewer.GetStringAsync($"/api/v1/forms/CJ-DJ-01/file?unit=652301004000&period={period}&format=csv");
        var outside = await reviewer.GetAsync($"/api/v1/forms/CJ-DJ-01/file?unit=652301005000&period={period}&format=xlsx");
        var cadreWide = await cadre.Client.GetAsync($"/api/v1/forms/CJ-DJ-01/file?unit=652301004000&period={period}&format=xlsx");

        Assert.Equal("CJZR-2019-001", rows[1]["B"]);
        Assert.Equal(14, rows.Count - 4);
        Assert.Contains(rows, r => (r["A"] as string) == "652301004002" && (r["B"] as string) == "锦绣社区居民委员会");
        Assert.Contains("CJZR-2019-001", csv);
        Assert.Contains("锦绣社区居民委员会", csv);
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, cadreWide.StatusCode);
    }
}
