using System.Globalization;
using Microsoft.Playwright;
using MiniExcelLibs;
using OneForm.Demo;
using static Microsoft.Playwright.Assertions;

namespace OneForm.BrowserTests.Sharing;

[Collection(nameof(BrowserCollection))]
public sealed class StatisticsTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_department_builds_a_query_sees_the_chart_and_downloads_the_xlsx()
    {
        var page = await browser.PhoneAsync();
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("用户名").FillAsync("dept.minzheng");
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(DemoSeed.DefaultPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();

        await page.GetByTestId("tab-work").ClickAsync();   // 统计, the department's tab
        // Elements by checkbox, the unit by its name from the picker's suggestions (no codes typed).
        await page.Locator("input[name=Elements][value=DIBAO_PERSONS]").CheckAsync();
        await page.Locator("input[name=Elements][value=DIBAO_HOUSEHOLDS]").CheckAsync();
        await page.GetByTestId("unit-picker").FillAsync("cjs");
        await page.GetByTestId("unit-suggestions").GetByRole(AriaRole.Button, new() { Name = "昌吉市" }).First.ClickAsync();
        await Expect(page.GetByTestId("unit-picker")).ToHaveValueAsync("昌吉市");
        await page.GetByRole(AriaRole.Button, new() { Name = "显示" }).ClickAsync();

        await Expect(page.GetByTestId("chart").Locator(".chart-bar").First).ToBeVisibleAsync();
        var total = page.GetByTestId("statistics-total");
        await Expect(total).ToContainTextAsync("昌吉市合计");
        var totalText = (await total.GetByTestId("total-figure").First.InnerTextAsync()).Replace(",", "", StringComparison.Ordinal);
        var firstColumn = (await page.GetByTestId("statistics").Locator("thead th").Nth(1).InnerTextAsync()).Split('\n')[0];
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 360, $"the statistics page is {width}px wide on a 360px phone");
        await browser.ScreenshotAsync(page, "statistics-phone-zh");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-xlsx").ClickAsync());
        var path = Path.Combine(Path.GetTempPath(), $"statistics-{Guid.NewGuid():N}.xlsx");
        await download.SaveAsAsync(path);
        try
        {
            var rows = MiniExcel.Query(path, useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
            var last = rows[^1];
            Assert.Equal("昌吉市合计", last["单位"]);
            var figure = last.First(c => c.Key.StartsWith(firstColumn + " ", StringComparison.Ordinal) && !c.Key.EndsWith("已报", StringComparison.Ordinal)).Value;
            Assert.Equal(double.Parse(totalText, CultureInfo.InvariantCulture), Convert.ToDouble(figure, CultureInfo.InvariantCulture));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
