using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Catalog;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Organization;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Collection;

/// <summary>
/// A figure typed for the months is not asked again for their quarter and year: a flow is added up, a stock is the
/// latest month's, both shown read-only with where they came from, and a correction to a month follows through.
/// </summary>
[Collection(nameof(AppsCollection))]
public sealed class OverTimeTests(Apps apps)
{
    private sealed record Setup(string Unit, string Flow, string Stock, Dictionary<string, int> Tasks);

    /// <summary>Its own two elements (a flow and a stock) in a monthly, a quarterly and an annual form, for one village only.</summary>
    private static async Task<Setup> SetUpAsync(OneFormHost app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneFormDbContext>();
        var suffix = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var department = await db.Departments.Select(d => d.Id).FirstAsync();
        var flow = new DataElement { Code = $"T_FLOW_{suffix}", Name = $"调处纠纷件数{suffix}", ValueType = ElementValueType.Integer, Aggregation = Aggregation.Sum,
            TimeAggregation = TimeAggregation.Sum, OwnerDepartmentId = department, Source = ElementSource.Entered, Min = 0, Max = 10000 };
        var stock = new DataElement { Code = $"T_STOCK_{suffix}", Name = $"党员总数{suffix}", ValueType = ElementValueType.Integer, Aggregation = Aggregation.Sum,
            TimeAggregation = TimeAggregation.Last, OwnerDepartmentId = department, Source = ElementSource.Entered, Min = 0, Max = 10000 };
        db.DataElements.AddRange(flow, stock);
        await db.SaveChangesAsync();
        var village = await db.OrgUnits.Where(u => u.Level == OrgUnitLevel.Village).OrderByDescending(u => u.Code).Skip(3).FirstAsync();
        var tasks = new Dictionary<string, int>();
        foreach (var (cycle, periods) in new[]
        {
            (ReportingCycle.Monthly, new[] { "2026M10", "2026M11", "2026M12" }),
            (ReportingCycle.Quarterly, ["2026Q4"]),
            (ReportingCycle.Annual, ["2026"]),
        })
        {
            var form = new Form
            {
                Code = $"T-{cycle}-{suffix}", Name = $"跨期测试{cycle}{suffix}", Category = FormCategory.SafetyGovernance, Cycle = cycle,
                IssuingDepartmentId = department, Designer = "测试", Status = FormStatus.Admitted, AdmissionCode = "TEST",
                ValidFrom = new DateOnly(2026, 1, 1), ValidTo = new DateOnly(2026, 12, 31), TargetLevels = nameof(OrgUnitLevel.Village), TargetSubtreePath = village.Path,
                Sections = [new FormSection { Order = 1, Title = "一", Fields = [new FormField { Order = 1, DataElementId = flow.Id }, new FormField { Order = 2, DataElementId = stock.Id }] }],
            };
            db.Forms.Add(form);
            await db.SaveChangesAsync();
            var opener = scope.ServiceProvider.GetRequiredService<TaskOpener>();
            foreach (var period in periods)
            {
                await opener.OpenAsync(form, Period.Parse(period));
                tasks[period] = await db.FillingTasks.Where(t => t.FormId == form.Id && t.PeriodCode == period).Select(t => t.Id).SingleAsync();
            }
        }
        return new Setup(village.Code, flow.Code, stock.Code, tasks);
    }

    private static async Task<HttpResponseMessage> SaveAsync(HttpClient cadre, int taskId, params (string Element, string Value)[] values)
    {
        var task = await Filling.GetAsync(cadre, taskId);
        return await cadre.PutAsJsonAsync($"/api/v1/tasks/{taskId}/values",
            new ValuesRequest([.. values.Select(v => Filling.Change(task, v.Element, v.Value))]));
    }

