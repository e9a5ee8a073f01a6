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

    /// <summary>
    /// A table of 100,000 cells or more is read in parts by unit on SQLite, each on a connection of its own, at the same
    /// time (Statistics.FillAsync; in one piece on PostgreSQL). Every village of the prefecture must still have every
    /// figure it has in the database, and none another's.
    /// </summary>
    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_prefecture_wide_table_of_111_000_cells_has_every_figure_of_every_village(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        var current = (await gatekeeper.GetFromJsonAsync<List<OneForm.Collection.PeriodResponse>>("/api/v1/periods/current", Json))!.Single(p => p.Cycle == "Quarterly").Code;
        var periods = Enumerable.Range(1, 4).Select(q => $"{current[..4]}Q{q}").ToList();
        // The demo's figures are all in the first county; a cadre of the prefecture's last village saves one too.
        var last = await app.WithDbAsync(db => db.FillingTasks.Where(t => t.Form!.Code == "CJ-DJ-01" && t.PeriodCode == current
                && t.OrgUnit!.Level == OrgUnitLevel.Village && t.OrgUnit.Code.StartsWith("6523"))
            .OrderByDescending(t => t.OrgUnitId).Select(t => t.OrgUnit!.Code).FirstAsync());
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(OneForm.Common.Role.Cadre, last)).UserName!);
        var task = await OneForm.Tests.Collection.Filling.GetAsync(cadre, await OneForm.Tests.Collection.Filling.TaskIdAsync(app, last, "CJ-DJ-01"));
        var saved = await cadre.PutAsJsonAsync($"/api/v1/tasks/{task.Task.Id}/values",
            new OneForm.Collection.ValuesRequest([OneForm.Tests.Collection.Filling.Change(task, "PARTY_MEMBERS_MOBILE", "17")]));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var (elements, villages, expected) = await app.WithDbAsync(async db =>
        {
            // The elements with the most figures in the year first, then any, up to 30 (their columns make the table large).
            var withFigures = await db.DataValues.Where(v => periods.Contains(v.PeriodCode) && v.Number != null && v.DataElement!.Formula == null)
                .GroupBy(v => v.DataElement!.Code).OrderByDescending(g => g.Count()).Select(g => g.Key).Take(30).ToListAsync();
            withFigures = ["PARTY_MEMBERS_MOBILE", .. withFigures.Where(c => c != "PARTY_MEMBERS_MOBILE").Take(29)];
            var codes = withFigures.Concat(await db.DataElements.Where(e => e.Formula == null && !withFigures.Contains(e.Code)).OrderBy(e => e.Code)
                .Select(e => e.Code).Take(30 - withFigures.Count).ToListAsync()).ToList();
            var prefecture = await db.OrgUnits.SingleAsync(u => u.Code == "652300000000");
            var below = db.OrgUnits.InSubtree(prefecture.Path).Where(u => u.Level == OrgUnitLevel.Village);
            var figures = await db.DataValues.Where(v => codes.Contains(v.DataElement!.Code) && periods.Contains(v.PeriodCode) && v.Number != null
                    && below.Select(u => u.Id).Contains(v.OrgUnitId))
                .Select(v => new { v.OrgUnitId, Unit = v.OrgUnit!.Code, Element = v.DataElement!.Code, v.PeriodCode, v.Number }).ToListAsync();
            // The parts are ranges of unit ids with as many villages each: villages with figures in both halves at least.
            var ids = await below.Select(u => u.Id).OrderBy(id => id).ToListAsync();
            Assert.Equal([false, true], figures.Select(f => f.OrgUnitId >= ids[ids.Count / 2]).Distinct().Order());
            return (codes, await below.CountAsync(), figures.ToDictionary(f => (f.Unit, f.Element, f.PeriodCode), f => f.Number!.Value));
        });
        Assert.True(villages * elements.Count * periods.Count >= 100_000, "the table is too small to be read in parts");
        Assert.True(expected.Select(e => e.Key.Unit).Distinct().Count() >= 10, $"too few villages have figures to tell: {expected.Select(e => e.Key.Unit).Distinct().Count()}");

        var table = (await gatekeeper.GetFromJsonAsync<StatisticsTable>(
            $"/api/v1/statistics?elements={string.Join(',', elements)}&unit=652300000000&level=Village&periods={string.Join(',', periods)}", Json))!;

        var rows = table.Rows.Where(r => !r.IsSubtotal).ToList();
        Assert.Equal(villages, rows.Count);
        var shown = rows.SelectMany(r => table.Columns.Select((c, i) => (Key: (r.Code, c.Element, c.Period), Value: r.Values[i])))
            .Where(x => x.Value is not null).ToDictionary(x => x.Key, x => x.Value!.Value);
        Assert.Equal(expected.OrderBy(e => e.Key), shown.OrderBy(e => e.Key));
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
