using System.Net;
using Microsoft.EntityFrameworkCore;
using OneForm.Data;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Web;

/// <summary>
/// The pages that still took a 12-digit code or a period code take a unit by name and a period by its Chinese name, go
/// on taking a pasted code, and name what was typed when it is neither (issue 15, part 3).
/// </summary>
[Collection(nameof(AppsCollection))]
public sealed class MorePickerPageTests(Apps apps)
{
    private const string Jinxiu = "锦绣社区居民委员会";
    private const string Nowhere = "和平里小区";
    private const string NoSuchUnit = "没有名称或代码为“" + Nowhere + "”的单位";

    private static string Q(string text) => Uri.EscapeDataString(text);

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Submissions_take_a_unit_by_name_and_a_period_by_its_Chinese_name(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var organisation = await PageSession.SignedInAsync(app, "zzb", Demo.DemoSeed.DefaultPassword);
        var street = await app.WithDbAsync(db => db.OrgUnits.Where(u => u.Code == "652301004000").Select(u => u.Name).SingleAsync());
        const string Page = "/Collection/Submissions?form=CJ-DJ-02";

        var byName = await organisation.GetHtmlAsync($"{Page}&period={Q("2026年第4季度")}&unit={Q("建国路街道")}");
        var byCode = await organisation.GetHtmlAsync($"{Page}&period=2026Q4&unit=652301004000");
        foreach (var page in new[] { byName, byCode })
        {
            Assert.Contains("提交情况：" + street, page);
            Assert.Contains("value=\"2026年第4季度\"", page);
            Assert.Contains("data-testid=\"submissions\"", page);
        }

        var unknown = await organisation.GetHtmlAsync($"{Page}&period=2026Q4&unit={Q(Nowhere)}");
        Assert.Contains(NoSuchUnit, unknown);
        Assert.DoesNotContain("data-testid=\"submissions\"", unknown);
        var badPeriod = await organisation.GetHtmlAsync($"{Page}&period={Q("2026年第五季度")}&unit=652301004000");
        Assert.Contains("“2026年第五季度”不是有效的报告期", badPeriod);
        Assert.DoesNotContain("data-testid=\"submissions\"", badPeriod);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_audit_trail_is_searched_below_a_unit_typed_by_name_or_code(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var gatekeeper = await PageSession.SignedInAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);

        var byName = await gatekeeper.GetHtmlAsync("/Oversight/Audit?unit=" + Q("锦绣社区"));
        var byCode = await gatekeeper.GetHtmlAsync("/Oversight/Audit?unit=652301004002");
        Assert.Contains("value=\"" + Jinxiu + "\"", byName);
        Assert.DoesNotContain("data-testid=\"unit-problem\"", byName);
        Assert.DoesNotContain("data-testid=\"unit-problem\"", byCode);

        var unknown = await gatekeeper.GetHtmlAsync("/Oversight/Audit?unit=" + Q(Nowhere));
        Assert.Contains(NoSuchUnit, unknown);
        Assert.Contains("value=\"" + Nowhere + "\"", unknown);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_roster_export_takes_its_unit_by_name_and_queues_nothing_for_an_unknown_one(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var user = await app.CreateUserAsync(Role.Department, departmentCode: "MZJ");
        var welfare = await PageSession.SignedInAsync(app, user.UserName!);

        var unknown = await welfare.SubmitAsync("/Exports", new() { ["Unit"] = Nowhere, ["Format"] = "Xlsx" });
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Contains(NoSuchUnit, await unknown.Content.ReadAsStringAsync());
        Assert.False(await app.WithDbAsync(db => db.ExportJobs.AnyAsync(j => j.RequestedBy == user.Id)));

        // By name or by code, the unit is read: what follows is the grant's answer, never "no such unit".
        foreach (var typed in new[] { "锦绣社区", "652301004002" })
        {
            var answer = await welfare.SubmitAsync("/Exports", new() { ["Unit"] = typed, ["Format"] = "Xlsx" });
            if (answer.StatusCode == HttpStatusCode.OK)
            {
                var html = await answer.Content.ReadAsStringAsync();
                Assert.DoesNotContain("data-testid=\"unit-problem\"", html);
                Assert.Contains("授权", html);
            }
            else
            {
                Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
            }
        }
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_validation_run_takes_a_unit_by_name_and_a_period_by_its_Chinese_name(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var reviewer = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Reviewer, "652301004000")).UserName!);

