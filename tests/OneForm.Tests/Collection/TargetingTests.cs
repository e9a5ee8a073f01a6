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
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Collection;

/// <summary>Forms that target unit groups open tasks only for the units in them; the demo's rural-economy forms target 农村.</summary>
[Collection(nameof(AppsCollection))]
public sealed class TargetingTests(Apps apps)
{
    private const string Jinxiu = "652301004002";

    /// <summary>南五工一村村委会, a villagers' committee under 建国路街道, as 锦绣社区 is.</summary>
    private const string Village = "652301004200";

    private static readonly string[] RuralEconomyForms = ["CJ-FZ-01", "CJ-FZ-02", "CJ-FZ-03"];

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_form_targeting_rural_units_opens_for_a_village_and_not_for_a_residents_committee(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        Form form;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OneFormDbContext>();
            form = new Form
            {
                Code = $"T-G-{Guid.NewGuid().ToString("N")[..8]}",
                Name = "测试农村表",
                Category = FormCategory.Development,
                Cycle = ReportingCycle.Annual,
                IssuingDepartmentId = await db.Departments.Where(d => d.Code == "NYJ").Select(d => d.Id).SingleAsync(),
                Designer = "测试",
                Status = FormStatus.Admitted,
                AdmissionCode = "TEST",
                ValidFrom = new DateOnly(2026, 1, 1),
                TargetLevels = nameof(OrgUnitLevel.Village),
                TargetGroups = Demo.DemoUnitGroups.Rural,
                Sections = [new FormSection { Order = 1, Title = "一", Fields = [new FormField { Order = 1, DataElementId = (await db.DataElements.FirstAsync()).Id }] }],
            };
            db.Forms.Add(form);
            await db.SaveChangesAsync();
            var opened = await scope.ServiceProvider.GetRequiredService<TaskOpener>().OpenAsync(form, new Period(2026, ReportingCycle.Annual, 1));
            var rural = await db.OrgUnits.CountAsync(u => u.Level == OrgUnitLevel.Village && (u.UrbanRuralCode == "210" || u.UrbanRuralCode == "220"));
            Assert.Equal(rural, opened);
            // Opening again makes nothing twice.
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<TaskOpener>().OpenAsync(form, new Period(2026, ReportingCycle.Annual, 1)));
        }

        var holders = await app.WithDbAsync(db => db.FillingTasks.Where(t => t.FormId == form.Id).Select(t => t.OrgUnit!.Code).ToListAsync());
        Assert.Contains(Village, holders);
        Assert.DoesNotContain(Jinxiu, holders);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task In_the_demo_jinxiu_gets_no_rural_economy_form_and_a_village_gets_all_three(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        async Task<List<string>> FormsOfAsync(string unit) => await app.WithDbAsync(db => db.FillingTasks
            .Where(t => t.OrgUnit!.Code == unit && RuralEconomyForms.Contains(t.Form!.Code)).Select(t => t.Form!.Code).Distinct().ToListAsync());

        Assert.Empty(await FormsOfAsync(Jinxiu));
        Assert.Equal(RuralEconomyForms, (await FormsOfAsync(Village)).Order(StringComparer.Ordinal));

        // What a cadre sees: 锦绣社区's task list has none of them, the village's has them; the catalogue says whom they reach.
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, Jinxiu)).UserName!);
        Assert.DoesNotContain((await cadre.GetFromJsonAsync<List<TaskSummary>>("/api/v1/tasks", TestJson.Options))!, t => RuralEconomyForms.Contains(t.FormCode));
        var villager = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, Village)).UserName!);
        Assert.Contains((await villager.GetFromJsonAsync<List<TaskSummary>>("/api/v1/tasks", TestJson.Options))!, t => t.FormCode == "CJ-FZ-01");
        var formId = await app.WithDbAsync(db => db.Forms.Where(f => f.Code == "CJ-FZ-01").Select(f => f.Id).FirstAsync());
        var page = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Gatekeeper, null, "ZZB")).UserName!);
        Assert.Contains("仅限单位分组 农村", await page.GetHtmlAsync($"/Catalog/Form/{formId}"), StringComparison.Ordinal);

        // The burden figures follow: a village of 农村 has more to fill in a year than a community in no target group.
        var burden = (await page.Client.GetFromJsonAsync<OneForm.Reports.Burden>("/api/v1/burden", TestJson.Options))!;
        var villages = burden.Levels.Where(l => l.Level == OrgUnitLevel.Village).ToList();
        var rural = villages.Single(l => l.Groups.SequenceEqual(["农村"]));
        var others = villages.Single(l => l.Groups.Count == 0);
        Assert.Equal(await app.WithDbAsync(db => db.OrgUnits.CountAsync(u => u.Level == OrgUnitLevel.Village)), rural.Units + others.Units);
        Assert.True(rural.TasksPerYear > others.TasksPerYear, $"{rural.TasksPerYear} tasks for a village, {others.TasksPerYear} for a community");
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_form_cannot_target_a_group_that_does_not_exist(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var gatekeeper = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Gatekeeper, null, "ZZB")).UserName!);
        var element = await app.WithDbAsync(db => db.DataElements.Where(e => e.Source == ElementSource.Entered).Select(e => e.Code).FirstAsync());
        var code = $"T-NG-{Guid.NewGuid().ToString("N")[..6]}";
        var response = await gatekeeper.PostAsJsonAsync("/api/v1/forms", new FormRequest(code, "测试表", null, FormCategory.Development, ReportingCycle.Annual,
            "NYJ", "测试", 10, [OrgUnitLevel.Village], [new SectionRequest("一", null, [element])], ["no-such-group"]), TestJson.Options);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("no-such-group", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
