using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using OneForm.Data;
using OneForm.Organization;
using OneForm.Sharing;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Sharing;

/// <summary>The statistics a department takes itself: totals up the tree, completeness, files, and nothing without a grant.</summary>
[Collection(nameof(AppsCollection))]
public sealed class StatisticsTests(Apps apps)
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = TestJson.Options;

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_department_gets_its_figures_for_every_unit_with_totals_up_the_tree_and_nothing_it_is_not_granted(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var welfare = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        var police = await PageSession.BearerAsync(app, "dept.gongan", Demo.DemoSeed.DefaultPassword);
        var period = (await welfare.GetFromJsonAsync<List<OneForm.Collection.PeriodResponse>>("/api/v1/periods/current", Json))!.Single(p => p.Cycle == "Quarterly").Code;
        var query = $"elements=DIBAO_PERSONS,DIBAO_HOUSEHOLDS&unit=652301000000&level=Village&periods={period}";

        var table = (await welfare.GetFromJsonAsync<StatisticsTable>($"/api/v1/statistics?{query}", Json))!;

        // Independently: the derived 低保 figures of every village below 昌吉市, summed.
        var expected = await app.WithDbAsync(async db =>
        {
            var city = await db.OrgUnits.SingleAsync(u => u.Code == "652301000000");
            var below = db.OrgUnits.InSubtree(city.Path).Where(u => u.Level == OrgUnitLevel.Village).Select(u => u.Id);
            var values = await db.DataValues.Where(v => v.DataElement!.Code == "DIBAO_PERSONS" && v.PeriodCode == period && below.Contains(v.OrgUnitId))
                .Select(v => v.Number).ToListAsync();
            return (Sum: values.Sum(), Reported: values.Count, Units: await below.CountAsync());
        });
        Assert.Equal(["DIBAO_PERSONS", "DIBAO_HOUSEHOLDS"], table.Columns.Select(c => c.Element));
        Assert.Equal((expected.Sum, expected.Reported, expected.Units), (table.Total.Values[0] ?? 0, table.Total.Reported[0], table.Total.Units));
        Assert.True(expected.Reported > 0);
        var street = table.Rows.Single(r => r.IsSubtotal && r.Code == "652301004000");
        Assert.Equal(table.Rows.Where(r => !r.IsSubtotal && r.Code.StartsWith("652301004", StringComparison.Ordinal)).Sum(r => r.Values[0] ?? 0), street.Values[0]);

        // Files carry the same figures.
        var xlsx = await welfare.GetByteArrayAsync($"/api/v1/statistics/xlsx?{query}");
        var sheet = MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        // The column is headed by the period's name (2026年第4季度), not its code.
        var named = $"{period[..4]}年第{period[^1]}季度";
        Assert.Equal(expected.Sum, Convert.ToDouble(sheet[^1][$"城乡低保人数 {named}"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal($"{expected.Reported}/{expected.Units}", sheet[^1][$"城乡低保人数 {named} 已报"]);
        var csv = await welfare.GetStringAsync($"/api/v1/statistics/csv?{query}");
        Assert.Contains("小计：建国路街道", csv);

        // Without a grant: 403 for the table and its files, and a mixed request shows only what is granted.
        Assert.Equal(HttpStatusCode.Forbidden, (await police.GetAsync($"/api/v1/statistics?{query}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await police.GetAsync($"/api/v1/statistics/xlsx?{query}")).StatusCode);
        var mixed = (await police.GetFromJsonAsync<StatisticsTable>($"/api/v1/statistics?elements=POP_REGISTERED,DIBAO_PERSONS&unit=652301000000&periods={period}", Json))!;
        Assert.Equal(["POP_REGISTERED"], mixed.Columns.Select(c => c.Element));
        Assert.Equal(["DIBAO_PERSONS"], mixed.NotGranted);
        var html = await (await PageSession.SignedInAsync(app, "dept.gongan", Demo.DemoSeed.DefaultPassword)).GetHtmlAsync("/Statistics");
        Assert.DoesNotContain("DIBAO_PERSONS", html);
        Assert.Contains("POP_REGISTERED", html);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_saved_query_reopens_for_its_author_and_for_the_department_when_shared(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var author = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(OneForm.Common.Role.Department, departmentCode: "MZJ")).UserName!);
        var colleague = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(OneForm.Common.Role.Department, departmentCode: "MZJ")).UserName!);
        var police = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(OneForm.Common.Role.Department, departmentCode: "GAJ")).UserName!);
        var name = "低保季度" + Guid.NewGuid().ToString("N")[..6];
        var query = "elements=DIBAO_PERSONS&unit=652301000000&level=Village&periods=2026Q4&byValue=False";

        var shared = await author.SubmitAsync($"/Statistics?{query}", new Dictionary<string, string> { ["SaveName"] = name, ["Share"] = "true", ["SaveQuery"] = query },
            "/Statistics?handler=Save");
        Assert.Equal(HttpStatusCode.Redirect, shared.StatusCode);
        await author.SubmitAsync($"/Statistics?{query}", new Dictionary<string, string> { ["SaveName"] = name + "私用", ["SaveQuery"] = query }, "/Statistics?handler=Save");

        var mine = await author.GetHtmlAsync("/Statistics");
        Assert.Contains(name + "私用", mine);
        var theirs = await colleague.GetHtmlAsync("/Statistics");
        Assert.Contains(name, theirs);
        Assert.DoesNotContain(name + "私用", theirs);
        Assert.DoesNotContain(name, await police.GetHtmlAsync("/Statistics"));
    }
}
