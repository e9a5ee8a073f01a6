using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using System.Net.Http.Json;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Ledgers;
using OneForm.Localization;
using OneForm.Testing;
using OneForm.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace OneForm.Tests.Ledgers;

/// <summary>The ledger pages: a cadre records and corrects on the phone page, the gatekeeper defines a kind, outsiders get nothing.</summary>
[Collection(nameof(AppsCollection))]
public sealed class LedgerPageTests(Apps apps)
{
    private const string Neighbour = "652301004003";

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_cadre_records_an_entry_on_the_page_and_sees_it_in_the_months_ledger(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var user = await app.CreateUserAsync(Role.Cadre, Neighbour);
        var page = await PageSession.SignedInAsync(app, user.UserName!);
        var kinds = (await (await PageSession.BearerAsync(app, user.UserName!)).GetFromJsonAsync<List<LedgerKindView>>("/api/v1/ledgers/kinds", TestJson.Options))!;
        var disputes = kinds.Single(k => k.Name == Demo.DemoLedgers.Disputes);
        string Field(string name) => "f" + disputes.Fields.Single(f => f.Name == name).Id.ToString(CultureInfo.InvariantCulture);
        var today = app.Services.GetRequiredService<DisplayTime>().Today;
        var day = new DateOnly(today.Year, today.Month, 1).AddMonths(-9).AddDays(13);
        var form = new Dictionary<string, string>
        {
            [Field("日期")] = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), [Field("当事人数")] = "4", [Field("纠纷类型")] = "土地纠纷",
            [Field("纠纷等级")] = "一般", [Field("调处结果")] = "和好", [Field("简要情况")] = "地界争议" + Guid.NewGuid().ToString("N")[..6],
        };

