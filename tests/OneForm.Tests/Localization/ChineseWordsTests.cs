using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Organization;
using OneForm.Organization.Divisions;
using OneForm.Testing;
using OneForm.Tests.Collection;
using OneForm.Tests.Hosting;
using OneForm.Tests.Organization;

namespace OneForm.Tests.Localization;

/// <summary>
/// Where a person looks, names and not codes (issue 15, part 4): a sheet's file, a divisions import in the trail, OneForm's
/// own work, a refused grant, periods in statistics and in a form's file.
/// </summary>
[Collection(nameof(AppsCollection))]
public sealed class ChineseWordsTests(Apps apps)
{
    private const string Jinxiu = "652301004002";

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_category_sheet_downloads_under_the_units_and_the_categorys_Chinese_names_with_an_ASCII_fallback(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, Jinxiu)).UserName!);
        var sheets = (await cadre.GetFromJsonAsync<List<SheetResponse>>($"/api/v1/sheets?unit={Jinxiu}", TestJson.Options))!;
        var sheet = sheets.First(s => s.Category == "PartyBuilding");

        var response = await cadre.GetAsync($"/api/v1/sheets/{Jinxiu}/{sheet.Category}/{sheet.PeriodEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}/file?format=xlsx");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal($"锦绣社区居民委员会-{sheet.CategoryName}-{sheet.PeriodEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.xlsx", disposition.FileNameStar);
        Assert.DoesNotContain("PartyBuilding", disposition.FileNameStar);
        Assert.True(disposition.FileName!.Trim('"').All(char.IsAscii), disposition.FileName);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_divisions_import_reads_in_the_trail_as_a_sentence_with_the_levels_by_name(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<AuditActor>().ActAs("cli:import");
            await scope.ServiceProvider.GetRequiredService<DivisionImporter>().ImportAsync(new DivisionFiles().SmallTree().Stream(), "words.csv");
        }
        var gatekeeper = await PageSession.SignedInAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);

        var trail = await gatekeeper.GetHtmlAsync("/Oversight/Audit?kind=Divisions");

        Assert.Contains("新增19个单位（地州级1个、县级2个、乡镇（街道）4个、村（社区）12个）；更名或重新分类0个；未变0个；退回0行。", trail);
        Assert.DoesNotContain("added 19", trail);
        Assert.Contains("命令行导入", trail);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task OneForms_own_work_is_named_by_what_did_it(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var culture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
        try
        {
            await using var scope = app.Services.CreateAsyncScope();
            var names = scope.ServiceProvider.GetRequiredService<OneForm.Accounts.ActorNames>();
            Assert.Equal("人口基础数据", await names.NameAsync("registry"));
            Assert.Equal("台账和活动记录", await names.NameAsync(OneForm.Ledgers.LedgerValues.Actor));
            Assert.Equal("演示数据", await names.NameAsync("seed:demo"));
        }
        finally
        {
            CultureInfo.CurrentUICulture = culture;
        }
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_refused_grant_reads_as_not_granted_and_not_as_a_refused_admission(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var asker = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Department, departmentCode: "GAJ")).UserName!);
        var owner = await app.WithDbAsync(db => db.DataElements.Where(e => e.Code == "VETERANS").Select(e => e.OwnerDepartment!.Code).SingleAsync());
        var keeper = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Department, departmentCode: owner)).UserName!);
        var purpose = "拒绝后的说法 " + Guid.NewGuid().ToString("N")[..6];
        var asked = await asker.SubmitAsync("/Grants", new()
        {
            ["Elements"] = "VETERANS", ["UnitCode"] = "652301004000", ["FromYear"] = "2026", ["ToYear"] = "2026", ["Purpose"] = purpose,
        }, "/Grants?handler=Ask");
        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        var id = await app.WithDbAsync(db => db.DataGrants.Where(g => g.Purpose == purpose).Select(g => g.Id).SingleAsync());

        var refused = await keeper.SubmitAsync("/Grants", new() { ["id"] = id.ToString(CultureInfo.InvariantCulture), ["Note"] = "用途不明" },
            $"/Grants?handler=Refuse&id={id}");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);

        var page = await asker.GetHtmlAsync("/Grants");
        var at = page.IndexOf(purpose, StringComparison.Ordinal);
        Assert.True(at > 0);
        var card = page[page.LastIndexOf("<li", at, StringComparison.Ordinal)..at];
        Assert.Contains("<span class=\"badge\">未获授权</span>", card);
        Assert.DoesNotContain("不予准入", page);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Statistics_head_their_columns_with_period_names(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var welfare = await PageSession.SignedInAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);

        var page = await welfare.GetHtmlAsync("/Statistics?Elements=DIBAO_PERSONS&Level=Village&Periods=2026Q4,2026Q3&Unit=652301004002");

        Assert.Contains("<span class=\"muted\">2026年第4季度</span></th>", page);
        Assert.Contains("<span class=\"muted\">2026年第3季度</span></th>", page);
        Assert.DoesNotContain(">2026Q4<", page);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_form_file_names_its_period_and_an_upload_reads_the_name_or_the_code_but_not_another_period(DatabaseProvider provider)
    {
        const string unit = "652302001002";  // 畅岁园社区, as in ChineseFileTests: nothing here changes its values
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, unit)).UserName!);
        var taskId = await Filling.TaskIdAsync(app, unit, "CJ-DJ-01");
        var code = await app.WithDbAsync(db => db.FillingTasks.Where(t => t.Id == taskId).Select(t => t.PeriodCode).SingleAsync());
        var period = Period.Parse(code);
        var name = $"{period.Year}年第{period.Number}季度";

        var rows = await Filling.RowsAsync(cadre, $"/api/v1/tasks/{taskId}/file?format=xlsx");
        Assert.Equal(name, rows[2]["B"]);

        async Task<HttpResponseMessage> UploadAsync(string periodCell)
        {
            rows[2]["B"] = periodCell;
            using var file = new MemoryStream();
            file.SaveAs(rows, printHeader: false, sheetName: "表", excelType: ExcelType.XLSX);
            using var content = new MultipartFormDataContent { { new ByteArrayContent(file.ToArray()), "file", "filled.xlsx" } };
            return await cadre.PostAsync($"/api/v1/tasks/{taskId}/file?saveValidCells=true", content);
        }
        Assert.Equal(HttpStatusCode.OK, (await UploadAsync(name)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await UploadAsync(code)).StatusCode);
        var other = await UploadAsync($"{period.Year - 1}年第{period.Number}季度");
        Assert.NotEqual(HttpStatusCode.OK, other.StatusCode);
        Assert.Contains(name, await other.Content.ReadAsStringAsync());
    }
}
