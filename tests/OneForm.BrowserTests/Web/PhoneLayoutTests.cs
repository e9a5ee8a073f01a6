using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using static OneForm.BrowserTests.Phone;

namespace OneForm.BrowserTests.Web;

/// <summary>
/// The layout people know from their phones: a bar of tabs at the bottom (首页, 填报, 记录, 消息, 我的), the rest of the
/// menu on the 我的 page, nothing wider than the screen; at a desk a top menu instead; statistics that start from the total.
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed class PhoneLayoutTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task A_cadre_reaches_each_tab_in_one_tap_and_finds_the_rest_of_the_menu_on_the_me_page()
    {
        var page = await browser.PhoneAsync(780);
        await SignInAsync(page, "cadre.jinxiu");
        var tabs = page.GetByTestId("tab-bar");
        await Expect(tabs).ToBeVisibleAsync();
        await Expect(page.GetByTestId("top-menu")).ToBeHiddenAsync();
        await Expect(tabs.GetByRole(AriaRole.Link)).ToContainTextAsync(["首页", "填报", "记录", "消息", "我的"]);   // 消息 also says how many are unread
        await Expect(page.GetByTestId("tab-home")).ToHaveAttributeAsync("aria-current", "page");

        // Each tab is one tap from any page, lands on its page and is then the one lit.
        foreach (var (tab, path, heading) in new[]
        {
            ("tab-records", "/Activities", "活动记录"), ("tab-messages", "/Messages", "消息"), ("tab-me", "/More", "我的"), ("tab-home", "/", "您好"),
        })
        {
            await page.GetByTestId(tab).ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"{System.Text.RegularExpressions.Regex.Escape(path)}$"));
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(heading);
            await Expect(page.GetByTestId(tab)).ToHaveAttributeAsync("aria-current", "page");
            await AssertTabBarFitsAsync(page, path);
            await AssertFitsThePhoneAsync(page, path);
        }
        // 填报 goes to the sheets to fill, under their heading on the home page.
        await page.GetByTestId("tab-messages").ClickAsync();
        await page.GetByTestId("tab-work").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/#due$"));
        await Expect(page.Locator("#due")).ToBeInViewportAsync();
        await browser.ScreenshotAsync(page, "phone-tabs-home", fullPage: false);

        // 我的: the rest of the menu as tiles, and the account: change password and sign out.
        await page.GetByTestId("tab-me").ClickAsync();
        var account = page.GetByTestId("more-account");
        await Expect(account.GetByRole(AriaRole.Link, new() { Name = "修改密码" })).ToBeVisibleAsync();
        await Expect(account.GetByRole(AriaRole.Button, new() { Name = "退出 (cadre.jinxiu)" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("more-work").GetByRole(AriaRole.Link, new() { Name = "台账", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("more-data").GetByRole(AriaRole.Link, new() { Name = "查验准入编号" })).ToBeVisibleAsync();
        var small = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('.tile')].map(e => [e.innerText.trim(), e.getBoundingClientRect().height]).filter(([, h]) => h < 44).map(([t]) => t)
            """);
        Assert.Empty(small);
        await browser.ScreenshotAsync(page, "phone-me");

        // The tab bar never covers the end of a page: scrolled to the bottom, the footer is above it.
        await page.GotoAsync("/");
        await page.EvaluateAsync("window.scrollTo(0, document.body.scrollHeight)");
        var edges = await page.EvaluateAsync<double[]>("""
            () => [document.querySelector('footer').getBoundingClientRect().bottom, document.querySelector('.tabs').getBoundingClientRect().top]
            """);
        var (footerBottom, barTop) = (edges[0], edges[1]);
        Assert.True(footerBottom <= barTop + 1, $"the footer ends at {footerBottom}px under the tab bar at {barTop}px");

        // Signing out from 我的.
        await page.GetByTestId("tab-me").ClickAsync();
        await page.GetByTestId("sign-out").ClickAsync();
        await Expect(page.GetByLabel("用户名")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task At_a_desk_the_same_entries_are_a_top_menu_and_there_is_no_tab_bar()
    {
        var page = await browser.DesktopAsync();
        await SignInAsync(page, "cadre.jinxiu");
        var menu = page.GetByTestId("top-menu");
        await Expect(menu).ToBeVisibleAsync();
        await Expect(page.GetByTestId("tab-bar")).ToBeHiddenAsync();
        await Expect(menu.GetByRole(AriaRole.Link, new() { Name = "首页", Exact = true })).ToHaveAttributeAsync("aria-current", "page");
        await menu.GetByRole(AriaRole.Link, new() { Name = "活动记录" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Activities$"));
        await Expect(menu.GetByRole(AriaRole.Link, new() { Name = "活动记录" })).ToHaveAttributeAsync("aria-current", "page");
        var poor = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('.menu a, .menu button')]
                .filter(e => e.getBoundingClientRect().height < 44 || getComputedStyle(e).textDecorationLine.includes('underline'))
                .map(e => e.innerText.trim())
            """);
        Assert.Empty(poor);
        await Expect(menu.GetByRole(AriaRole.Link, new() { Name = "修改密码" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "desktop-menu", fullPage: false);
    }

    [Fact]
    public async Task Prefecture_statistics_on_a_phone_start_with_the_total_and_the_counties_and_open_one_with_a_tap()
    {
        var page = await browser.PhoneAsync(780);
        await SignInAsync(page, "dept.minzheng");
        await page.GetByTestId("tab-work").ClickAsync();
        await page.Locator("input[name=Elements][value=DIBAO_PERSONS]").CheckAsync();
        await page.Locator("input[name=Elements][value=DIBAO_HOUSEHOLDS]").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "显示" }).ClickAsync();

        var total = page.GetByTestId("statistics-total");
        await Expect(total).ToContainTextAsync("昌吉回族自治州合计");
        await Expect(total).ToBeInViewportAsync();   // the query folds away: the total is on the first screen
        var subtotals = page.GetByTestId("statistics").GetByTestId("subtotal");
        await Expect(subtotals.First).ToContainTextAsync("昌吉市");
        Assert.Equal(7, await subtotals.CountAsync());
        Assert.True((await total.BoundingBoxAsync())!.Y < (await page.GetByTestId("statistics").BoundingBoxAsync())!.Y, "the total comes before the units");
        var timing = await page.EvaluateAsync<double>("performance.getEntriesByType('navigation')[0].duration");
        output.WriteLine($"prefecture statistics on a phone: {timing:0} ms in the browser, page {await page.EvaluateAsync<int>("document.documentElement.scrollHeight")} px tall");
        await AssertFitsThePhoneAsync(page, "the prefecture statistics");
        await browser.ScreenshotAsync(page, "statistics-prefecture-phone");

        // A tap opens 昌吉市 into its townships, and 建国路街道 into its communities; the breadcrumb leads back.
        await subtotals.GetByRole(AriaRole.Link, new() { Name = "昌吉市" }).ClickAsync();
        await Expect(total).ToContainTextAsync("昌吉市合计");
        await subtotals.GetByRole(AriaRole.Link, new() { Name = "建国路街道" }).ClickAsync();
        await Expect(total).ToContainTextAsync("建国路街道合计");
        await Expect(page.GetByTestId("statistics").GetByTestId("unit-row").First).ToBeVisibleAsync();
        await Expect(page.GetByTestId("statistics-trail")).ToContainTextAsync("昌吉回族自治州");
        await AssertFitsThePhoneAsync(page, "the statistics of a township");
        await browser.ScreenshotAsync(page, "statistics-township-phone");
        await page.GetByTestId("statistics-trail").GetByRole(AriaRole.Link, new() { Name = "昌吉回族自治州" }).ClickAsync();
        await Expect(total).ToContainTextAsync("昌吉回族自治州合计");
    }

    /// <summary>The tabs are a thumb's size and the bar is inside the screen.</summary>
    private static async Task AssertTabBarFitsAsync(IPage page, string what)
    {
        var small = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('.tabs a')].map(a => [a.innerText.trim(), a.getBoundingClientRect()])
                .filter(([, r]) => r.height < 44 || r.width < 44 || r.right > 360).map(([t, r]) => `${t} ${Math.round(r.width)}x${Math.round(r.height)}`)
            """);
        Assert.True(small.Length == 0, $"{what}: tabs too small or off the screen: {string.Join("; ", small)}");
    }
}