        var html = await page.GetHtmlAsync($"/Ledgers/Entry?kind={disputes.Id}");
        Assert.Contains("type=\"date\"", html);
        Assert.Contains("<option value=\"调解成功\">调解成功</option>", html);
        var refused = await page.SubmitAsync($"/Ledgers/Entry?kind={disputes.Id}", form);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("调处结果必须是调解成功、未成功、移交之一；“和好”不是。", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));

        form[Field("调处结果")] = "调解成功";
        var saved = await page.SubmitAsync($"/Ledgers/Entry?kind={disputes.Id}", form);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var month = Period.Containing(ReportingCycle.Monthly, day);
        Assert.StartsWith($"/Ledgers?kind={disputes.Id}&period={month}#e", saved.Headers.Location!.ToString());
        var ledger = WebUtility.HtmlDecode(await page.GetHtmlAsync($"/Ledgers?kind={disputes.Id}&period={month}"));
        Assert.Contains(form[Field("简要情况")], ledger);
        Assert.Contains($"记录人：{user.UserName}", ledger);

        // Another community's cadre neither reads this ledger nor opens the entry to correct it.
        var outsider = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Cadre, "652301004002")).UserName!);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Client.GetAsync($"/Ledgers?kind={disputes.Id}&unit={Neighbour}&period={month}")).StatusCode);
        var entry = saved.Headers.Location!.ToString().Split("#e")[1];
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Client.GetAsync($"/Ledgers/Entry?id={entry}")).StatusCode);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_gatekeeper_defines_a_ledger_kind_on_its_page(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var page = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Gatekeeper, departmentCode: "ZZB")).UserName!);
        var name = "党员志愿服务台账" + Guid.NewGuid().ToString("N")[..4];
        var response = await page.SubmitAsync("/Ledgers/Kinds", new()
        {
            ["Name"] = name, ["EnglishName"] = "Volunteer service ledger", ["Department"] = "ZZB",
            ["Fields[0].Name"] = "日期", ["Fields[0].Type"] = "Date", ["Fields[0].Required"] = "true",
            ["Fields[1].Name"] = "服务时长", ["Fields[1].Type"] = "Decimal",
            ["Fields[2].Name"] = "服务类别", ["Fields[2].Type"] = "Option", ["Fields[2].Options"] = "环境整治、关爱帮扶、文明宣传",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var html = WebUtility.HtmlDecode(await page.GetHtmlAsync("/Ledgers/Kinds"));
        Assert.Contains(name, html);
        Assert.Contains("环境整治、关爱帮扶、文明宣传", html);

        var department = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Department, departmentCode: "MZJ")).UserName!);
        Assert.DoesNotContain("define-kind", await department.GetHtmlAsync("/Ledgers/Kinds"));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_gatekeeper_tries_a_ledger_rule_on_a_unit_and_period_before_saving_it(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, Neighbour)).UserName!);
        var disputes = (await cadre.GetFromJsonAsync<List<LedgerKindView>>("/api/v1/ledgers/kinds", TestJson.Options))!.Single(k => k.Name == Demo.DemoLedgers.Disputes);
        var today = app.Services.GetRequiredService<DisplayTime>().Today;
        var day = new DateOnly(today.Year, today.Month, 1).AddMonths(-11).AddDays(6);
        foreach (var outcome in new[] { "调解成功", "未成功", "调解成功" })
        {
            var response = await cadre.PostAsJsonAsync("/api/v1/ledgers/entries", new LedgerEntryRequest(disputes.Id, new Dictionary<string, string?>
            {
                ["日期"] = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["当事人数"] = "2", ["纠纷类型"] = "其他", ["纠纷等级"] = "一般", ["调处结果"] = outcome,
            }), TestJson.Options);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        var page = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Gatekeeper, departmentCode: "ZZB")).UserName!);
        var rules = WebUtility.HtmlDecode(await page.GetHtmlAsync("/Ledgers/Rules"));
        var mediated = await app.WithDbAsync(db => db.DataElements.Where(e => e.Code == "DISPUTES_MEDIATED").Select(e => e.Name).SingleAsync());
        Assert.Contains($"<td>{mediated}</td>", rules);   // the element by its name, not its code
        Assert.Contains("调处结果 = 调解成功", rules);

        var preview = await page.SubmitAsync("/Ledgers/Rules", new()
        {
            ["Input.Element"] = "DISPUTES_MEDIATED", ["Input.Source"] = "Ledger", ["Input.Kind"] = disputes.Id.ToString(CultureInfo.InvariantCulture),
            ["Input.Measure"] = "Count", ["Input.Filters"] = "调处结果 = 调解成功", ["Input.Unit"] = Neighbour,
            ["Input.Period"] = Period.Containing(ReportingCycle.Monthly, day).ToString(),
        }, "/Ledgers/Rules?handler=Preview");
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var html = await preview.Content.ReadAsStringAsync();
        Assert.Matches(@"<td>[^<]+</td><td>2</td><td>2</td>", html);   // two of the three were mediated

        // The same, with the element by its name and the month by its Chinese name.
        var month = Period.Containing(ReportingCycle.Monthly, day);
        var named = await page.SubmitAsync("/Ledgers/Rules", new()
        {
            ["Input.Element"] = mediated, ["Input.Source"] = "Ledger", ["Input.Kind"] = disputes.Id.ToString(CultureInfo.InvariantCulture),
            ["Input.Measure"] = "Count", ["Input.Filters"] = "调处结果 = 调解成功", ["Input.Unit"] = Neighbour,
            ["Input.Period"] = $"{month.Year}年{month.Number}月",
        }, "/Ledgers/Rules?handler=Preview");
        Assert.Matches(@"<td>[^<]+</td><td>2</td><td>2</td>", await named.Content.ReadAsStringAsync());
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_reviewer_follows_a_count_on_the_sheet_to_the_ledger_entries_it_was_counted_from(DatabaseProvider provider)
    {
        const string unit = "652301004010";
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, unit)).UserName!);
        var reviewerUser = await app.CreateUserAsync(Role.Reviewer, "652301004000");
        var reviewer = await PageSession.SignedInAsync(app, reviewerUser.UserName!);
        var disputes = (await cadre.GetFromJsonAsync<List<LedgerKindView>>("/api/v1/ledgers/kinds", TestJson.Options))!.Single(k => k.Name == Demo.DemoLedgers.Disputes);
        var today = app.Services.GetRequiredService<DisplayTime>().Today;
        var summary = "楼道占用" + Guid.NewGuid().ToString("N")[..6];
        var recorded = await cadre.PostAsJsonAsync("/api/v1/ledgers/entries", new LedgerEntryRequest(disputes.Id, new Dictionary<string, string?>
        {
            ["日期"] = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["当事人数"] = "2", ["纠纷类型"] = "邻里纠纷", ["纠纷等级"] = "一般",
            ["调处结果"] = "调解成功", ["简要情况"] = summary,
        }), TestJson.Options);
        Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);

        // The sheet holding this period's dispute count, as the reviewer opens it.
        var sheets = (await cadre.GetFromJsonAsync<List<OneForm.Collection.SheetResponse>>($"/api/v1/sheets?unit={unit}", TestJson.Options))!;
        string? page = null;
        foreach (var sheet in sheets.Where(s => s.PeriodEnd >= today).OrderBy(s => s.PeriodEnd))
        {
            var detail = (await cadre.GetFromJsonAsync<OneForm.Collection.SheetDetail>(
                $"/api/v1/sheets/{unit}/{sheet.Category}/{sheet.PeriodEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}", TestJson.Options))!;
            if (detail.Cells.Any(c => c.Element == "DISPUTES_SCREENED" && Period.Parse(c.Period).Start <= today))
            {
                page = $"/Collection/Sheet/{unit}/{sheet.Category}/{sheet.PeriodEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
                break;
            }
        }
        Assert.NotNull(page);
        var html = await reviewer.GetHtmlAsync(page);
        var field = html[html.IndexOf("data-element=\"DISPUTES_SCREENED\"", StringComparison.Ordinal)..];
        var link = System.Text.RegularExpressions.Regex.Match(field, "<a class=\"tap\" href=\"([^\"]+)\" data-testid=\"records\">查看计入的台账记录</a>");
        Assert.True(link.Success, "the counted value links to its records");

        var ledger = WebUtility.HtmlDecode(await reviewer.GetHtmlAsync(WebUtility.HtmlDecode(link.Groups[1].Value)));
        Assert.Contains(summary, ledger);
    }
}
