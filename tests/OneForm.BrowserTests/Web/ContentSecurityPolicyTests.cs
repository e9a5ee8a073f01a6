using Microsoft.Playwright;
using OneForm.Demo;
using static Microsoft.Playwright.Assertions;

namespace OneForm.BrowserTests.Web;

/// <summary>The policy forbids inline script: the pages a cadre uses and the API reference still work under it, and nothing is refused.</summary>
[Collection(nameof(BrowserCollection))]
public sealed class ContentSecurityPolicyTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_pages_and_the_api_reference_run_under_the_policy_without_a_refused_script()
    {
        var page = await browser.PhoneAsync();
        var refused = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                refused.Add($"{page.Url}: {message.Text}");
            }
        };

        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("用户名").FillAsync("cadre.jinxiu");
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(DemoSeed.DefaultPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("scope-unit")).ToHaveTextAsync("锦绣社区居民委员会");
        // A form: its typing hints come from a script file now, not from the page.
        await page.GetByTestId("sheet-card").Filter(new() { Has = page.Locator("a[href*='/PartyBuilding/']") }).First.ClickAsync();
        await page.GetByTestId("sheet-forms").GetByRole(AriaRole.Link, new() { Name = "村（社区）党组织基本情况季报表" }).ClickAsync();
        var field = page.Locator("form.fill input[type=number][min]").First;
        await field.FillAsync("-1");
        var message = await field.EvaluateAsync<string>("e => e.validationMessage");
        Assert.False(string.IsNullOrEmpty(message));
        await Expect(page.Locator($"[data-hint-for='{await field.GetAttributeAsync("id")}']")).ToHaveTextAsync(message);
        await page.GotoAsync("/Activities/New");
        await page.GotoAsync("/api/");
        // The reference draws its operations once its (nonce-allowed) start-up script has run.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Whether the app and its database answer." })).ToBeVisibleAsync(new() { Timeout = 30_000 });

        Assert.True(refused.Count == 0, string.Join("\n", refused));
    }
}
