using Microsoft.Playwright;
using OneForm.Accounts;
using OneForm.Demo;
using OneForm.Testing;
using static Microsoft.Playwright.Assertions;

namespace OneForm.BrowserTests.Accounts;

[Collection(nameof(BrowserCollection))]
public sealed class SignInTests(BrowserFixture browser)
{
    private static async Task SignInAsync(IPage page, string userName, string password, string button = "登录")
    {
        await page.GetByLabel(button == "登录" ? "用户名" : "User name").FillAsync(userName);
        await page.GetByLabel(button == "登录" ? "密码" : "Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
    }

    private static async Task AssertFitsTheScreenAsync(IPage page)
    {
        var (scrollWidth, viewport) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), page.ViewportSize!.Width);
        Assert.True(scrollWidth <= viewport, $"{page.Url} is {scrollWidth}px wide on a {viewport}px screen");
    }

    [Fact]
    public async Task The_cadre_of_Jinxiu_signs_in_on_a_phone_and_sees_its_unit_in_Chinese()
    {
        var page = await browser.PhoneAsync();

        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "登录一表通" })).ToBeVisibleAsync();
        // The stylesheet (served precompressed) is applied: the header carries the brand colour.
        await Expect(page.Locator("header.bar")).ToHaveCSSAsync("background-color", "rgb(179, 38, 30)");
        await AssertFitsTheScreenAsync(page);
        await browser.ScreenshotAsync(page, "sign-in-phone-zh");
        await SignInAsync(page, "cadre.jinxiu", DemoSeed.DefaultPassword);

        await Expect(page.GetByTestId("scope-unit")).ToHaveTextAsync("锦绣社区居民委员会");
        var trail = page.GetByRole(AriaRole.List, new() { Name = "在组织树中的位置" });
        await Expect(trail).ToContainTextAsync("昌吉市");
        await Expect(trail).ToContainTextAsync("建国路街道");
        await Expect(page.GetByText("基层干部", new() { Exact = true })).ToBeVisibleAsync();
        await AssertFitsTheScreenAsync(page);
        await browser.ScreenshotAsync(page, "cadre-home-phone-zh");
    }

    [Fact]
    public async Task The_language_switch_shows_English_and_back()
    {
        var page = await browser.PhoneAsync();
        await page.GotoAsync("/Account/Login");
        await SignInAsync(page, "cadre.jinxiu", DemoSeed.DefaultPassword);

        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome, 锦绣社区干部" })).ToBeVisibleAsync();
        await Expect(page.GetByText("Cadre", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("tab-bar")).ToContainTextAsync("Home");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await AssertFitsTheScreenAsync(page);
        await browser.ScreenshotAsync(page, "cadre-home-phone-en");
        await page.GetByTestId("tab-me").ClickAsync();
        // The 我的 page's own tile: the desk's menu holds the same button, hidden on a phone only once the stylesheet has loaded.
        await Expect(page.GetByTestId("sign-out")).ToHaveTextAsync("Sign out (cadre.jinxiu)");
        await page.GotoAsync("/");

        await page.GetByRole(AriaRole.Button, new() { Name = "中文" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "您好，锦绣社区干部" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_wrong_password_shows_an_error_and_the_account_locks_after_five()
    {
        var user = await browser.Host.CreateUserAsync(Role.Cadre, "652301004002");
        var page = await browser.PhoneAsync();
        await page.GotoAsync("/Account/Login");

        await SignInAsync(page, user.UserName!, "not-the-password-1");
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("用户名或密码错误。");
        await browser.ScreenshotAsync(page, "sign-in-wrong-password");
        for (var attempt = 2; attempt <= 5; attempt++)
        {
            await SignInAsync(page, user.UserName!, "not-the-password-1");
        }
        await SignInAsync(page, user.UserName!, OneFormHost.TestPassword);

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("账号已锁定");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login"));
        await browser.ScreenshotAsync(page, "sign-in-locked");
    }

    [Fact]
    public async Task The_administrator_creates_an_account_that_then_signs_in()
    {
        var page = await browser.DesktopAsync();
        var userName = $"cadre.shuilin{Guid.NewGuid().ToString("N")[..4]}";
        await page.GotoAsync("/Account/Login");
        await SignInAsync(page, "admin", DemoSeed.DefaultPassword);

        await page.GetByRole(AriaRole.Link, new() { Name = "账号", Exact = true }).First.ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "新建账号" }).ClickAsync();
        await page.GetByLabel("用户名").FillAsync(userName);
        await page.GetByLabel("显示名称").FillAsync("水林社区干部");
        await page.GetByLabel("角色").SelectOptionAsync(new SelectOptionValue { Label = "基层干部" });
        await page.GetByLabel("所属单位（村干部、单位负责人和审核人填写）：名称或代码").FillAsync("652301004003");   // a pasted code still works in the unit picker
        await page.GetByLabel("初始密码").FillAsync("shuilin-2026");
        await browser.ScreenshotAsync(page, "admin-create-account");
        await page.GetByRole(AriaRole.Button, new() { Name = "创建" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"账号{userName}已创建。");
        await browser.ScreenshotAsync(page, "admin-account-created");
        await page.GetByRole(AriaRole.Button, new() { Name = "退出 (admin)" }).ClickAsync();
        await SignInAsync(page, userName, "shuilin-2026");
        await Expect(page.GetByTestId("scope-unit")).ToHaveTextAsync("水林社区居委会");
    }
}
