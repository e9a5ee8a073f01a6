using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OneForm.Admission;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;
using OneForm.Registry;
using OneForm.Sharing;
using OneForm.Testing;
using static Microsoft.Playwright.Assertions;
using static OneForm.BrowserTests.Phone;

namespace OneForm.BrowserTests.Web;

/// <summary>
/// Issue 15's Done-when: each role finds its next task from its home page in one tap, on a phone. The work waiting is
/// made the way it arises (a cadre submits, the head signs) or, where that is another role's long walk (a grant
/// request, an admission request, a failed import), put in place directly.
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed class NextTaskTests(BrowserFixture browser)
{
    /// <summary>A community of 北京南路街道 no other browser test fills.</summary>
    private const string Unit = "652301003002";
    private const string Street = "652301003000";

    [Fact]
    public async Task A_cadre_a_head_and_a_reviewer_each_reach_the_next_sheet_from_their_home_in_one_tap()
    {
        var host = browser.Host;
        var today = host.Services.GetRequiredService<DisplayTime>().Today;

        // The cadre: 待填报 opens the first sheet to fill.
        var cadre = await browser.PhoneAsync(780);
        await SignInAsync(cadre, await PersonAsync("王芳", Role.Cadre, Unit), OneFormHost.TestPassword);
        await TapAsync(cadre, "to-fill");
        await Expect(cadre.GetByTestId("sheet-name")).ToBeVisibleAsync();
        var sheet = new Uri(cadre.Url).AbsolutePath;
        Assert.Matches(@"^/Collection/Sheet/\d+/\w+/\d{4}-\d{2}-\d{2}$", sheet);
        await FillTypedFieldsAsync(cadre, today);
        // Nothing happened this month in the new community: counts of 0 keep every check across fields content.
        foreach (var count in await cadre.Locator("form.fill input[type=number][name^='Typed[']").AllAsync())
        {
            await count.FillAsync("0");
        }
        await cadre.GetByTestId("submit-sheet").ClickAsync();
        await browser.ScreenshotAsync(cadre, "next-task-cadre-submitted-phone-zh");
        await Expect(cadre.GetByTestId("sheet-state")).ToHaveTextAsync("已提交");

        // The head: 待您签字 opens that sheet, with the button to sign it.
        var head = await browser.PhoneAsync(780);
        await SignInAsync(head, await PersonAsync("马强", Role.UnitHead, Unit), OneFormHost.TestPassword);
        await TapAsync(head, "to-sign-count");
        Assert.Equal(sheet, new Uri(head.Url).AbsolutePath);
        await head.GetByTestId("sign-sheet").ClickAsync();
        await Expect(head.GetByTestId("sign-sheet")).ToHaveCountAsync(0);

        // The street's reviewer: 待您审核 opens a signed sheet waiting, with the buttons to accept or return it.
        var reviewer = await browser.PhoneAsync(780);
        await SignInAsync(reviewer, await PersonAsync("李娜", Role.Reviewer, Street), OneFormHost.TestPassword);
        await TapAsync(reviewer, "to-review-count");
        Assert.StartsWith("/Collection/Sheet/", new Uri(reviewer.Url).AbsolutePath);
        await Expect(reviewer.GetByTestId("accept-sheet")).ToBeVisibleAsync();
        await Expect(reviewer.GetByTestId("return-sheet")).ToBeVisibleAsync();
        await AssertFitsThePhoneAsync(reviewer, "the sheet the reviewer reached from home");
    }

    [Fact]
    public async Task A_department_the_gatekeeper_and_the_administrator_each_reach_what_waits_for_them_in_one_tap()
    {
        var host = browser.Host;
        var key = Random.Shared.Next(100_000, 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);  // digits: a hex key may spell an English word
        var now = DateTimeOffset.UtcNow;
        await host.WithDbAsync(async db =>
        {
            var welfare = await db.Departments.SingleAsync(d => d.Code == "MZJ");
            var police = await db.Departments.SingleAsync(d => d.Code == "GAJ");
            db.DataGrants.Add(new DataGrant
            {
                GranteeDepartmentId = police.Id, OwnerDepartmentId = welfare.Id, Purpose = "核对低保对象" + key, RequestedBy = "test",
                State = GrantState.Requested, FromYear = 2026, ToYear = 2026, PeriodFrom = "2026", PeriodUntil = "2027",
            });
            db.AdmissionRequests.Add(new AdmissionRequest { DepartmentId = welfare.Id, Title = "待审的表" + key, CreatedBy = "test", State = AdmissionState.Submitted });
            db.ImportBatches.Add(new ImportBatch
            {
                Kind = "T" + key, FileName = "人口" + key + ".csv", StartedBy = "test", StartedAt = now, UpdatedAt = now, State = BatchState.Failed, Problem = "文件损坏",
            });
            return await db.SaveChangesAsync();
        });

        // 民政局: 待审批的数据申请 opens the grants, where the request waits with its decision buttons.
        var department = await browser.PhoneAsync(780);
        await SignInAsync(department, await PersonAsync("张伟", Role.Department, department: "MZJ"), OneFormHost.TestPassword);
        await TapAsync(department, "grants-to-decide");
        var request = department.GetByTestId("grants").Locator("li").Filter(new() { HasText = "核对低保对象" + key });
        await Expect(request.GetByRole(AriaRole.Button, new() { Name = "批准" })).ToBeVisibleAsync();
        await AssertFitsThePhoneAsync(department, "the grant request the department reached from home");

        // The gatekeeper: 待审的准入申请 opens the admission list with the request.
        var gatekeeper = await browser.PhoneAsync(780);
        await SignInAsync(gatekeeper, "gatekeeper");
        await TapAsync(gatekeeper, "admissions-waiting");
        await Expect(gatekeeper.GetByRole(AriaRole.Link, new() { Name = "待审的表" + key })).ToBeVisibleAsync();

        // The administrator: 失败的人口导入 opens the imports with the failed one and why it failed.
        var admin = await browser.PhoneAsync(780);
        await SignInAsync(admin, "admin");
        await TapAsync(admin, "failed-imports");
        await Expect(admin.Locator("main").GetByText("文件损坏").First).ToBeVisibleAsync();
    }

    /// <summary>A new account with a Chinese name, as people have; its user name.</summary>
    private async Task<string> PersonAsync(string name, Role role, string? unit = null, string? department = null)
    {
        var user = await browser.Host.CreateUserAsync(role, unit, department);
        await browser.Host.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.DisplayName, name)));
        return user.UserName!;
    }

    /// <summary>The one tap: the to-do card (the whole card is the link) with work counted on it.</summary>
    private static async Task TapAsync(IPage page, string card)
    {
        var link = page.GetByTestId("todo-" + card);
        await Expect(link.GetByTestId("todo-count")).ToHaveTextAsync(new Regex(@"^[1-9]\d*$"));
        await AssertFitsThePhoneAsync(page, $"the home page with its {card} card");
        await link.ClickAsync();
        await Expect(page).Not.ToHaveURLAsync(new Regex(@"/$"));
    }
}
