using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MiniExcelLibs;
using OneForm.Demo;
using static Microsoft.Playwright.Assertions;

namespace OneForm.BrowserTests.Sharing;

[Collection(nameof(BrowserCollection))]
public sealed partial class ExportTests(BrowserFixture browser)
{
    [GeneratedRegex(@"^\d{6}\*{8}\d{3}[\dX]$")]
    private static partial Regex Masked();

    [Fact]
    public async Task A_roster_export_runs_in_the_background_and_its_file_downloads_from_the_page()
    {
        var page = await browser.PhoneAsync();
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("用户名").FillAsync("gatekeeper");
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(DemoSeed.DefaultPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();

        await Phone.OpenFromMenuAsync(page, "我的导出");
        await page.GetByTestId("roster-form").GetByTestId("unit-picker").FillAsync("652301004000");   // a pasted code, as the picker takes
        await page.GetByLabel("年龄从").FillAsync("80");
        await page.GetByRole(AriaRole.Button, new() { Name = "导出", Exact = true }).ClickAsync();

        // The page refreshes itself while the export runs; the link appears when the file is ready.
        var link = page.GetByTestId("export-download").First;
        await Expect(link).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("export-state").First).ToContainTextAsync("已完成");
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 360, $"the exports page is {width}px wide on a 360px phone");
        await browser.ScreenshotAsync(page, "exports-phone-zh");

        var stated = int.Parse(Regex.Match(await page.GetByTestId("export-state").First.InnerTextAsync(), @"(\d+) 行").Groups[1].Value, CultureInfo.InvariantCulture);
        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        var path = Path.Combine(Path.GetTempPath(), $"roster-{Guid.NewGuid():N}.xlsx");
        await download.SaveAsAsync(path);
        try
        {
            var rows = MiniExcel.Query(path, useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
            Assert.Equal(stated, rows.Count);
            Assert.True(rows.Count > 0);
            Assert.All(rows, row => Assert.Matches(Masked(), Convert.ToString(row["身份证号"], CultureInfo.InvariantCulture)));
            Assert.All(rows, row => Assert.StartsWith("652301004", Convert.ToString(row["村居代码"], CultureInfo.InvariantCulture), StringComparison.Ordinal));
            var eighty = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddYears(-80);
            Assert.All(rows, row => Assert.True(DateOnly.Parse(Convert.ToString(row["出生日期"], CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture) <= eighty));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
