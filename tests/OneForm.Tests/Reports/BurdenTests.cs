using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using OneForm.Admission;
using OneForm.Catalog;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Organization;
using OneForm.Reports;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Reports;

/// <summary>The burden dashboard against figures worked out by hand for forms the test makes.</summary>
[Collection(nameof(AppsCollection))]
public sealed class BurdenTests
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = TestJson.Options;

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_dashboard_equals_independent_counts_on_the_demo_data(DatabaseProvider provider)
    {
        // Its own host: pending admissions and open reports are counted over the whole platform.
        await using var app = await OneFormHost.StartAsync(provider);
        var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        var department = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        var cadre = await PageSession.BearerAsync(app, "cadre.jinxiu", Demo.DemoSeed.DefaultPassword);
        var proposal = (await (await department.PostAsJsonAsync("/api/v1/admission-requests", new AdmissionBody("待审的表", null, FormCategory.Livelihood,
            ReportingCycle.Annual, [OrgUnitLevel.Village], 10, "某人", [new("入户走访次数")]), Json)).Content.ReadFromJsonAsync<AdmissionDetail>(Json))!;
        await department.PostAsync($"/api/v1/admission-requests/{proposal.Id}/submit", null);
        using var filing = new MultipartFormDataContent
        {
            { new StringContent("某统计表"), "formTitle" }, { new StringContent("某办"), "sentBy" },
            { new StringContent(DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd")), "receivedOn" },
        };
        Assert.Equal(HttpStatusCode.Created, (await cadre.PostAsync("/api/v1/reports", filing)).StatusCode);

        var burden = (await gatekeeper.GetFromJsonAsync<Burden>("/api/v1/burden", Json))!;

        // Villages in no group a form targets (the rural-economy forms target 农村): every form below reaches them.
        var village = burden.Levels.Single(l => l.Level == OrgUnitLevel.Village && l.Groups.Count == 0);
        Assert.Equal(21, burden.Catalogue.FormsInForce);

        // Three forms made here, with what they add to a village's year worked out by hand: a quarterly form of A, B
        // (typed) and D (derived), 4 tasks and 3 x 4 values of which 4 derived; an annual form of A and C, 1 task and
        // 2 values (A's annual value is another value than its quarterly ones); another quarterly form of A and B, 4 tasks
        // and no new value (A and B are typed once a quarter whatever the number of forms holding them).
        var suffix = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        string[] elements = [$"A_{suffix}", $"B_{suffix}", $"C_{suffix}", $"D_{suffix}"];
        foreach (var code in elements)
        {
            Assert.Equal(HttpStatusCode.Created, (await gatekeeper.PostAsJsonAsync("/api/v1/dictionary/elements", new ElementRequest(code, $"负担测试{code}", null, null,
                ElementValueType.Integer, "个", Aggregation.Sum, "MZJ", code.StartsWith('D') ? ElementSource.Derived : ElementSource.Entered,
                false, 0, null, null, null), Json)).StatusCode);
        }
        foreach (var (form, cycle, fields) in new[]
        {
            ($"T-BQ-{suffix}", ReportingCycle.Quarterly, new[] { elements[0], elements[1], elements[3] }),
            ($"T-BY-{suffix}", ReportingCycle.Annual, new[] { elements[0], elements[2] }),
            ($"T-BQ2-{suffix}", ReportingCycle.Quarterly, new[] { elements[0], elements[1] }),
        })
        {
            var drafted = (await (await gatekeeper.PostAsJsonAsync("/api/v1/forms", new FormRequest(form, $"负担测试表{form}", null, FormCategory.Livelihood,
                cycle, "MZJ", "测试", 10, [OrgUnitLevel.Village], [new SectionRequest("一", null, fields)]), Json)).Content.ReadFromJsonAsync<FormSummary>(Json))!;
            Assert.Equal(HttpStatusCode.OK, (await gatekeeper.PostAsync($"/api/v1/forms/{drafted.Id}/admit", null)).StatusCode);
        }
        var after = (await gatekeeper.GetFromJsonAsync<Burden>("/api/v1/burden", Json))!;
        var villageAfter = after.Levels.Single(l => l.Level == OrgUnitLevel.Village && l.Groups.Count == 0);
        Assert.Equal(24, after.Catalogue.FormsInForce);
        Assert.Equal((4 + 1 + 4, 12 + 2, 4, 10), (villageAfter.TasksPerYear - village.TasksPerYear, villageAfter.ValuesPerYear - village.ValuesPerYear,
            villageAfter.DerivedPerYear - village.DerivedPerYear, villageAfter.ToTypePerYear - village.ToTypePerYear));
        Assert.Equal(await app.WithDbAsync(db => db.OrgUnits.CountAsync(u => u.Level == OrgUnitLevel.Village)),
            burden.Levels.Where(l => l.Level == OrgUnitLevel.Village).Sum(l => l.Units));
        // A village of 农村 (every demo form reaches it): OneForm fills at least 60% of the values it does not carry forward,
        // from the registry, ledgers, other periods and formulas; stocks carried forward (上期值) are counted apart.
        var rural = burden.Levels.Single(l => l.Level == OrgUnitLevel.Village && l.Groups.SequenceEqual(["农村"]));
        var o = rural.Origins;
        var breakdown = $"{rural.ValuesPerYear} values: typed {o.Typed}, registry {o.Registry}, ledgers {o.Ledger}, other periods {o.OverTime}, " +
            $"formula {o.Formula}, carried forward {o.CarriedForward}; with each form on its own {rural.LegacyPerYear} typed";
        Assert.True(rural.SharePrefilled >= 0.6, $"only {rural.SharePrefilled:P1} of a village's values are filled by OneForm: {breakdown}");
        Assert.Equal(rural.ValuesPerYear, o.Typed + o.Filled + o.CarriedForward);
        Assert.True(o.CarriedForward > 0 && o.Ledger > 0 && o.OverTime > 0 && o.Registry > 0, breakdown);
        Assert.Equal(o.Typed, rural.ToTypePerYear);
        Assert.Equal(Math.Round(o.Filled / (double)(o.Filled + o.Typed), 3), rural.SharePrefilled);
        Assert.True(rural.LegacyPerYear > rural.ValuesPerYear, breakdown);
        Assert.Equal((1, 1, 0), (burden.PendingAdmissions, burden.OpenReports, burden.OverdueRectifications));
        Assert.Equal(21, burden.Trend[^1].FormsInForce);
        Assert.Equal(24, burden.Trend.Count);
        Assert.Equal(1, burden.Departments.Single(d => d.Code == "MZJ").PendingAdmissions);

        // Each unit's year: its tasks and its values, typed or prefilled.
        var jinxiu = await app.WithDbAsync(db => db.OrgUnits.SingleAsync(u => u.Name == "锦绣社区居民委员会"));
        var year = DateTime.UtcNow.AddHours(8).Year.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var tasks = await app.WithDbAsync(db => db.FillingTasks.CountAsync(t => t.OrgUnitId == jinxiu.Id && t.PeriodCode.StartsWith(year)));
        var prefilled = await app.WithDbAsync(db => db.DataValues.CountAsync(v => v.OrgUnitId == jinxiu.Id && v.PeriodCode.StartsWith(year) && v.Source != ValueSource.Entered));
        var row = after.Units.Single(u => u.Code == jinxiu.Code);
        Assert.Equal((tasks, prefilled), (row.Tasks, row.Prefilled));
        // By source, and against typing each field of each of its forms every period.
        var ledger = await app.WithDbAsync(db => db.DataValues.CountAsync(v => v.OrgUnitId == jinxiu.Id && v.PeriodCode.StartsWith(year) && v.Source == ValueSource.Ledger));
        var legacyFields = await app.WithDbAsync(async db => (await db.FillingTasks.Where(t => t.OrgUnitId == jinxiu.Id && t.PeriodCode.StartsWith(year))
            .Select(t => t.Form!.Sections.Where(s => s.Kind == SectionKind.Fields).SelectMany(s => s.Fields).Count()).ToListAsync()).Sum());
        Assert.True(ledger > 0, "the demo's ledger entries of 锦绣社区 fill values");
        Assert.Equal((ledger, legacyFields), (row.Origins.Ledger, row.Legacy));

        // Every figure downloads; the page shows them; a cadre sees none of it.
        var xlsx = await gatekeeper.GetByteArrayAsync("/api/v1/burden/xlsx");
        Assert.Contains("按层级", MiniExcel.GetSheetNames(new MemoryStream(xlsx)));
        var perLevel = MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true, sheetName: "按层级").Cast<IDictionary<string, object>>().ToList();
        Assert.Contains(perLevel, r => Convert.ToInt32(r["台账生成"], System.Globalization.CultureInfo.InvariantCulture) == villageAfter.Origins.Ledger
            && Convert.ToInt32(r["沿用上期"], System.Globalization.CultureInfo.InvariantCulture) == villageAfter.Origins.CarriedForward);
        var html = await (await PageSession.SignedInAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword)).GetHtmlAsync("/Oversight/Burden");
        Assert.Contains("表格负担", html);
        Assert.Contains("逐表填报需填项数", html);
        Assert.Contains("沿用上期", html);
        Assert.Equal(HttpStatusCode.Forbidden, (await cadre.GetAsync("/api/v1/burden")).StatusCode);
    }
}
