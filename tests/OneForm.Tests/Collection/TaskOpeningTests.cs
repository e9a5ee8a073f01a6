using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Catalog;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Organization;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Collection;

[Collection(nameof(AppsCollection))]
public sealed class TaskOpeningTests(Apps apps)
{
    private static async Task<Form> AdmitTestFormAsync(OneFormHost app, ReportingCycle cycle, string levels = "Township")
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneFormDbContext>();
        var element = await db.DataElements.FirstAsync();
        var form = new Form
        {
            Code = $"T-{Guid.NewGuid().ToString("N")[..8]}",
            Name = $"测试{cycle}表",
            Category = FormCategory.Development,
            Cycle = cycle,
            IssuingDepartmentId = await db.Departments.Select(d => d.Id).FirstAsync(),
            Designer = "测试",
            Status = FormStatus.Admitted,
            AdmissionCode = "TEST",
            ValidFrom = new DateOnly(2026, 1, 1),
            DeadlineDays = 7,
            TargetLevels = levels,
            Sections = [new FormSection { Order = 1, Title = "一", Fields = [new FormField { Order = 1, DataElementId = element.Id }] }],
        };
        db.Forms.Add(form);
        await db.SaveChangesAsync();
        return form;
    }

    private static async Task<int> OpenAsync(OneFormHost app, Form form, DateOnly day)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TaskOpener>().OpenAsync(form, TaskOpener.PeriodFor(form, day));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Each_cycle_opens_its_own_periods_with_deadlines_across_the_year_boundary(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var townships = await app.WithDbAsync(db => db.OrgUnits.CountAsync(u => u.Level == OrgUnitLevel.Township));
        var expected = new Dictionary<ReportingCycle, (string Before, string After, string Deadline)>
        {
            [ReportingCycle.Monthly] = ("2026M12", "2027M01", "2027-01-07"),
            [ReportingCycle.Quarterly] = ("2026Q4", "2027Q1", "2027-01-07"),
            [ReportingCycle.HalfYearly] = ("2026H2", "2027H1", "2027-01-07"),
            [ReportingCycle.Annual] = ("2026", "2027", "2027-01-07"),
            [ReportingCycle.OneOff] = ("2026", "2026", "2027-01-07"),
        };

        foreach (var (cycle, (before, after, deadline)) in expected)
        {
            var form = await AdmitTestFormAsync(app, cycle);
            await OpenAsync(app, form, new DateOnly(2026, 12, 31));
            await OpenAsync(app, form, new DateOnly(2027, 1, 1));

            var periods = await app.WithDbAsync(db => db.FillingTasks.Where(t => t.FormId == form.Id)
                .GroupBy(t => new { t.PeriodCode, t.Deadline }).Select(g => new { g.Key.PeriodCode, g.Key.Deadline, Count = g.Count() }).ToListAsync());
            var expectedPeriods = new[] { before, after }.Distinct().ToList();
            Assert.Equal(expectedPeriods, periods.Select(p => p.PeriodCode).Order().ToList());
            Assert.All(periods, p => Assert.Equal(townships, p.Count));
            Assert.Equal(DateOnly.Parse(deadline), periods.Single(p => p.PeriodCode == before).Deadline);
        }
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Two_nodes_opening_the_same_period_at_once_make_each_task_once(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        await using var secondNode = await OneFormHost.StartOnAsync(app.Database);
        var form = await AdmitTestFormAsync(app, ReportingCycle.Quarterly, "Village");
        var villages = await app.WithDbAsync(db => db.OrgUnits.CountAsync(u => u.Level == OrgUnitLevel.Village));
        var day = new DateOnly(2026, 11, 27);

        var opened = await Task.WhenAll(OpenAsync(app, form, day), OpenAsync(secondNode, form, day), OpenAsync(app, form, day), OpenAsync(secondNode, form, day));

        Assert.Equal(villages, opened.Sum());
        Assert.Equal(villages, await app.WithDbAsync(db => db.FillingTasks.CountAsync(t => t.FormId == form.Id)));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_demo_opens_every_admitted_form_that_targets_it_for_a_community(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var today = app.Services.GetRequiredService<OneForm.Localization.DisplayTime>().Today;

        var jinxiu = await app.WithDbAsync(db => db.FillingTasks.Where(t => t.OrgUnit!.Code == "652301004002" && t.Form!.Code.StartsWith("CJ-"))
            .Select(t => new { t.Form!.Code, t.Form.Cycle, t.PeriodCode }).ToListAsync());

        // All 21 but the three rural-economy forms, which target the group 农村 (a residents' committee is not in it).
        Assert.Equal(18, jinxiu.Select(t => t.Code).Distinct().Count());
        Assert.DoesNotContain(jinxiu, t => t.Code.StartsWith("CJ-FZ-0", StringComparison.Ordinal) && t.Code[^1] is '1' or '2' or '3');
        Assert.All(jinxiu.Where(t => t.Cycle != ReportingCycle.OneOff), t => Assert.Equal(Period.Containing(t.Cycle, today).ToString(), t.PeriodCode));
    }
}
