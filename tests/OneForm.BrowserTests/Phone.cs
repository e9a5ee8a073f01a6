using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OneForm.Demo;

namespace OneForm.BrowserTests;

/// <summary>What the phone walk-throughs share: signing in, what a page owes a cadre on a cheap phone, typing a sheet's fields.</summary>
internal static partial class Phone
{
    [GeneratedRegex("[A-Za-z]{3,}")]
    private static partial Regex EnglishWord();

    /// <summary>Account names (cadre.jinxiu) and admission codes (CJZR-2019-002) are identifiers, not English.</summary>
    [GeneratedRegex(@"[a-z0-9]+(\.[a-z0-9]+)+|\b[A-Z]{2,}-\d{4}-\d+\b")]
    private static partial Regex Identifier();

    /// <summary>Signs in on the login page; demo accounts share <see cref="DemoSeed.DefaultPassword"/>.</summary>
    public static async Task SignInAsync(IPage page, string userName, string password = DemoSeed.DefaultPassword)
    {
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("用户名").FillAsync(userName);
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
    }

    /// <summary>
    /// Opens a menu entry as a person would: from the top menu at a desk, on a phone from the 我的 tab's tiles (the
    /// entries the tab bar itself holds are tapped there, by their tab).
    /// </summary>
    public static async Task OpenFromMenuAsync(IPage page, string name)
    {
        if (await page.GetByTestId("tab-bar").IsVisibleAsync())
        {
            await page.GetByTestId("tab-me").ClickAsync();
            await page.Locator("ul.tiles").GetByRole(AriaRole.Link, new() { Name = name, Exact = true }).ClickAsync();
        }
        else
        {
            await page.GetByTestId("top-menu").GetByRole(AriaRole.Link, new() { Name = name, Exact = true }).ClickAsync();
        }
    }

    /// <summary>What a cadre on a cheap phone needs: nothing wider than the screen, buttons a thumb can hit, no English.</summary>
    public static async Task AssertFitsThePhoneAsync(IPage page, string what)
    {
        // A tap that submits a form returns once the next page has begun to arrive; measured before its stylesheet has
        // loaded, every control would have the browser's own size.
        await page.WaitForLoadStateAsync(LoadState.Load);
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 360, $"{what} is {width}px wide on a 360px phone");
        var small = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('main button, main a.button, main a.card-link, main .sheet-forms a, main input:not([type=hidden]), main select, main textarea, main summary')]
                .filter(e => e.offsetParent !== null)
                .map(e => [e, e.getBoundingClientRect()])
                .filter(([, r]) => r.height < 44)
                .map(([e, r]) => `${e.tagName} "${(e.innerText || e.name || '').trim().slice(0, 30)}" ${Math.round(r.height)}px`)
            """);
        Assert.True(small.Length == 0, $"{what}: tap targets under 44px high: {string.Join("; ", small)}");
        var text = await page.Locator("main").InnerTextAsync();
        var english = EnglishWord().Matches(Identifier().Replace(text, "")).Select(m => m.Value).Where(w => w is not ("xlsx" or "CSV" or "csv")).Distinct().ToList();
        Assert.True(english.Count == 0, $"{what} shows English to a Chinese cadre: {string.Join(", ", english)}");
    }

    /// <summary>Types a valid value into every typed field of a sheet, as a cadre would.</summary>
    public static async Task FillTypedFieldsAsync(IPage page, DateOnly inPeriod)
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
                await field.FillAsync(inPeriod.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
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
}
