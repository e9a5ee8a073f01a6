using System.Net;
using Microsoft.EntityFrameworkCore;
using OneForm.Catalog;
using OneForm.Common;
using OneForm.Data;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Web;

/// <summary>
/// Pages that took a unit code take a unit's name as well (and still a code); a name that matches several units lists
/// them to choose from, one that matches none says so naming it; a period is typed by its Chinese name.
/// </summary>
[Collection(nameof(AppsCollection))]
public sealed class PickerPageTests(Apps apps)
{
    private const string Jinxiu = "锦绣社区居民委员会";
    private const string Twice = "康宁社区居民委员会"; // two units of the demo tree share this name
    private const string Nowhere = "和平里小区";

    private static string Q(string text) => Uri.EscapeDataString(text);

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Statistics_take_a_unit_by_name_list_the_units_of_an_ambiguous_name_and_name_an_unknown_one(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var welfare = await PageSession.SignedInAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        const string Query = "/Statistics?Elements=DIBAO_PERSONS&Level=Village&Periods=";

        var byCode = await welfare.GetHtmlAsync(Query + "2026Q4&Unit=652301004002");
        var byName = await welfare.GetHtmlAsync(Query + Q("2026年第四季度") + "&Unit=" + Q("锦绣社区"));
        Assert.Contains(Jinxiu + "合计", byCode);
        Assert.Contains(Jinxiu + "合计", byName);
        Assert.Contains("unit=652301004002", byName);
        Assert.Contains("periods=2026Q4", byName);

        var ambiguous = await welfare.GetHtmlAsync(Query + "2026Q4&Unit=" + Q(Twice));
        Assert.Contains("有多个单位与“" + Twice + "”相符", ambiguous);
        var codes = await app.WithDbAsync(db => db.OrgUnits.Where(u => u.Name == Twice).Select(u => u.Code).ToListAsync());
        Assert.Equal(2, codes.Count);
        Assert.All(codes, code => Assert.Contains($"name=\"UnitPick\" value=\"{code}\"", ambiguous));
        Assert.DoesNotContain("data-testid=\"statistics\"", ambiguous);
        var picked = await welfare.GetHtmlAsync(Query + "2026Q4&Unit=" + Q(Twice) + "&UnitPick=" + codes[1]);
        Assert.Contains(Twice + "合计", picked);
        Assert.Contains("unit=" + codes[1], picked);

        var unknown = await welfare.GetHtmlAsync(Query + "2026Q4&Unit=" + Q(Nowhere));
        Assert.Contains("没有名称或代码为“" + Nowhere + "”的单位", unknown);
        Assert.DoesNotContain("data-testid=\"statistics\"", unknown);
        var badPeriod = await welfare.GetHtmlAsync(Query + Q("2026年第五季度") + "&Unit=652301004002");
        Assert.Contains("“2026年第五季度”不是有效的报告期", badPeriod);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Residents_are_listed_for_a_unit_typed_by_name(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var reviewer = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Reviewer, "652301004000")).UserName!);

        Assert.Contains("<h1>居民：" + Jinxiu, await reviewer.GetHtmlAsync("/Registry/Residents?unit=652301004002"));
        Assert.Contains("<h1>居民：" + Jinxiu, await reviewer.GetHtmlAsync("/Registry/Residents?unit=" + Q("锦绣")));
        Assert.Contains("<h1>居民：" + Jinxiu, await reviewer.GetHtmlAsync("/Registry/Residents?unit=jxsq"));
        var several = await reviewer.GetHtmlAsync("/Registry/Residents?unit=" + Q("社区"));
        Assert.Contains("data-testid=\"unit-choices\"", several);
        Assert.Contains("value=\"652301004002\"", several);
        Assert.Contains("没有名称或代码为“" + Nowhere + "”的单位", await reviewer.GetHtmlAsync("/Registry/Residents?unit=" + Q(Nowhere)));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task An_account_is_bound_to_a_unit_typed_by_name_and_an_ambiguous_name_is_not_guessed(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var admin = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Administrator)).UserName!);
        var name = "picker" + Guid.NewGuid().ToString("N")[..8];
        static Dictionary<string, string> Fields(string user, string unit) => new()
        {
            ["Input.UserName"] = user, ["Input.DisplayName"] = "选择器测试", ["Input.Role"] = nameof(Role.Cadre),
            ["Input.UnitCode"] = unit, ["Input.Password"] = "Picker-Test-2026!", ["Input.DepartmentCode"] = "",
        };

        var created = await admin.SubmitAsync("/Admin/Accounts/Create", Fields(name, "锦绣社区"));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal("652301004002", await app.WithDbAsync(db => db.Users.Where(u => u.UserName == name).Select(u => u.OrgUnit!.Code).SingleAsync()));

        var ambiguous = await admin.SubmitAsync("/Admin/Accounts/Create", Fields(name + "b", Twice));
        Assert.Equal(HttpStatusCode.OK, ambiguous.StatusCode);
        Assert.Contains("有多个单位与“" + Twice + "”相符", await ambiguous.Content.ReadAsStringAsync());
        var unknown = await admin.SubmitAsync("/Admin/Accounts/Create", Fields(name + "c", Nowhere));
        Assert.Contains("没有名称或代码为“" + Nowhere + "”的单位", await unknown.Content.ReadAsStringAsync());
        Assert.False(await app.WithDbAsync(db => db.Users.AnyAsync(u => u.UserName == name + "b" || u.UserName == name + "c")));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_grant_is_asked_for_below_a_unit_typed_by_name(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var asker = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Department, departmentCode: "GAJ")).UserName!);
        var purpose = "按名称选单位 " + Guid.NewGuid().ToString("N")[..6];

        var asked = await asker.SubmitAsync("/Grants", new Dictionary<string, string>
        {
            ["Elements"] = "VETERANS", ["UnitCode"] = "建国路街道", ["FromYear"] = "2026", ["ToYear"] = "2026", ["Purpose"] = purpose,
        }, "/Grants?handler=Ask");
        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        var path = await app.WithDbAsync(db => db.DataGrants.Where(g => g.Purpose == purpose).Select(g => g.SubtreePath).SingleAsync());
        Assert.EndsWith("652301004000/", path);

        var unknown = await asker.SubmitAsync("/Grants", new Dictionary<string, string>
        {
            ["Elements"] = "VETERANS", ["UnitCode"] = Nowhere, ["FromYear"] = "2026", ["ToYear"] = "2026", ["Purpose"] = purpose + "x",
        }, "/Grants?handler=Ask");
        Assert.Contains("没有名称或代码为“" + Nowhere + "”的单位", await unknown.Content.ReadAsStringAsync());
        Assert.False(await app.WithDbAsync(db => db.DataGrants.AnyAsync(g => g.Purpose == purpose + "x")));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_review_page_reads_a_period_typed_in_chinese_and_names_one_it_cannot_read(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var reviewer = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Reviewer, "652301004000")).UserName!);
        var form = await app.WithDbAsync(db => db.Forms.Where(f => f.Status == FormStatus.Admitted && f.Cycle == ReportingCycle.Quarterly)
            .Select(f => f.Code).FirstAsync());

        var chinese = await reviewer.GetHtmlAsync($"/Collection/Review?form={form}&period={Q("2026年第4季度")}");
        Assert.Contains("period=2026Q4", chinese);
        Assert.Contains("value=\"2026年第4季度\"", chinese);
        Assert.Contains("period=2026Q3", await reviewer.GetHtmlAsync($"/Collection/Review?form={form}&period=2026Q3"));

        var wrong = await reviewer.GetHtmlAsync($"/Collection/Review?form={form}&period={Q("2026年第四季")}x");
        Assert.Contains("“2026年第四季x”不是有效的报告期", wrong);
        Assert.Contains("value=\"2026年第四季x\"", wrong);
        Assert.DoesNotContain("period=2026Q", wrong);
        var month = await reviewer.GetHtmlAsync($"/Collection/Review?form={form}&period={Q("2026年11月")}");
        Assert.Contains("“2026年11月”不是本表的报告期", month);
    }
}
