using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Catalog;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Ledgers;
using OneForm.Localization;
using OneForm.Organization;
using OneForm.Testing;
using OneForm.Tests.Collection;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Reports;

/// <summary>
/// The burden receipt (减负账单) after a submission and for a unit's year, against counts of the values it holds; and the
/// demo catalogue asks no element twice for overlapping periods unless the longer value is computed from the shorter.
/// </summary>
[Collection(nameof(AppsCollection))]
public sealed class ReceiptTests(Apps apps)
{
    private const string Miaogong = "652301101201";
    private const string Changsheng = "652301101202";
    private const string Sangong = "652301101000";

    // A village under 建国路街道, where the demo registry has residents.
    private const string Nanwugong = "652301004201";

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task After_submitting_the_cadre_sees_what_it_typed_what_OneForm_filled_from_where_and_the_minutes_saved(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var user = await app.CreateUserAsync(Role.Cadre, Nanwugong);
        var cadre = await PageSession.BearerAsync(app, user.UserName!);
        // A visit to a veteran recorded in the 走访台账 today: the year's 走访慰问退役军人人次 comes from it.
        var today = app.Services.GetRequiredService<DisplayTime>().Today;
        var visits = await app.WithDbAsync(db => db.LedgerKinds.Where(k => k.Name == "走访台账").Select(k => k.Id).SingleAsync());
        Assert.Equal(HttpStatusCode.Created, (await cadre.PostAsJsonAsync("/api/v1/ledgers/entries", new LedgerEntryRequest(visits, new Dictionary<string, string?>
        {
            ["日期"] = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["走访对象"] = "赵某", ["对象类别"] = "退役军人", ["走访人次"] = "2",
        }))).StatusCode);

        var task = await Filling.GetAsync(cadre, await Filling.TaskIdAsync(app, Nanwugong, "CJ-MS-05"));
        Assert.Equal("Ledger", task.Values.Single(v => v.Element == "VETERANS_VISITED").Source);
        var typed = (await Filling.EverythingAsync(app, task, 3)).Where(v => v.ElementCode != "VETERANS_VISITED").ToList();
        Assert.Equal(HttpStatusCode.OK, (await cadre.PutAsJsonAsync($"/api/v1/tasks/{task.Task.Id}/values", new ValuesRequest(typed, Submit: true))).StatusCode);

        // Counted independently: the form's values for the unit and the year, by source.
        var sources = await app.WithDbAsync(db => db.DataValues.Where(v => v.OrgUnit!.Code == Nanwugong && v.PeriodCode == task.Task.Period
                && db.Forms.Where(f => f.Code == "CJ-MS-05" && f.Status == FormStatus.Admitted).SelectMany(f => f.Sections).SelectMany(s => s.Fields)
                    .Any(x => x.DataElementId == v.DataElementId))
            .Select(v => v.Source).ToListAsync());
        var registry = sources.Count(s => s == ValueSource.Derived);
        Assert.Equal(typed.Count, sources.Count(s => s is ValueSource.Entered or ValueSource.Imported));
        Assert.Equal(1, sources.Count(s => s == ValueSource.Ledger));
        Assert.True(registry > 0, "the registry derives 户籍人口, 户籍户数 and 退役军人数");
        var perField = BurdenReceipt.MinutesPerField(app.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>());
        var minutes = ((registry + 1) * perField).ToString("0.#", CultureInfo.InvariantCulture);
        var page = await (await PageSession.SignedInAsync(app, user.UserName!)).GetHtmlAsync($"/Collection/Task/{task.Task.Id}");
        Assert.Contains($"本次您填写了{typed.Count}项，一表通为您填好{registry + 1}项（人口库{registry}项、台账1项、其他周期0项、公式0项），沿用上期0项，节省约{minutes}分钟", page);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_units_receipt_for_the_year_counts_its_values_by_source_and_only_those_who_see_its_tasks_read_it(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, Miaogong)).UserName!);
        var reviewer = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Reviewer, Sangong)).UserName!);
        var neighbour = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, Changsheng)).UserName!);
        var department = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Department, null, "MZJ")).UserName!);
        // Something typed this quarter, so the receipt is not empty by luck.
        var task = await Filling.GetAsync(cadre, await Filling.TaskIdAsync(app, Miaogong, "CJ-PA-04"));
        Assert.Equal(HttpStatusCode.OK, (await cadre.PutAsJsonAsync($"/api/v1/tasks/{task.Task.Id}/values",
            new ValuesRequest([Filling.Change(task, "FIRE_DRILLS", "2")]))).StatusCode);

        var year = app.Services.GetRequiredService<DisplayTime>().Today.Year;
        var receipt = (await reviewer.GetFromJsonAsync<ReceiptResponse>($"/api/v1/org-units/{Miaogong}/receipt?year={year}", TestJson.Options))!;
        var prefix = year.ToString(CultureInfo.InvariantCulture);
        var held = await app.WithDbAsync(db => db.DataValues.Where(v => v.OrgUnit!.Code == Miaogong && v.PeriodCode.StartsWith(prefix))
            .Select(v => new { v.Source, v.PeriodCode }).ToListAsync());
        int Count(params ValueSource[] of) => held.Count(v => of.Contains(v.Source));
        Assert.Equal((Count(ValueSource.Entered, ValueSource.Imported), Count(ValueSource.Derived), Count(ValueSource.Ledger), Count(ValueSource.OverTime),
                Count(ValueSource.Formula), Count(ValueSource.CarriedForward)),
            (receipt.YearReceipt.Values.Typed, receipt.YearReceipt.Values.Registry, receipt.YearReceipt.Values.Ledger, receipt.YearReceipt.Values.OverTime,
                receipt.YearReceipt.Values.Formula, receipt.YearReceipt.Values.CarriedForward));
        Assert.True(receipt.YearReceipt.Values.Typed >= 1);
        Assert.Equal(receipt.YearReceipt.Values.Filled * receipt.YearReceipt.MinutesPerField, receipt.YearReceipt.MinutesSaved, 1);
        // Each quarter holds its months and itself; the year's own values (and half-years') belong to no quarter.
        Assert.Equal(4, receipt.Quarters.Count);
        var inQuarters = held.Count(v => Period.Parse(v.PeriodCode).Cycle is ReportingCycle.Monthly or ReportingCycle.Quarterly);
        Assert.Equal(inQuarters, receipt.Quarters.Sum(q => q.Receipt.Values.Total));

        // The home page's totals: this year's as the API's, this quarter's as the API's quarter.
        var today = app.Services.GetRequiredService<DisplayTime>().Today;
        var totals = (await app.WithDbAsync(async db => await BurdenReceipt.TotalsAsync(db, await db.OrgUnits.Where(u => u.Code == Miaogong).Select(u => u.Id).SingleAsync(),
            today, receipt.YearReceipt.MinutesPerField)))!;
        Assert.Equal(receipt.YearReceipt.Values, totals.YearReceipt.Values);
        Assert.Equal(receipt.Quarters.Single(q => q.Period == Period.Containing(ReportingCycle.Quarterly, today).ToString()).Receipt.Values, totals.QuarterReceipt.Values);

        Assert.Equal(HttpStatusCode.OK, (await cadre.GetAsync($"/api/v1/org-units/{Miaogong}/receipt")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await neighbour.GetAsync($"/api/v1/org-units/{Miaogong}/receipt")).StatusCode);
        // A department reads no unit's tasks or values: told the unit's receipt does not exist, as for a task.
        Assert.Equal(HttpStatusCode.NotFound, (await department.GetAsync($"/api/v1/org-units/{Miaogong}/receipt")).StatusCode);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task No_demo_element_is_typed_twice_for_a_unit_in_overlapping_periods(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var (forms, ledgerFilled) = await app.WithDbAsync(async db => (
            await db.Forms.AsNoTracking().Where(f => f.Version == 1 && f.Code.StartsWith("CJ-"))
                .Include(f => f.Sections).ThenInclude(s => s.Fields).ThenInclude(x => x.DataElement).AsSplitQuery().ToListAsync(),
            (await db.LedgerRules.Select(r => r.DataElementId).ToListAsync()).ToHashSet()));
        // The demo catalogue as seeded (version 1 of each form): other tests on the shared host admit new versions of their own.
        Assert.Equal(21, forms.Count);
        var groups = forms.SelectMany(f => f.Groups).Distinct().ToList();
        var offending = new List<string>();
        // Every level and every set of the targeted groups a unit of it can be in.
        foreach (var level in forms.SelectMany(f => f.Levels).Distinct())
        {
            for (var mask = 0; mask < 1 << groups.Count; mask++)
            {
                var profile = groups.Where((_, i) => (mask & (1 << i)) != 0).ToList();
                var reaching = forms.Where(f => f.Levels.Contains(level) && (f.Groups.Count == 0 || f.Groups.Any(profile.Contains))).ToList();
                foreach (var asked in reaching.SelectMany(f => f.Sections.Where(s => s.Kind == SectionKind.Fields).SelectMany(s => s.Fields)
                             .Select(x => (Element: x.DataElement!, Months: f.Cycle is ReportingCycle.OneOff ? 12 : 12 / Period.PerYear(f.Cycle))))
                             .GroupBy(x => x.Element.Id))
                {
                    var element = asked.First().Element;
                    var typed = element.Source == ElementSource.Entered && element.Formula is null && !ledgerFilled.Contains(element.Id);
                    var cycles = asked.Select(x => x.Months).Distinct().Order().ToList();
                    // Two cycles overlap within a year (a month lies in its quarter and year); the longer is computed only over time.
                    if (typed && cycles.Count > 1 && element.TimeAggregation == TimeAggregation.None)
                    {
                        offending.Add($"{element.Code} {element.Name} ({level}{(profile.Count > 0 ? "/" + string.Join('+', profile) : "")}: every {string.Join(", ", cycles)} months)");
                    }
                }
            }
        }
        Assert.True(offending.Count == 0, "typed in overlapping periods: " + string.Join("; ", offending.Distinct()));
    }
}