        var byName = await reviewer.GetHtmlAsync($"/Dictionary/CheckRun?period={Q("2020年第1季度")}&unit={Q("锦绣社区")}");
        var byCode = await reviewer.GetHtmlAsync("/Dictionary/CheckRun?period=2020Q1&unit=652301004002");
        foreach (var page in new[] { byName, byCode })
        {
            Assert.Contains("data-testid=\"run-summary\"", page);
            Assert.Contains("value=\"2020年第1季度\"", page);
        }

        var badPeriod = await reviewer.GetHtmlAsync($"/Dictionary/CheckRun?period={Q("2020年第五季度")}");
        Assert.Contains("“2020年第五季度”不是有效的报告期", badPeriod);
        Assert.DoesNotContain("data-testid=\"run-summary\"", badPeriod);
        var unknown = await reviewer.GetHtmlAsync("/Dictionary/CheckRun?period=2020Q1&unit=" + Q(Nowhere));
        Assert.Contains(NoSuchUnit, unknown);
        Assert.DoesNotContain("data-testid=\"run-summary\"", unknown);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_ledger_is_shown_for_a_month_typed_by_its_Chinese_name(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Cadre, "652301004002")).UserName!);

        var byName = await cadre.GetHtmlAsync("/Ledgers?period=" + Q("2026年3月"));
        var byCode = await cadre.GetHtmlAsync("/Ledgers?period=2026M03");
        foreach (var page in new[] { byName, byCode })
        {
            Assert.Contains("value=\"2026年3月\"", page);
            Assert.Contains("period=2026M03", page);
            Assert.DoesNotContain("data-testid=\"period-problem\"", page);
        }

        var wrong = await cadre.GetHtmlAsync("/Ledgers?period=" + Q("2026年13月"));
        Assert.Contains("“2026年13月”不是有效的报告期", wrong);
        Assert.DoesNotContain("data-testid=\"entries\"", wrong);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_unit_group_lists_units_by_name_or_code_and_names_one_it_cannot_find(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var admin = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Administrator)).UserName!);
        var code = "picker-" + Guid.NewGuid().ToString("N")[..8];
        Dictionary<string, string> Fields(string units) => new()
        {
            ["Group.Code"] = code, ["Group.Name"] = "按名称列出", ["Group.ByRule"] = "false", ["Group.Units"] = units,
        };

        var refused = await admin.SubmitAsync("/Organization/Groups", Fields("锦绣社区\n" + Nowhere));
        Assert.Contains(NoSuchUnit, await refused.Content.ReadAsStringAsync());
        Assert.False(await app.WithDbAsync(db => db.UnitGroups.AnyAsync(g => g.Code == code)));

        var saved = await admin.SubmitAsync("/Organization/Groups", Fields("锦绣社区\n652301004003"));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var members = await app.WithDbAsync(db => db.UnitGroups.Where(g => g.Code == code).SelectMany(g => g.Members).Select(m => m.OrgUnit!.Code).ToListAsync());
        Assert.Equal(["652301004002", "652301004003"], members.Order());
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_device_token_is_bound_to_a_unit_typed_by_name(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var admin = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Administrator)).UserName!);
        var name = "会议室摄像头" + Guid.NewGuid().ToString("N")[..6];

        var unknown = await admin.SubmitAsync("/Admin/Tokens", new() { ["Input.Name"] = name, ["Input.Holder"] = "Device", ["Input.OrgUnitCode"] = Nowhere });
        Assert.Contains(NoSuchUnit, await unknown.Content.ReadAsStringAsync());
        Assert.False(await app.WithDbAsync(db => db.AccessTokens.AnyAsync(t => t.Name == name)));

        var issued = await admin.SubmitAsync("/Admin/Tokens", new() { ["Input.Name"] = name, ["Input.Holder"] = "Device", ["Input.OrgUnitCode"] = "锦绣社区" });
        Assert.Contains("oft_", await issued.Content.ReadAsStringAsync());
        Assert.Equal("652301004002", await app.WithDbAsync(db => db.AccessTokens.Where(t => t.Name == name).Select(t => t.OrgUnit!.Code).SingleAsync()));
    }
}
