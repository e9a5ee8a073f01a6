using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OneForm.Accounts;
using OneForm.Localization;
using OneForm.Testing;
using static Microsoft.Playwright.Assertions;
using static OneForm.BrowserTests.Phone;

namespace OneForm.BrowserTests.Collection;

/// <summary>
/// Issue 14's walk-through on a 360 px phone: a cadre records a branch committee meeting and a dispute as they happen,
/// and finds its quarterly sheets (and the 三会一课 form they fill) already holding the counts, then its burden receipt.
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed class LedgerPhoneTests(BrowserFixture browser)
{
    /// <summary>丽景社区 under 建国路街道: no other browser test records or fills anything there.</summary>
    private const string Unit = "652301004008";
    private const string MeetingsForm = "“三会一课”及主题党日落实情况季报表";
    private const string Disputes = "矛盾纠纷排查调处台账";

    private static ILocatorAssertions Shown(IPage page, string element) =>
        Expect(page.Locator($"form.fill [data-element='{element}'] [data-testid='prefilled-cell']"));

    /// <summary>A count OneForm fills, as the sheet shows it: read-only, never an input.</summary>
    private static async Task<int> CountAsync(IPage page, string element)
    {
        var cell = page.Locator($"form.fill [data-element='{element}']");
        await Expect(cell.Locator("input, select, textarea")).ToHaveCountAsync(0);
        return int.Parse(await cell.GetByTestId("prefilled-cell").InnerTextAsync(), CultureInfo.InvariantCulture);
    }

    private static ILocator Card(IPage page, string category, DateOnly end) =>
        page.GetByTestId("sheet-card").Filter(new() { Has = page.Locator($"a[href$='/{category}/{end:yyyy-MM-dd}']") });

    [Fact]
    public async Task A_cadre_records_a_committee_meeting_and_a_dispute_on_the_phone_and_finds_its_quarterly_sheets_and_the_meetings_form_holding_the_counts_then_its_receipt()
    {
        var today = browser.Host.Services.GetRequiredService<DisplayTime>().Today;
        var quarter = Period.Containing(ReportingCycle.Quarterly, today);
        var day = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var user = await browser.Host.CreateUserAsync(Role.Cadre, Unit, prefix: "cadre.lijing");
        // The cadre's own name on its pages, in Chinese as a real account's is.
        await browser.Host.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.DisplayName, "李静")));
        var page = await browser.PhoneAsync(780);
        await SignInAsync(page, user.UserName!, OneFormHost.TestPassword);

        // Before: the counts as this quarter's sheets hold them, reached from the home's cards.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "待办工作" })).ToBeVisibleAsync();
        await AssertFitsThePhoneAsync(page, "the cadre's home");
        await Card(page, "PartyBuilding", quarter.End).ClickAsync();
        await Expect(page.GetByTestId("sheet-name")).ToHaveTextAsync(new Regex("党建"));
        var meetingsBefore = await CountAsync(page, "BRANCH_COMMITTEE_MEETINGS");
        await page.GetByRole(AriaRole.Link, new() { Name = "首页", Exact = true }).First.ClickAsync();
        await Card(page, "SafetyGovernance", quarter.End).ClickAsync();
        await Expect(page.GetByTestId("sheet-name")).ToHaveTextAsync(new Regex("平安综治"));
        var screenedBefore = await CountAsync(page, "DISPUTES_SCREENED");
        var mediatedBefore = await CountAsync(page, "DISPUTES_MEDIATED");

        // 1. A 支部委员会 meeting, recorded under 活动记录 on the day it is held.
        await page.GetByTestId("tab-records").ClickAsync();
        await page.GetByTestId("record-activity").ClickAsync();
        await page.GetByLabel("类别").SelectOptionAsync(new SelectOptionValue { Label = "支部委员会" });
        var title = "支委会：研究年终走访安排 " + Random.Shared.Next(1000, 10000).ToString(CultureInfo.InvariantCulture);
        await page.GetByLabel("标题（可不填）").FillAsync(title);
        await page.GetByLabel("日期").FillAsync(day);
        await page.GetByLabel("参加人数").FillAsync("5");
        await AssertFitsThePhoneAsync(page, "recording an activity");
        await browser.ScreenshotAsync(page, "ledger-activity-phone-zh");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Expect(page.GetByTestId("timeline").Locator("li", new() { HasText = title })).ToBeVisibleAsync();
        await AssertFitsThePhoneAsync(page, "the activity records");

        // 2. A dispute, recorded in its ledger, mediated successfully.
        await OpenFromMenuAsync(page, "台账");
        await page.GetByTestId("ledger-pick").GetByLabel("台账").SelectOptionAsync(new SelectOptionValue { Label = Disputes });
        await page.GetByRole(AriaRole.Button, new() { Name = "显示" }).ClickAsync();
        await AssertFitsThePhoneAsync(page, "the ledger");
        await page.GetByTestId("new-entry").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading)).ToContainTextAsync(Disputes);
        var entry = page.GetByTestId("ledger-entry");
        await entry.GetByLabel("日期").FillAsync(day);
        await entry.GetByLabel("当事人数").FillAsync("2");
        await entry.GetByLabel("纠纷类型").SelectOptionAsync(new SelectOptionValue { Label = "邻里纠纷" });
        await entry.GetByLabel("纠纷等级").SelectOptionAsync(new SelectOptionValue { Label = "一般" });
        await entry.GetByLabel("调处结果").SelectOptionAsync(new SelectOptionValue { Label = "调解成功" });
        var summary = "车位占用引发口角，调解后和解 " + Random.Shared.Next(1000, 10000).ToString(CultureInfo.InvariantCulture);
        await entry.GetByLabel("简要情况").FillAsync(summary);
        await AssertFitsThePhoneAsync(page, "a new dispute");
        await browser.ScreenshotAsync(page, "ledger-dispute-phone-zh");
        await entry.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Expect(page.GetByTestId("entries").Locator("li", new() { HasText = summary })).ToContainTextAsync("调解成功");

        // 3. The quarter's 党建 sheet counts the meeting, read-only, naming the activity records it comes from.
        await page.GetByRole(AriaRole.Link, new() { Name = "首页", Exact = true }).First.ClickAsync();
        await Card(page, "PartyBuilding", quarter.End).ClickAsync();
        await Shown(page, "BRANCH_COMMITTEE_MEETINGS").ToHaveTextAsync((meetingsBefore + 1).ToString(CultureInfo.InvariantCulture));
        Assert.Equal(meetingsBefore + 1, await CountAsync(page, "BRANCH_COMMITTEE_MEETINGS"));
        var meetings = page.Locator("form.fill [data-element='BRANCH_COMMITTEE_MEETINGS']");
        await Expect(meetings).ToContainTextAsync("支部委员会召开次数");
        await Expect(meetings.GetByTestId("origin")).ToContainTextAsync("活动记录");
        var lastMeeting = page.Locator("form.fill [data-element='LAST_COMMITTEE_MEETING_DATE']");
        await Expect(lastMeeting.GetByTestId("prefilled-cell")).ToHaveTextAsync(day);
        await Expect(lastMeeting.GetByTestId("origin")).ToContainTextAsync("活动记录");
        await Expect(lastMeeting.Locator("input")).ToHaveCountAsync(0);
        await AssertFitsThePhoneAsync(page, "the party building sheet");
        await browser.ScreenshotAsync(page, "ledger-party-sheet-phone-zh");
        var sheet = page.Url;

        // ... and the 平安综治 sheet counts the dispute, from its ledger.
        await page.GetByRole(AriaRole.Link, new() { Name = "首页", Exact = true }).First.ClickAsync();
        await Card(page, "SafetyGovernance", quarter.End).ClickAsync();
        await Shown(page, "DISPUTES_SCREENED").ToHaveTextAsync((screenedBefore + 1).ToString(CultureInfo.InvariantCulture));
        await Shown(page, "DISPUTES_MEDIATED").ToHaveTextAsync((mediatedBefore + 1).ToString(CultureInfo.InvariantCulture));
        Assert.Equal(screenedBefore + 1, await CountAsync(page, "DISPUTES_SCREENED"));
        Assert.Equal(mediatedBefore + 1, await CountAsync(page, "DISPUTES_MEDIATED"));
        foreach (var element in new[] { "DISPUTES_SCREENED", "DISPUTES_MEDIATED" })
        {
            await Expect(page.Locator($"form.fill [data-element='{element}']").GetByTestId("origin")).ToContainTextAsync(Disputes);
        }
        await AssertFitsThePhoneAsync(page, "the safety sheet");
        await browser.ScreenshotAsync(page, "ledger-safety-sheet-phone-zh");

        // 4. The 三会一课 form, from the 党建 sheet's list of the forms it fills, holds the same count, not to be typed.
        await page.GetByRole(AriaRole.Link, new() { Name = "首页", Exact = true }).First.ClickAsync();
        await Card(page, "PartyBuilding", quarter.End).ClickAsync();
        Assert.Equal(sheet, page.Url);
        await page.GetByTestId("sheet-forms").GetByRole(AriaRole.Link, new() { Name = $"《{MeetingsForm}》" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(MeetingsForm);
        await Expect(page.GetByTestId("from-ledgers")).ToContainTextAsync("台账和活动记录统计");
        var inForm = page.Locator("#f_BRANCH_COMMITTEE_MEETINGS");
        await Expect(inForm).ToHaveTextAsync((meetingsBefore + 1).ToString(CultureInfo.InvariantCulture));
        await Expect(page.Locator("input[name='Typed[BRANCH_COMMITTEE_MEETINGS]']")).ToHaveCountAsync(0);
        await Expect(page.Locator("form.fill .field", new() { Has = inForm })).ToContainTextAsync("活动记录");
        await Expect(page.Locator("#f_LAST_COMMITTEE_MEETING_DATE")).ToHaveTextAsync(day);
        await AssertFitsThePhoneAsync(page, "the meetings form");
        await browser.ScreenshotAsync(page, "ledger-meetings-form-phone-zh");

        // 5. Back on the sheet, the cadre types what is left and submits: the receipt names what the ledgers filled.
        await page.GetByTestId("sheet-link").GetByRole(AriaRole.Link).ClickAsync();
        Assert.Equal(sheet, page.Url);
        // The cells the sheet says are counted from ledgers or activity records: the receipt names at least as many.
        var counted = await page.GetByTestId("origin").Filter(new() { HasTextRegex = new Regex("^由(活动记录|《.+》)") }).CountAsync();
        await FillTypedFieldsAsync(page, today);
        await page.GetByTestId("submit-sheet").ClickAsync();
        await Expect(page.GetByTestId("sheet-state")).ToHaveTextAsync("已提交");
        var receipt = page.GetByTestId("receipt");
        await Expect(receipt).ToContainTextAsync("减负账单");
        var fromLedgers = Regex.Match(await receipt.InnerTextAsync(), @"台账(\d+)项");
        Assert.True(fromLedgers.Success, await receipt.InnerTextAsync());
        // The meeting count and its date among them, with the other 三会一课 counts (0 with nothing recorded).
        Assert.True(counted >= 2, $"{counted} cells of the sheet counted from records");
        // The receipt counts the values the sheet's forms receive: a count the sheet asks once, in its shortest period, may
        // also be a longer period's value that the same rule fills (the year's, say), so it names at least as many.
        Assert.InRange(int.Parse(fromLedgers.Groups[1].Value, CultureInfo.InvariantCulture), counted, int.MaxValue);
        await AssertFitsThePhoneAsync(page, "the submitted sheet with its receipt");
        await browser.ScreenshotAsync(page, "ledger-receipt-phone-zh");
    }
}
