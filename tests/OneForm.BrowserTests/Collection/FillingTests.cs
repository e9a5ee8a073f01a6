using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OneForm.Accounts;
using OneForm.Demo;
using OneForm.Testing;
using static Microsoft.Playwright.Assertions;

namespace OneForm.BrowserTests.Collection;

[Collection(nameof(BrowserCollection))]
public sealed class FillingTests(BrowserFixture browser)
{
    private const string PartyForm = "村（社区）党组织基本情况季报表";
    private const string MeetingsForm = "“三会一课”及主题党日落实情况季报表";

    // A unit of its own, so that the per-form flow here and the sheet's flow of 锦绣社区 (SheetTests) leave each other alone.
    private const string Unit = "652301004009";
    private const string UnitName = "尚都社区居委会";

    private static async Task SignInAsync(IPage page, string userName, string password = DemoSeed.DefaultPassword)
    {
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("用户名").FillAsync(userName);
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
    }

    /// <summary>Types a valid value into every field, as a cadre would.</summary>
    private static async Task FillEverythingAsync(IPage page)
    {
        foreach (var field in await page.Locator("form.fill [name^='Typed[']").AllAsync())
        {
            var tag = await field.EvaluateAsync<string>("e => e.tagName");
            var type = await field.GetAttributeAsync("type");
            if (tag == "SELECT")
            {
                await field.SelectOptionAsync(new SelectOptionValue { Index = 1 });
            }
            else if (type == "date")
            {
                await field.FillAsync("2026-10-15");
            }
            else if (type == "number")
            {
                await field.FillAsync("12");
            }
            else
            {
                await field.FillAsync(await field.GetAttributeAsync("pattern") is null ? "无" : "13912345678");
            }
        }
    }

    /// <summary>From the home, the way a cadre reaches one form: the card of its category's sheet, then the form among the sheet's forms.</summary>
    private static async Task OpenFormAsync(IPage page, string form)
    {
        await page.GotoAsync("/");
        await page.GetByTestId("sheet-card").Filter(new() { Has = page.Locator("a[href*='/PartyBuilding/']") }).First.ClickAsync();
        await page.GetByTestId("sheet-forms").GetByRole(AriaRole.Link, new() { Name = form }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = form })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_cadre_submits_a_quarterly_form_finds_it_in_the_next_form_and_sees_the_reviewers_comment()
    {
        var cadre = await browser.PhoneAsync();
        await SignInAsync(cadre, (await browser.Host.CreateUserAsync(Role.Cadre, Unit)).UserName!, OneFormHost.TestPassword);
        await Expect(cadre.GetByRole(AriaRole.Heading, new() { Name = "待办工作" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync(cadre, "cadre-tasks-phone-zh");

        await OpenFormAsync(cadre, PartyForm);
        // The registry's figures are already there, shown and not typed.
        await Expect(cadre.Locator("#f_POP_REGISTERED.derived")).ToHaveTextAsync(new Regex("^[1-9][0-9]*$"));
        await FillEverythingAsync(cadre);
        await cadre.GetByLabel("党员总数（人）").FillAsync("45");
        await browser.ScreenshotAsync(cadre, "fill-party-form-phone-zh");
        await cadre.GetByRole(AriaRole.Button, new() { Name = "提交" }).ClickAsync();
        await Expect(cadre.GetByRole(AriaRole.Status)).ToHaveTextAsync("已提交审核。");
        await Expect(cadre.GetByTestId("task-state")).ToHaveTextAsync("已提交");

        await OpenFormAsync(cadre, MeetingsForm);
        await Expect(cadre.GetByLabel("党员总数（人）")).ToHaveValueAsync("45");
        await Expect(cadre.Locator("[data-hint-for='f_PARTY_MEMBERS']")).ToContainTextAsync($"通过《{PartyForm}》填报");
        var width = await cadre.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 360, $"the filling page is {width}px wide on a 360px phone");
        await browser.ScreenshotAsync(cadre, "fill-prefilled-phone-zh");

        var head = await browser.PhoneAsync();
        await SignInAsync(head, (await browser.Host.CreateUserAsync(Role.UnitHead, Unit)).UserName!, OneFormHost.TestPassword);
        await OpenFormAsync(head, PartyForm);
        await head.GetByRole(AriaRole.Button, new() { Name = "签字确认" }).ClickAsync();
        await Expect(head.GetByRole(AriaRole.Status)).ToHaveTextAsync("已签字确认。");

        var reviewer = await browser.DesktopAsync();
        await SignInAsync(reviewer, "reviewer.jianguolu");
        await reviewer.GetByRole(AriaRole.Link, new() { Name = "按报表查看进度" }).ClickAsync();
        await reviewer.GetByLabel("表格").SelectOptionAsync(new SelectOptionValue { Label = PartyForm });
        await reviewer.GetByRole(AriaRole.Button, new() { Name = "显示" }).ClickAsync();
        var row = reviewer.GetByRole(AriaRole.Row).Filter(new() { HasText = UnitName });
        await Expect(row).ToContainTextAsync("已提交");
        await browser.ScreenshotAsync(reviewer, "review-street-desktop-zh");
        // The live totals of this one unit (the street's totals also hold what other tests type for other units).
        await reviewer.GotoAsync($"{reviewer.Url}&unit={Unit}");
        await Expect(reviewer.GetByTestId("totals").GetByRole(AriaRole.Row).Filter(new() { HasText = "党员总数" })).ToContainTextAsync("45");
        await reviewer.GoBackAsync();
        await row.GetByRole(AriaRole.Link).ClickAsync();
        await reviewer.GetByLabel("给单位的意见（退回时必填）").FillAsync("党员总数与组织部台账不一致，请核实。");
        await reviewer.GetByRole(AriaRole.Button, new() { Name = "退回单位" }).ClickAsync();
        await Expect(reviewer.GetByRole(AriaRole.Status)).ToHaveTextAsync("已连同您的意见退回单位。");

        // One returned form makes its whole sheet returned on the home's card.
        await cadre.GotoAsync("/");
        await Expect(cadre.GetByTestId("sheet-card").Filter(new() { Has = cadre.Locator("a[href*='/PartyBuilding/']") }).First).ToContainTextAsync("已退回");
        await OpenFormAsync(cadre, PartyForm);
        await Expect(cadre.GetByTestId("return-comment")).ToContainTextAsync("党员总数与组织部台账不一致，请核实。");
        await Expect(cadre.GetByRole(AriaRole.Button, new() { Name = "提交" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync(cadre, "fill-returned-phone-zh");
        Assert.Matches(new Regex("/Collection/Task/\\d+"), cadre.Url);
    }
}
