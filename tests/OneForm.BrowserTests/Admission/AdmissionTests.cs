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
    public async Task A_department_proposes_a_form_from_its_xlsx_the_gatekeeper_refuses_it_and_a_cadre_reports_an_unknown_code_with_a_photo()
    {
        var workbook = Path.Combine(Path.GetTempPath(), $"救助对象摸底表-{Guid.NewGuid():N}.xlsx");
        MiniExcel.SaveAs(workbook, new[]
        {
            new Dictionary<string, object> { ["A"] = "救助对象摸底统计表", ["B"] = "", ["C"] = "", ["D"] = "", ["E"] = "", ["F"] = "" },
            new Dictionary<string, object> { ["A"] = "序号", ["B"] = "户籍总人口（人）", ["C"] = "低保户数（户）", ["D"] = "低保对象人数", ["E"] = "60周岁及以上老人数量", ["F"] = "入户走访次数" },
        }, printHeader: false);
        var tooLarge = Path.Combine(Path.GetTempPath(), $"全县汇总-{Guid.NewGuid():N}.xlsx");
        await using (var big = File.Create(tooLarge))
        {
            big.SetLength(31 * 1024 * 1024);
        }
        try
        {
            var department = await browser.PhoneAsync();
            await SignInAsync(department, "dept.minzheng");
            await Phone.OpenFromMenuAsync(department, "审核准入");
            await department.GetByRole(AriaRole.Link, new() { Name = "申请新表" }).ClickAsync();

            // A file larger than the page takes is caught on the phone, before minutes of sending it.
            await department.GetByTestId("workbook").SetInputFilesAsync(tooLarge);
            await Expect(department.GetByTestId("file-too-large")).ToHaveTextAsync("所选文件有 31.0 MB，本页最多接收 28.6 MB。请换一个小些的文件，或分成几个文件。");
            await department.GetByRole(AriaRole.Button, new() { Name = "读取表头" }).ClickAsync();
            await Expect(department.GetByTestId("file-too-large")).ToBeVisibleAsync();  // not sent: the page is still there
            await department.GetByTestId("workbook").SetInputFilesAsync(workbook);
            await Expect(department.GetByTestId("file-too-large")).ToBeEmptyAsync();
            await department.GetByRole(AriaRole.Button, new() { Name = "读取表头" }).ClickAsync();
            await Expect(department.GetByTestId("fields")).ToHaveValueAsync(new Regex("^户籍总人口（人）\n低保户数（户）\n低保对象人数\n60周岁及以上老人数量\n入户走访次数$"));
            await Expect(department.GetByLabel("表格名称")).ToHaveValueAsync(Path.GetFileNameWithoutExtension(workbook));  // a first guess, from the file's name
            await Phone.AssertFitsThePhoneAsync(department, "the proposal with the fields read");
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
            await Phone.OpenFromMenuAsync(gatekeeper, "表格负担");
            await Expect(gatekeeper.GetByTestId("burden-figures")).ToContainTextAsync("现行表格");
            width = await gatekeeper.EvaluateAsync<int>("document.documentElement.scrollWidth");
            Assert.True(width <= 360, $"the dashboard is {width}px wide on a 360px phone");
            await browser.ScreenshotAsync(gatekeeper, "burden-dashboard-phone-zh");

            await department.ReloadAsync();
            await Expect(department.GetByTestId("reasons")).ToContainTextAsync("《社会救助对象情况季报表》");
            await browser.ScreenshotAsync(department, "admission-refused-phone-zh");

            // A cadre checks the code a form came with, finds nothing, and reports it with a photo.
            var cadre = await browser.PhoneAsync();
            await SignInAsync(cadre, "cadre.jinxiu");
            await Phone.OpenFromMenuAsync(cadre, "查验准入编号");
            await cadre.GetByLabel("准入编号").FillAsync("CJZR-2019-999");
            await cadre.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();
            await Expect(cadre.GetByTestId("verdict")).ToContainTextAsync("未查到CJZR-2019-999");
            await browser.ScreenshotAsync(cadre, "verify-unknown-phone-zh");
            await cadre.GetByRole(AriaRole.Link, new() { Name = "举报此表" }).ClickAsync();
            await Expect(cadre.GetByLabel("表上的准入编号（如有）")).ToHaveValueAsync("CJZR-2019-999");
            await cadre.GetByLabel("表格名称").FillAsync("辖区养犬情况统计表");
            await cadre.GetByLabel("下发者", new() { Exact = true }).FillAsync("镇综治办");
            await cadre.GetByLabel("具体情况").FillAsync("微信群通知当晚报送。");
            await cadre.GetByTestId("evidence").SetInputFilesAsync(new FilePayload
            {
                Name = "微信截图.png",
                MimeType = "image/png",
                Buffer = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="),
            });
            width = await cadre.EvaluateAsync<int>("document.documentElement.scrollWidth");
            Assert.True(width <= 360, $"the report form is {width}px wide on a 360px phone");
            await browser.ScreenshotAsync(cadre, "report-new-phone-zh");
            await cadre.GetByRole(AriaRole.Button, new() { Name = "提交举报" }).ClickAsync();
            await Expect(cadre.GetByRole(AriaRole.Status)).ToContainTextAsync("举报已提交组织部门");
            await Expect(cadre.GetByTestId("report-state")).ToHaveTextAsync("已收到");
            await Expect(cadre.GetByTestId("evidence").Locator("img")).ToHaveCountAsync(1);
            await browser.ScreenshotAsync(cadre, "report-filed-phone-zh");
        }
        finally
        {
            File.Delete(workbook);
            File.Delete(tooLarge);
        }
    }
}
