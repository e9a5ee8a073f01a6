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

/// <summary>The burden dashboard against counts made independently from the same data.</summary>
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

        // Independently: the village forms in force, their periods, and their elements typed once per cycle (roster columns
        // are checked per resident, not typed per unit).
        var villageForms = (await app.WithDbAsync(db => db.Forms.AsNoTracking().Where(f => f.Status == FormStatus.Admitted)
            .Select(f => new { f.Code, f.Cycle, f.TargetLevels }).ToListAsync())).Where(f => f.TargetLevels.Split(',').Contains("Village")).ToList();
        static int Periods(ReportingCycle c) => c switch { ReportingCycle.Monthly => 12, ReportingCycle.Quarterly => 4, ReportingCycle.HalfYearly => 2, _ => 1 };
        var slots = await app.WithDbAsync(db => db.FormFields
            .Join(db.FormSections, f => f.SectionId, s => s.Id, (f, s) => new { f.DataElementId, s.FormId })
            .Join(db.Forms.Where(f => f.Status == FormStatus.Admitted && f.TargetLevels.Contains("Village")), x => x.FormId, f => f.Id, (x, f) => new { x.DataElementId, f.Cycle })
            .Join(db.DataElements.Where(e => e.Source != ElementSource.PersonAttribute), x => x.DataElementId, e => e.Id, (x, e) => new { x.DataElementId, x.Cycle, e.Source })
            .Distinct().ToListAsync());
        var village = burden.Levels.Single(l => l.Level == OrgUnitLevel.Village);
        Assert.Equal(21, burden.Catalogue.FormsInForce);
        Assert.Equal(villageForms.Sum(f => Periods(f.Cycle)), village.TasksPerYear);
        Assert.Equal(slots.Sum(s => Periods(s.Cycle)), village.ValuesPerYear);
        Assert.Equal(slots.Where(s => s.Source == ElementSource.Derived).Sum(s => Periods(s.Cycle)), village.DerivedPerYear);
        Assert.Equal(await app.WithDbAsync(db => db.OrgUnits.CountAsync(u => u.Level == OrgUnitLevel.Village)), village.Units);
        Assert.True(village.SharePrefilled > 0.2, $"only {village.SharePrefilled:P0} of a village's values are prefilled");
        Assert.Equal((1, 1, 0), (burden.PendingAdmissions, burden.OpenReports, burden.OverdueRectifications));
        Assert.Equal(21, burden.Trend[^1].FormsInForce);
        Assert.Equal(24, burden.Trend.Count);
        Assert.Equal(1, burden.Departments.Single(d => d.Code == "MZJ").PendingAdmissions);

        // Each unit's year: its tasks and its values, typed or prefilled.
        var jinxiu = await app.WithDbAsync(db => db.OrgUnits.SingleAsync(u => u.Name == "锦绣社区居民委员会"));
        var year = DateTime.UtcNow.AddHours(8).Year.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var tasks = await app.WithDbAsync(db => db.FillingTasks.CountAsync(t => t.OrgUnitId == jinxiu.Id && t.PeriodCode.StartsWith(year)));
        var prefilled = await app.WithDbAsync(db => db.DataValues.CountAsync(v => v.OrgUnitId == jinxiu.Id && v.PeriodCode.StartsWith(year) && v.Source != ValueSource.Entered));
        var row = burden.Units.Single(u => u.Code == jinxiu.Code);
        Assert.Equal((tasks, prefilled), (row.Tasks, row.Prefilled));

        // Every figure downloads; the page shows them; a cadre sees none of it.
        var xlsx = await gatekeeper.GetByteArrayAsync("/api/v1/burden/xlsx");
        Assert.Contains("按层级", MiniExcel.GetSheetNames(new MemoryStream(xlsx)));
        var html = await (await PageSession.SignedInAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword)).GetHtmlAsync("/Oversight/Burden");
        Assert.Contains("表格负担", html);
        Assert.Equal(HttpStatusCode.Forbidden, (await cadre.GetAsync("/api/v1/burden")).StatusCode);
    }
}
