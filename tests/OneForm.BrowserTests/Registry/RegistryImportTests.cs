using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OneForm.Demo;
using OneForm.Registry;
using static Microsoft.Playwright.Assertions;

namespace OneForm.BrowserTests.Registry;

[Collection(nameof(BrowserCollection))]
public sealed class RegistryImportTests(BrowserFixture browser)
{
    private static async Task SignInAsync(IPage page, string userName)
    {
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("用户名").FillAsync(userName);
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(DemoSeed.DefaultPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
    }

    /// <summary>Elderly residents of 锦绣社区 (aged 80 and over) and two rows the registry got wrong.</summary>
    private static string RegistryFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"registry-{Guid.NewGuid():N}.csv");
        var lines = new StringBuilder("身份证号,姓名,性别,出生日期,民族,户号,与户主关系,村居代码,住址,联系电话\r\n");
        var born = new DateOnly(1935, 3, 1);
        for (var i = 0; i < 3000; i++)
        {
            var day = born.AddDays(i / 300);
            var first17 = string.Create(CultureInfo.InvariantCulture, $"652301{day:yyyyMMdd}{i % 300 * 2 + 1:000}");
            lines.Append(CultureInfo.InvariantCulture, $"{first17}{IdentityNumber.CheckDigitFor(first17)},老人{i},男,{day:yyyy-MM-dd},回族,BT-{i},户主,652301004002,锦绣小区,\r\n");
        }
        lines.Append("65230119350301001,短号码,男,1935-03-01,汉族,BT-X,户主,652301004002,,\r\n");
        lines.Append("11010519491231002X,外地人,女,1949-12-31,汉族,BT-Y,户主,110105001001,,\r\n");
        File.WriteAllText(path, lines.ToString(), new UTF8Encoding(true));
        return path;
    }

    [Fact]
    public async Task An_administrator_imports_the_registry_watches_it_finish_and_gets_the_rejected_rows_and_the_forms_fill_themselves()
    {
        var admin = await browser.DesktopAsync();
        await SignInAsync(admin, "admin");
        await admin.GetByRole(AriaRole.Link, new() { Name = "人口数据导入" }).ClickAsync();
        await admin.GetByLabel("户籍文件").SetInputFilesAsync(RegistryFile());
        await admin.GetByRole(AriaRole.Button, new() { Name = "导入" }).ClickAsync();

        await Expect(admin.GetByTestId("batch-state")).ToContainTextAsync("完成", new() { Timeout = 60_000 });
        await Expect(admin.GetByTestId("batch-state")).ToContainTextAsync("拒绝2行");
        await browser.ScreenshotAsync(admin, "registry-import-desktop-zh");
        var download = await admin.RunAndWaitForDownloadAsync(() => admin.GetByRole(AriaRole.Link, new() { Name = "下载被拒绝的行（CSV）" }).ClickAsync());
        var rejected = await File.ReadAllTextAsync(await download.PathAsync());
        Assert.Contains("第3002行", rejected);
        Assert.Contains("第3003行", rejected);
        Assert.Contains("110105001001", rejected);

        var cadre = await browser.PhoneAsync();
        await SignInAsync(cadre, "cadre.jinxiu");
        // The form is one of the 民生 sheet's forms.
        await cadre.GetByTestId("sheet-card").Filter(new() { Has = cadre.Locator("a[href*='/Livelihood/']") })
            .Filter(new() { HasText = "季度" }).First.ClickAsync();
        await cadre.GetByTestId("sheet-forms").GetByRole(AriaRole.Link, new() { Name = "老年人、残疾人及困境儿童关爱服务情况季报表" }).ClickAsync();
        var eighty = cadre.Locator("#f_POP_AGE_80_PLUS.derived");
        await Expect(eighty).ToHaveTextAsync(new Regex("^[0-9]+$"));
        Assert.True(int.Parse(await eighty.InnerTextAsync(), CultureInfo.InvariantCulture) >= 3000);
        await Expect(cadre.GetByTestId("prefilled")).ToContainTextAsync("来自人口基础数据");
        await Expect(cadre.GetByTestId("roster")).ToContainTextAsync("老人0");
        var width = await cadre.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 360, $"the form with its roster is {width}px wide on a 360px phone");
        // The roster holds the 3,000 imported people: what the phone shows first, not a picture of every row.
        await browser.ScreenshotAsync(cadre, "fill-derived-phone-zh", fullPage: false);
    }
}
