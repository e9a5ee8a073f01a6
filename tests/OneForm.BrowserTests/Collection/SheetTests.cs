using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MiniExcelLibs;
using static Microsoft.Playwright.Assertions;
using static OneForm.BrowserTests.Phone;

namespace OneForm.BrowserTests.Collection;

/// <summary>
/// Issue 13's walk-through on a 360 px phone: one category sheet (一类工作一张表) filled, submitted, signed and
/// reviewed once, and a department's form generated from it in its own layout.
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed class SheetTests(BrowserFixture browser)
{
    private const string Unit = "652301004002";
    private const string UnitName = "锦绣社区居民委员会";
    private const string MeetingsForm = "“三会一课”及主题党日落实情况季报表";
    private const string Comment = "党员总数与组织部台账不一致，请核实。";

    [Fact]
    public async Task A_cadre_fills_the_party_building_sheet_once_the_head_signs_it_once_the_reviewer_returns_one_field_then_accepts_and_the_department_gets_its_form()
    {
        // The cadre's home: at most four sheets per deadline, each a card with its progress.
        var cadre = await browser.PhoneAsync();
        await SignInAsync(cadre, "cadre.jinxiu");
        await Expect(cadre.GetByRole(AriaRole.Heading, new() { Name = "待办工作" })).ToBeVisibleAsync();
        foreach (var deadline in await cadre.GetByTestId("deadline").AllAsync())
        {
            Assert.InRange(await deadline.GetByTestId("sheet-card").CountAsync(), 1, 4);
        }
        var card = cadre.GetByTestId("sheet-card").Filter(new() { Has = cadre.Locator("a[href*='/PartyBuilding/']") }).First;
        await Expect(card.GetByTestId("sheet-progress")).ToHaveTextAsync(new Regex(@"^已预填\d+项，还差[1-9]\d*项$"));
        await AssertFitsThePhoneAsync(cadre, "the cadre's home");
        await browser.ScreenshotAsync(cadre, "sheet-home-cadre-phone-zh");

        await card.ClickAsync();
        await Expect(cadre.GetByTestId("sheet-name")).ToHaveTextAsync(new Regex("党建"));
        var route = Regex.Match(cadre.Url, @"/Collection/Sheet/(\d+)/PartyBuilding/(\d{4}-\d{2}-\d{2})$");
        Assert.True(route.Success, cadre.Url);
        var end = DateOnly.ParseExact(route.Groups[2].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var quarter = Period.Containing(ReportingCycle.Quarterly, end);
        Assert.Equal(end, quarter.End);

        // What OneForm filled is shown as filled, each with where it comes from; each element once on the sheet.
        var prefilled = cadre.GetByTestId("prefilled-cell");
        Assert.True(await prefilled.CountAsync() > 0, "the sheet shows no field filled by OneForm");
        foreach (var origin in await cadre.GetByTestId("origin").AllAsync())
        {
            Assert.Matches("\\p{IsCJKUnifiedIdeographs}", await origin.InnerTextAsync());
        }
        var elements = await cadre.Locator("form.fill [data-element]").EvaluateAllAsync<string[]>("es => es.map(e => e.dataset.element)");
        Assert.Equal(elements.Length, elements.Distinct().Count());
        await AssertFitsThePhoneAsync(cadre, "the sheet");
        await browser.ScreenshotAsync(cadre, "sheet-fill-phone-zh");

        await FillTypedFieldsAsync(cadre, quarter.Start.AddDays(14));
        await cadre.Locator("#f_PARTY_MEMBERS").FillAsync("45");
        await cadre.GetByTestId("submit-sheet").ClickAsync();
        await Expect(cadre.GetByRole(AriaRole.Status)).ToHaveTextAsync("工作表已提交，下一步由单位负责人签字。");
        await Expect(cadre.GetByTestId("sheet-state")).ToHaveTextAsync("已提交");
        await browser.ScreenshotAsync(cadre, "sheet-submitted-phone-zh");

        // The head signs the sheet once, from the home's 待您签字.
        var head = await browser.PhoneAsync();
        await SignInAsync(head, "head.jinxiu");
        await head.GetByTestId("to-sign").GetByRole(AriaRole.Link).Filter(new() { HasText = "党建" }).ClickAsync();
        await Expect(head.GetByTestId("sheet-name")).ToHaveTextAsync(new Regex("党建"));
        await AssertFitsThePhoneAsync(head, "the sheet the head signs");
        await browser.ScreenshotAsync(head, "sheet-sign-head-phone-zh");
        await head.GetByTestId("sign-sheet").ClickAsync();
        await Expect(head.GetByRole(AriaRole.Status)).ToContainTextAsync("签字");
        await Expect(head.GetByTestId("sign-sheet")).ToHaveCountAsync(0);

        // The street's reviewer opens it from 待您审核 and returns one field with a comment.
        var reviewer = await browser.PhoneAsync();
        await SignInAsync(reviewer, "reviewer.jianguolu");
        var waiting = reviewer.GetByTestId("to-review").GetByRole(AriaRole.Link).Filter(new() { HasText = UnitName }).Filter(new() { HasText = "党建" });
        await Expect(waiting).ToHaveCountAsync(1);
        await AssertFitsThePhoneAsync(reviewer, "the reviewer's home");
        await browser.ScreenshotAsync(reviewer, "sheet-home-reviewer-phone-zh");
        await waiting.ClickAsync();
        var members = reviewer.Locator("[data-element='PARTY_MEMBERS']");
        await Expect(members).ToContainTextAsync("45");
        await members.GetByText("对此项提意见").ClickAsync();
        await members.Locator("textarea").FillAsync(Comment);
        await AssertFitsThePhoneAsync(reviewer, "the sheet under review");
        await browser.ScreenshotAsync(reviewer, "sheet-review-phone-zh");
        await reviewer.GetByTestId("return-sheet").ClickAsync();
        await Expect(reviewer.GetByRole(AriaRole.Status)).ToHaveTextAsync("已连同您的意见退回单位。");

        // The cadre sees the comment beside that field, corrects it and submits again.
        await cadre.GotoAsync("/");
        await Expect(card).ToContainTextAsync("已退回");
        await card.ClickAsync();
        // The comment names the field and one tap takes the cadre to it, however long the sheet.
        await cadre.GetByTestId("fields-to-correct").GetByRole(AriaRole.Link, new() { Name = "党员总数" }).ClickAsync();
        await Expect(cadre.Locator("#f_PARTY_MEMBERS")).ToBeInViewportAsync();
        var commented = cadre.Locator("[data-element='PARTY_MEMBERS']");
        await Expect(commented.GetByTestId("field-comment")).ToContainTextAsync(Comment);
        await Expect(cadre.GetByTestId("field-comment")).ToHaveCountAsync(1);
        await AssertFitsThePhoneAsync(cadre, "the returned sheet");
        await browser.ScreenshotAsync(cadre, "sheet-returned-phone-zh");
        await cadre.Locator("#f_PARTY_MEMBERS").FillAsync("46");
        await cadre.GetByTestId("submit-sheet").ClickAsync();
        await Expect(cadre.GetByTestId("sheet-state")).ToHaveTextAsync("已提交");
        await Expect(cadre.GetByTestId("field-comment")).ToHaveCountAsync(0);

        await head.GotoAsync("/");
        await head.GetByTestId("to-sign").GetByRole(AriaRole.Link).Filter(new() { HasText = "党建" }).ClickAsync();
        await head.GetByTestId("sign-sheet").ClickAsync();
        await Expect(head.GetByTestId("sign-sheet")).ToHaveCountAsync(0);

        await reviewer.GotoAsync("/");
        await waiting.ClickAsync();
        await Expect(reviewer.Locator("[data-element='PARTY_MEMBERS']")).ToContainTextAsync("46");
        await reviewer.GetByTestId("accept-sheet").ClickAsync();
        await Expect(reviewer.GetByRole(AriaRole.Status)).ToHaveTextAsync("已通过。");

        await cadre.GotoAsync(route.Value);
        await Expect(cadre.GetByTestId("sheet-state")).ToHaveTextAsync("已通过");
        var forms = cadre.GetByTestId("sheet-forms");
        await Expect(forms.GetByRole(AriaRole.Listitem).Filter(new() { HasText = MeetingsForm })).ToContainTextAsync("已通过");
        await AssertFitsThePhoneAsync(cadre, "the accepted sheet");
        await browser.ScreenshotAsync(cadre, "sheet-accepted-phone-zh");

        // 组织部's own department account downloads its 三会一课 form for 锦绣社区 in its own layout, with the sheet's values.
        var department = await browser.PhoneAsync();
        await SignInAsync(department, "zzb");
        await department.GotoAsync($"/Collection/Submissions?unit=652301004000&form=CJ-DJ-02&period={quarter}");
        var row = department.GetByRole(AriaRole.Row).Filter(new() { HasText = UnitName });
        await Expect(row).ToContainTextAsync("已通过");
        await AssertFitsThePhoneAsync(department, "the department's submissions of a form");
        await browser.ScreenshotAsync(department, "sheet-form-department-phone-zh");
        var download = await department.RunAndWaitForDownloadAsync(() => row.GetByRole(AriaRole.Link, new() { Name = "下载" }).ClickAsync());
        var path = Path.Combine(Path.GetTempPath(), $"meetings-{Guid.NewGuid():N}.xlsx");
        await download.SaveAsAsync(path);
        try
        {
            // The sheet is named after the form (cut to Excel's 31 characters, which this name is within).
            Assert.Equal([MeetingsForm], MiniExcel.GetSheetNames(path));
            var rows = MiniExcel.Query(path).Cast<IDictionary<string, object?>>().ToList();
            Assert.Contains(MeetingsForm, Convert.ToString(rows[0]["A"], CultureInfo.InvariantCulture));
            Assert.Equal("CJZR-2019-002", Convert.ToString(rows[1]["B"], CultureInfo.InvariantCulture));
            Assert.Equal(($"{quarter.Start.Year}年第{(quarter.Start.Month + 2) / 3}季度", Unit), (Convert.ToString(rows[2]["B"], CultureInfo.InvariantCulture), Convert.ToString(rows[2]["D"], CultureInfo.InvariantCulture)));
            var membersRow = rows.Single(r => Convert.ToString(r["B"], CultureInfo.InvariantCulture) == "PARTY_MEMBERS");
            Assert.Equal("46", Convert.ToString(membersRow["E"], CultureInfo.InvariantCulture));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