    private static async Task<(string? Value, string? Source)> ValueAsync(HttpClient cadre, int taskId, string element)
    {
        var value = (await Filling.GetAsync(cadre, taskId)).Values.Single(v => v.Element == element);
        return (value.Value, value.Source);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_quarter_and_the_year_are_made_of_the_months_and_follow_a_correction(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var setup = await SetUpAsync(app);
        var user = await app.CreateUserAsync(Role.Cadre, setup.Unit);
        var cadre = await PageSession.BearerAsync(app, user.UserName!);

        // Before any month is typed, the quarter is asked like any field.
        Assert.Equal((null, null), await ValueAsync(cadre, setup.Tasks["2026Q4"], setup.Flow));

        foreach (var (month, disputes, members) in new[] { ("2026M10", "3", "50"), ("2026M11", "4", "51"), ("2026M12", "5", "52") })
        {
            Assert.Equal(HttpStatusCode.OK, (await SaveAsync(cadre, setup.Tasks[month], (setup.Flow, disputes), (setup.Stock, members))).StatusCode);
        }

        Assert.Equal(("12", "OverTime"), await ValueAsync(cadre, setup.Tasks["2026Q4"], setup.Flow));   // 3 + 4 + 5
        Assert.Equal(("52", "OverTime"), await ValueAsync(cadre, setup.Tasks["2026Q4"], setup.Stock));  // December's
        Assert.Equal(("12", "OverTime"), await ValueAsync(cadre, setup.Tasks["2026"], setup.Flow));
        Assert.Equal(("52", "OverTime"), await ValueAsync(cadre, setup.Tasks["2026"], setup.Stock));

        // A correction to November follows into the quarter and the year, in the same save.
        Assert.Equal(HttpStatusCode.OK, (await SaveAsync(cadre, setup.Tasks["2026M11"], (setup.Flow, "10"))).StatusCode);
        Assert.Equal("18", (await ValueAsync(cadre, setup.Tasks["2026Q4"], setup.Flow)).Value);
        Assert.Equal("18", (await ValueAsync(cadre, setup.Tasks["2026"], setup.Flow)).Value);
        Assert.Equal("52", (await ValueAsync(cadre, setup.Tasks["2026"], setup.Stock)).Value);

        // The quarter is not typed: the answer names where the figure comes from, and nothing changes.
        var typed = await SaveAsync(cadre, setup.Tasks["2026Q4"], (setup.Flow, "99"));
        Assert.Equal(HttpStatusCode.BadRequest, typed.StatusCode);
        var problem = await typed.Content.ReadAsStringAsync();
        Assert.Contains("由2026年10月至2026年12月汇总", problem);
        Assert.Equal("18", (await ValueAsync(cadre, setup.Tasks["2026Q4"], setup.Flow)).Value);

        // The history says the quarter's value was computed, and from what it moved.
        var history = await app.WithDbAsync(db => db.DataValueChanges
            .Where(c => db.DataElements.Any(e => e.Id == c.DataElementId && e.Code == setup.Flow) && c.PeriodCode == "2026Q4").OrderBy(c => c.Id).Select(c => new { c.OldValue, c.NewValue, c.Source }).ToListAsync());
        Assert.Equal([(null, "3"), ("3", "7"), ("7", "12"), ("12", "18")], history.Select(h => (h.OldValue, h.NewValue)));
        Assert.All(history, h => Assert.Equal(ValueSource.OverTime, h.Source));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_submitted_quarter_goes_back_to_the_unit_when_a_month_in_it_changes_and_its_page_says_where_the_figure_came_from(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var setup = await SetUpAsync(app);
        var user = await app.CreateUserAsync(Role.Cadre, setup.Unit);
        var cadre = await PageSession.BearerAsync(app, user.UserName!);
        Assert.Equal(HttpStatusCode.OK, (await SaveAsync(cadre, setup.Tasks["2026M10"], (setup.Flow, "2"), (setup.Stock, "40"))).StatusCode);
        var quarter = await Filling.GetAsync(cadre, setup.Tasks["2026Q4"]);
        Assert.Equal(HttpStatusCode.OK, (await cadre.PutAsJsonAsync($"/api/v1/tasks/{setup.Tasks["2026Q4"]}/values", new ValuesRequest([], Submit: true))).StatusCode);
        Assert.Equal("Submitted", (await Filling.GetAsync(cadre, setup.Tasks["2026Q4"])).Task.Status);

        Assert.Equal(HttpStatusCode.OK, (await SaveAsync(cadre, setup.Tasks["2026M10"], (setup.Flow, "6"))).StatusCode);

        var reopened = await Filling.GetAsync(cadre, setup.Tasks["2026Q4"]);
        Assert.Equal("Reopened", reopened.Task.Status);
        Assert.Equal("6", reopened.Values.Single(v => v.Element == setup.Flow).Value);
        Assert.NotEqual(quarter.Values.Single(v => v.Element == setup.Flow).Value, reopened.Values.Single(v => v.Element == setup.Flow).Value);

        var page = await (await PageSession.SignedInAsync(app, user.UserName!)).GetHtmlAsync($"/Collection/Task/{setup.Tasks["2026Q4"]}");
        Assert.Contains("由2026年10月汇总", page);
        Assert.Contains("取自2026年10月", page);
        Assert.DoesNotContain($"name=\"Typed[{setup.Flow}]\"", page);
    }
}
