using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MiniExcelLibs;
using OneForm.Demo;
using static Microsoft.Playwright.Assertions;

namespace OneForm.BrowserTests.Admission;

[Collection(nameof(BrowserCollection))]
public sealed class AdmissionTests(BrowserFixture browser)
{
    private static async Task SignInAsync(IPage page, string userName)
    {
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("用户名").FillAsync(userName);
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(DemoSeed.DefaultPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
    }

    [Fact]
    public async Task A_department_proposes_a_form_from_its_xlsx_sees_it_is_held_and_the_gatekeeper_refuses_it()
    {
        var workbook = Path.Combine(Path.GetTempPath(), $"救助对象摸底表-{Guid.NewGuid():N}.xlsx");
        MiniExcel.SaveAs(workbook, new[]
        {
            new Dictionary<string, object> { ["A"] = "救助对象摸底统计表", ["B"] = "", ["C"] = "", ["D"] = "", ["E"] = "", ["F"] = "" },
            new Dictionary<string, object> { ["A"] = "序号", ["B"] = "户籍总人口（人）", ["C"] = "低保户数（户）", ["D"] = "低保对象人数", ["E"] = "60周岁及以上老人数量", ["F"] = "入户走访次数" },
        }, printHeader: false);
        try
        {
            var department = await browser.PhoneAsync();
            await SignInAsync(department, "dept.minzheng");
            await department.GetByRole(AriaRole.Link, new() { Name = "审核准入" }).First.ClickAsync();
            await department.GetByRole(AriaRole.Link, new() { Name = "申请新表" }).ClickAsync();
            await department.GetByTestId("workbook").SetInputFilesAsync(workbook);
            await department.GetByRole(AriaRole.Button, new() { Name = "读取表头" }).ClickAsync();
            await Expect(department.GetByTestId("fields")).ToHaveValueAsync(new Regex("^户籍总人口（人）\n低保户数（户）\n低保对象人数\n60周岁及以上老人数量\n入户走访次数$"));
            await department.GetByLabel("表格名称").FillAsync("救助对象摸底统计表");
            await department.GetByLabel("制表人").FillAsync("王五（民政局）");
            await department.GetByRole(AriaRole.Button, new() { Name = "保存并分析" }).ClickAsync();

            // Told field by field, before anyone reviews it.
            await Expect(department.GetByTestId("figures")).ToContainTextAsync("80%的填报项已掌握");
            await Expect(department.GetByTestId("recommendation")).ToContainTextAsync("统计查询");
            await Expect(department.GetByTestId("fields")).ToContainTextAsync("城乡低保人数");
            await Expect(department.GetByTestId("fields")).ToContainTextAsync("《社会救助对象情况季报表》");
            var width = await department.EvaluateAsync<int>("document.documentElement.scrollWidth");
            Assert.True(width <= 360, $"the analysis is {width}px wide on a 360px phone");
            await browser.ScreenshotAsync(department, "admission-analysis-phone-zh");
            await department.GetByRole(AriaRole.Button, new() { Name = "提交审核" }).ClickAsync();
            await Expect(department.GetByTestId("state")).ToHaveTextAsync("待审核");
            var address = department.Url;

            var gatekeeper = await browser.PhoneAsync();
            await SignInAsync(gatekeeper, "gatekeeper");
            await gatekeeper.GotoAsync(address);
            await gatekeeper.GetByTestId("decision-reasons").FillAsync("4项已在《社会救助对象情况季报表》和人口库中，请用统计查询，不另设新表。");
            await gatekeeper.GetByRole(AriaRole.Button, new() { Name = "不予准入" }).ClickAsync();
            await Expect(gatekeeper.GetByTestId("state")).ToHaveTextAsync("不予准入");

            await department.ReloadAsync();
            await Expect(department.GetByTestId("reasons")).ToContainTextAsync("《社会救助对象情况季报表》");
            await browser.ScreenshotAsync(department, "admission-refused-phone-zh");

            var anyone = await browser.PhoneAsync();
            await anyone.GotoAsync("/verify");
            await anyone.GetByLabel("准入编号").FillAsync("CJZR-2019-999");
            await anyone.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();
            await Expect(anyone.GetByTestId("verdict")).ToContainTextAsync("未查到CJZR-2019-999");
            await browser.ScreenshotAsync(anyone, "verify-unknown-phone-zh");
        }
        finally
        {
            File.Delete(workbook);
        }
    }
}
