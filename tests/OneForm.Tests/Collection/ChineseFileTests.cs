using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using OneForm.Accounts;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Collection;

/// <summary>A form's file reads in Chinese: yes and no as 是/否, a sheet and a file named after the form, the unit and the period.</summary>
[Collection(nameof(AppsCollection))]
public sealed class ChineseFileTests(Apps apps)
{
    private const string Unit = "652302001002";  // 畅岁园社区, which no other test fills

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_form_file_has_a_Chinese_sheet_and_file_name_and_writes_yes_as_是_which_an_upload_reads_back(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, Unit)).UserName!);
        var taskId = await Filling.TaskIdAsync(app, Unit, "CJ-DJ-01");
        var task = await Filling.GetAsync(cadre, taskId);
        var saved = await cadre.PutAsJsonAsync($"/api/v1/tasks/{taskId}/values", new ValuesRequest(
            [Filling.Change(task, "SECRETARY_CHAIR_SAME", "true"), Filling.Change(task, "PARTY_PROBLEMS", "组织生活不规范，学习不够。")]));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var formName = await app.WithDbAsync(db => db.Forms.Where(f => f.Code == "CJ-DJ-01" && f.Status == OneForm.Catalog.FormStatus.Admitted).Select(f => f.Name).SingleAsync());

        var response = await cadre.GetAsync($"/api/v1/tasks/{taskId}/file?format=xlsx");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.StartsWith($"《{formName}》", disposition.FileNameStar);
        Assert.Contains("年第", disposition.FileNameStar);
        Assert.EndsWith("-畅岁园社区居民委员会.xlsx", disposition.FileNameStar);
        Assert.NotNull(disposition.FileName);
        Assert.True(disposition.FileName!.Trim('"').All(char.IsAscii), disposition.FileName);
        using var file = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var sheet = Assert.Single(file.GetSheetNames());
        Assert.Equal(formName.Length > 31 ? formName[..31] : formName, sheet);
        file.Position = 0;
        var rows = file.Query(useHeaderRow: false).Cast<IDictionary<string, object?>>().ToList();
        var yesRow = rows.Single(r => (string?)r["B"] == "SECRETARY_CHAIR_SAME");
        Assert.Equal("是", yesRow["E"]);
        Assert.Equal("组织生活不规范，学习不够。", rows.Single(r => (string?)r["B"] == "PARTY_PROBLEMS")["E"]);

        // Back as the unit filled it in: 否 is read as no, under the Chinese sheet name.
        yesRow["E"] = "否";
        using var filled = new MemoryStream();
        filled.SaveAs(rows, printHeader: false, sheetName: sheet, excelType: ExcelType.XLSX);
        using var content = new MultipartFormDataContent { { new ByteArrayContent(filled.ToArray()), "file", "filled.xlsx" } };
        var uploaded = await cadre.PostAsync($"/api/v1/tasks/{taskId}/file?saveValidCells=true", content);

        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
        var after = await Filling.GetAsync(cadre, taskId);
        Assert.Equal("false", after.Values.Single(v => v.Element == "SECRETARY_CHAIR_SAME").Value);
        Assert.Equal("组织生活不规范，学习不够。", after.Values.Single(v => v.Element == "PARTY_PROBLEMS").Value);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_text_answer_keeps_its_full_width_punctuation_and_a_number_takes_full_width_digits(DatabaseProvider provider)
    {
        const string unit = "652302001003";  // 民主路社区
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, unit)).UserName!);
        var taskId = await Filling.TaskIdAsync(app, unit, "CJ-DJ-01");
        var task = await Filling.GetAsync(cadre, taskId);

        var saved = await cadre.PutAsJsonAsync($"/api/v1/tasks/{taskId}/values", new ValuesRequest(
            [Filling.Change(task, "PARTY_PROBLEMS", "  党员２人，缺少活动场地－待解决。 "), Filling.Change(task, "PARTY_MEMBERS", "３５")]));

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var after = await Filling.GetAsync(cadre, taskId);
        Assert.Equal("党员2人，缺少活动场地－待解决。", after.Values.Single(v => v.Element == "PARTY_PROBLEMS").Value);
        Assert.Equal("35", after.Values.Single(v => v.Element == "PARTY_MEMBERS").Value);
    }
}
