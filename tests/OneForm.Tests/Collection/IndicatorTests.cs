using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Accounts;
using OneForm.Catalog;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Organization;
using OneForm.Sharing;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Collection;

/// <summary>
/// An indicator (a rate) is never typed: it is its formula over the unit's values of the same period, follows its
/// parts whichever way they are written, and at any level of the tree is the formula over the parts summed there,
/// not an average of the units' rates.
/// </summary>
[Collection(nameof(AppsCollection))]
public sealed class IndicatorTests(Apps apps)
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = TestJson.Options;

    /// <param name="Township">The township holding both villages.</param>
    private sealed record Setup(string Township, string Small, string Large, string Successes, string Handled, string Rate, string RateName,
        Dictionary<(string Unit, string Period), int> Tasks, string FormCode);

    /// <summary>
    /// Two counts (successes and disputes handled, both flows) and their rate, the rate set by the gatekeeper through
    /// the dictionary API, in a monthly and a quarterly form for the villages of one township.
    /// </summary>
    private static async Task<Setup> SetUpAsync(OneFormHost app)
    {
        var suffix = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var (successes, handled, rate) = ($"T_OK_{suffix}", $"T_ALL_{suffix}", $"T_RATE_{suffix}");
        var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        foreach (var (code, name) in new[] { (successes, $"调解成功数{suffix}"), (handled, $"调解纠纷数{suffix}") })
        {
            var created = await gatekeeper.PostAsJsonAsync("/api/v1/dictionary/elements", new ElementRequest(code, name, null, null, ElementValueType.Integer, "件",
                Aggregation.Sum, "ZFW", ElementSource.Entered, false, 0, 10000, null, null, TimeAggregation.Sum));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        var indicator = await gatekeeper.PostAsJsonAsync("/api/v1/dictionary/elements", new ElementRequest(rate, $"调解成功率{suffix}", null, null, ElementValueType.Decimal, "%",
            Aggregation.Average, "ZFW", ElementSource.Entered, true, 0, 100, null, null, Formula: $"{successes} / {handled} * 100"));
        Assert.Equal(HttpStatusCode.Created, indicator.StatusCode);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneFormDbContext>();
        var ids = await db.DataElements.Where(e => e.Code == successes || e.Code == handled || e.Code == rate).ToDictionaryAsync(e => e.Code, e => e.Id);
        var department = await db.Departments.Where(d => d.Code == "ZFW").Select(d => d.Id).SingleAsync();
        // A township far from the demo's own units, with at least two villages.
        var township = await db.OrgUnits.Where(u => u.Level == OrgUnitLevel.Township && db.OrgUnits.Count(c => c.ParentId == u.Id && c.Level == OrgUnitLevel.Village) >= 2)
            .OrderByDescending(u => u.Code).Skip(2).FirstAsync();
        var villages = await db.OrgUnits.Where(u => u.ParentId == township.Id && u.Level == OrgUnitLevel.Village).OrderBy(u => u.Code).Take(2).ToListAsync();
        var tasks = new Dictionary<(string, string), int>();
        string? monthlyCode = null;
        foreach (var (cycle, period) in new[] { (ReportingCycle.Monthly, "2026M11"), (ReportingCycle.Monthly, "2026M12"), (ReportingCycle.Quarterly, "2026Q4") })
        {
            var code = $"T-IND-{cycle}-{suffix}";
            var form = await db.Forms.Include(f => f.Sections).SingleOrDefaultAsync(f => f.Code == code);
            if (form is null)
            {
                form = new Form
                {
                    Code = code, Name = $"指标测试{cycle}{suffix}", Category = FormCategory.SafetyGovernance, Cycle = cycle,
                    IssuingDepartmentId = department, Designer = "测试", Status = FormStatus.Admitted, AdmissionCode = "TEST",
                    ValidFrom = new DateOnly(2026, 1, 1), ValidTo = new DateOnly(2026, 12, 31), TargetLevels = nameof(OrgUnitLevel.Village), TargetSubtreePath = township.Path,
                    Sections = [new FormSection { Order = 1, Title = "矛盾纠纷", Fields = [
                        new FormField { Order = 1, DataElementId = ids[handled] }, new FormField { Order = 2, DataElementId = ids[successes] },
                        new FormField { Order = 3, DataElementId = ids[rate] }] }],
                };
                db.Forms.Add(form);
                await db.SaveChangesAsync();
            }
            monthlyCode ??= code;
            await scope.ServiceProvider.GetRequiredService<TaskOpener>().OpenAsync(form, Period.Parse(period));
            foreach (var village in villages)
            {
                tasks[(village.Code, period)] = await db.FillingTasks.Where(t => t.FormId == form.Id && t.PeriodCode == period && t.OrgUnitId == village.Id)
                    .Select(t => t.Id).SingleAsync();
            }
        }
        return new Setup(township.Code, villages[0].Code, villages[1].Code, successes, handled, rate, $"调解成功率{suffix}", tasks, monthlyCode!);
    }

    private static async Task<HttpResponseMessage> SaveAsync(HttpClient cadre, int taskId, params (string Element, string Value)[] values)
    {
        var task = await Filling.GetAsync(cadre, taskId);
        return await cadre.PutAsJsonAsync($"/api/v1/tasks/{taskId}/values",
            new ValuesRequest([.. values.Select(v => Filling.Change(task, v.Element, v.Value))]));
    }

    private static async Task<(string? Value, string? Source)> ValueAsync(HttpClient client, int taskId, string element)
    {
        var value = (await Filling.GetAsync(client, taskId)).Values.Single(v => v.Element == element);
        return (value.Value, value.Source);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_rate_follows_its_parts_has_no_value_without_them_and_is_never_typed(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var setup = await SetUpAsync(app);
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, setup.Small)).UserName!);
        var november = setup.Tasks[(setup.Small, "2026M11")];

        // One part alone: no rate yet (not 0).
        Assert.Equal(HttpStatusCode.OK, (await SaveAsync(cadre, november, (setup.Handled, "8"))).StatusCode);
        Assert.Equal((null, null), await ValueAsync(cadre, november, setup.Rate));

        Assert.Equal(HttpStatusCode.OK, (await SaveAsync(cadre, november, (setup.Successes, "6"))).StatusCode);
        Assert.Equal(("75", "Formula"), await ValueAsync(cadre, november, setup.Rate));

        // A correction of a part moves the rate, in the same save; the quarter's rate is over the quarter's counts.
        Assert.Equal(HttpStatusCode.OK, (await SaveAsync(cadre, november, (setup.Handled, "9"))).StatusCode);
        Assert.Equal(("66.67", "Formula"), await ValueAsync(cadre, november, setup.Rate));
        Assert.Equal(HttpStatusCode.OK, (await SaveAsync(cadre, setup.Tasks[(setup.Small, "2026M12")], (setup.Handled, "1"), (setup.Successes, "1"))).StatusCode);
        var quarter = setup.Tasks[(setup.Small, "2026Q4")];
        Assert.Equal(("70", "Formula"), await ValueAsync(cadre, quarter, setup.Rate));   // (6 + 1) / (9 + 1), not the mean of 66.67 and 100

        // Nothing handled: no rate (a division by zero is no figure), and the stale one is taken back.
        Assert.Equal(HttpStatusCode.OK, (await SaveAsync(cadre, november, (setup.Handled, "0"), (setup.Successes, "0"))).StatusCode);
        Assert.Equal((null, null), await ValueAsync(cadre, november, setup.Rate));

        // Typing the rate is refused with what it is computed from; nothing is saved.
        var typed = await SaveAsync(cadre, november, (setup.Rate, "95"), (setup.Handled, "4"));
        Assert.Equal(HttpStatusCode.BadRequest, typed.StatusCode);
        var problem = await typed.Content.ReadAsStringAsync();
        Assert.Contains($"{setup.RateName}由公式计算", problem);
        Assert.Contains("不能填写", problem);
        Assert.Contains($"调解成功数{setup.Rate[7..]} ÷ 调解纠纷数{setup.Rate[7..]} × 100", problem);
        Assert.Equal((null, null), await ValueAsync(cadre, november, setup.Rate));

        // Submitting does not ask for the rate even though it is marked required: nobody types it.
        Assert.Equal(HttpStatusCode.OK, (await SaveAsync(cadre, november, (setup.Handled, "4"), (setup.Successes, "1"))).StatusCode);
        var submit = await cadre.PutAsJsonAsync($"/api/v1/tasks/{november}/values", new ValuesRequest([], Submit: true));
        Assert.Equal(HttpStatusCode.OK, submit.StatusCode);

        // The history says the value came from the formula.
        var history = await app.WithDbAsync(db => db.DataValueChanges
            .Where(c => db.DataElements.Any(e => e.Id == c.DataElementId && e.Code == setup.Rate) && c.PeriodCode == "2026M11").OrderBy(c => c.Id)
            .Select(c => new { c.NewValue, c.Source }).ToListAsync());
        Assert.Equal(["75", "66.67", null, "25"], history.Select(h => h.NewValue));
        Assert.All(history, h => Assert.Equal(ValueSource.Formula, h.Source));

        // The filling page shows it read-only with where it came from.
        var page = await (await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Cadre, setup.Small)).UserName!))
            .GetHtmlAsync($"/Collection/Task/{setup.Tasks[(setup.Small, "2026M12")]}");
        Assert.DoesNotContain($"name=\"Typed[{setup.Rate}]\"", page, StringComparison.Ordinal);
        Assert.Contains($"name=\"Typed[{setup.Handled}]\"", page, StringComparison.Ordinal);
        Assert.Contains($"由公式计算：调解成功数{setup.Rate[7..]} ÷ 调解纠纷数{setup.Rate[7..]} × 100", page, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_townships_rate_is_its_successes_over_its_disputes_not_the_mean_of_its_villages_rates(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var setup = await SetUpAsync(app);
        var period = "2026M11";
        // A small village mediates 9 of 10 disputes (90%), a large one 10 of 100 (10%).
        foreach (var (unit, successes, handled) in new[] { (setup.Small, "9", "10"), (setup.Large, "10", "100") })
        {
            var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, unit)).UserName!);
            Assert.Equal(HttpStatusCode.OK, (await SaveAsync(cadre, setup.Tasks[(unit, period)], (setup.Handled, handled), (setup.Successes, successes))).StatusCode);
            Assert.Equal(unit == setup.Small ? "90" : "10", (await ValueAsync(cadre, setup.Tasks[(unit, period)], setup.Rate)).Value);
        }
        var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);

        // Live figures up the tree: 19 / 110, not (90 + 10) / 2.
        var rows = (await gatekeeper.GetFromJsonAsync<List<RollUpRow>>($"/api/v1/values/rollup?unit={setup.Township}&period={period}&form={setup.FormCode}", Json))!;
        var rate = rows.Single(r => r.Element == setup.Rate);
        Assert.Equal(17.27, rate.Value);
        Assert.Equal("Formula", rate.Aggregation);
        Assert.Equal(2, rate.Reported);
        Assert.Equal(110, rows.Single(r => r.Element == setup.Handled).Value);

        // The department's statistics: each village's own rate, and the township's sub-total over its counts.
        var table = (await gatekeeper.GetFromJsonAsync<StatisticsTable>(
            $"/api/v1/statistics?elements={setup.Rate},{setup.Handled}&unit={setup.Township}&level=Village&periods={period}", Json))!;
        Assert.Equal([setup.Rate, setup.Handled], table.Columns.Select(c => c.Element));
        Assert.Equal(90, table.Rows.Single(r => r.Code == setup.Small).Values[0]);
        Assert.Equal(10, table.Rows.Single(r => r.Code == setup.Large).Values[0]);
        Assert.Equal(17.27, table.Total.Values[0]);
        Assert.Equal(2, table.Total.Reported[0]);
        Assert.Equal(110, table.Total.Values[1]);
    }
}
