using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using OneForm.Accounts;
using OneForm.Catalog;
using OneForm.Testing;
using static Microsoft.Playwright.Assertions;

namespace OneForm.BrowserTests.Media;

[Collection(nameof(BrowserCollection))]
public sealed class OfflineTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_value_saved_without_network_waits_on_the_phone_and_is_sent_when_the_network_is_back()
    {
        const string Unit = "652301004005";
        var cadre = await browser.Host.CreateUserAsync(Role.Cadre, Unit);
        var (taskId, period) = await browser.Host.WithDbAsync(async db =>
        {
            var task = await db.FillingTasks.Where(t => t.OrgUnit!.Code == Unit && t.Form!.Code == "CJ-MS-01" && t.Form.Status == FormStatus.Admitted)
                .OrderByDescending(t => t.PeriodCode).FirstAsync();
            return (task.Id, task.PeriodCode);
        });
        var page = await browser.PhoneAsync();
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("用户名").FillAsync(cadre.UserName!);
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(OneFormHost.TestPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();

        // Online once: the service worker installs and keeps the app shell and the form on the phone.
        await page.GotoAsync($"/Collection/Task/{taskId}");
        await page.EvaluateAsync("() => navigator.serviceWorker.ready.then(() => true)");
        await page.ReloadAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => !!navigator.serviceWorker.controller"), "the page is under the service worker");
        var manifest = await page.EvaluateAsync<string>("() => document.querySelector('link[rel=manifest]').href");
        Assert.EndsWith("/manifest.webmanifest", manifest);

        // No network: the form still opens, and what the cadre saves stays on the phone, shown as waiting.
        await page.Context.SetOfflineAsync(true);
        await page.ReloadAsync();
        await page.Locator("#f_TEMP_ASSISTANCE_CASES").FillAsync("9");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存草稿" }).ClickAsync();
        var queue = page.GetByTestId("offline-queue");
        await Expect(queue).ToContainTextAsync("1 份填报保存在手机上");
        await browser.ScreenshotAsync(page, "offline-queue-phone-zh");
        await page.ReloadAsync();  // still offline: the queue outlives the page
        await Expect(queue).ToContainTextAsync("1 份填报保存在手机上");
        Assert.Null(await SavedAsync(period));

        // The network comes back: the queue is sent by itself and empties.
        await page.Context.SetOfflineAsync(false);
        await Expect(queue).ToBeHiddenAsync(new() { Timeout = 15_000 });
        Assert.Equal("9", await SavedAsync(period));
    }

    [Fact]
    public async Task A_value_saved_offline_does_not_overwrite_what_someone_else_saved_meanwhile()
    {
        const string Unit = "652301004006";
        var (taskId, period) = await TaskAsync(Unit);
        var phone = await SignedInAsync((await browser.Host.CreateUserAsync(Role.Cadre, Unit)).UserName!);
        await phone.GotoAsync($"/Collection/Task/{taskId}");
        await phone.EvaluateAsync("() => navigator.serviceWorker.ready.then(() => true)");
        await phone.ReloadAsync();
        await phone.Context.SetOfflineAsync(true);
        await phone.Locator("#f_TEMP_ASSISTANCE_CASES").FillAsync("9");
        await phone.GetByRole(AriaRole.Button, new() { Name = "保存草稿" }).ClickAsync();
        var queue = phone.GetByTestId("offline-queue");
        await Expect(queue).ToContainTextAsync("1 份填报保存在手机上");

        // Meanwhile a colleague at the office saves another figure for the same field.
        var office = await SignedInAsync((await browser.Host.CreateUserAsync(Role.Cadre, Unit)).UserName!);
        await office.GotoAsync($"/Collection/Task/{taskId}");
        await office.Locator("#f_TEMP_ASSISTANCE_CASES").FillAsync("11");
        await office.GetByRole(AriaRole.Button, new() { Name = "保存草稿" }).ClickAsync();
        await Expect(office.Locator("#f_TEMP_ASSISTANCE_CASES")).ToHaveValueAsync("11");

        // Back online, the phone's save is refused, not applied: the queue says why and links to the form.
        await phone.Context.SetOfflineAsync(false);
        await Expect(queue).ToContainTextAsync("1 份填报未能发送", new() { Timeout = 15_000 });
        await Expect(queue).ToContainTextAsync("未发送");
        await Expect(queue).Not.ToContainTextAsync("保存在手机上");
        await Expect(queue).ToContainTextAsync("11");
        await Expect(queue.Locator($"a[href='/Collection/Task/{taskId}']")).ToBeVisibleAsync();
        Assert.Equal("11", await SavedAsync(Unit, period));
        await browser.ScreenshotAsync(phone, "offline-conflict-phone-zh");
    }

    [Fact]
    public async Task Signing_out_forgets_the_pages_kept_on_the_phone()
    {
        const string Unit = "652301004007";
        var (taskId, _) = await TaskAsync(Unit);
        var phone = await SignedInAsync((await browser.Host.CreateUserAsync(Role.Cadre, Unit)).UserName!);
        var form = $"/Collection/Task/{taskId}";
        await phone.GotoAsync(form);
        await phone.EvaluateAsync("() => navigator.serviceWorker.ready.then(() => true)");
        await phone.ReloadAsync();
        // Kept: the form opened under the service worker is on the phone.
        await phone.WaitForFunctionAsync("url => caches.match(url).then(kept => !!kept)", form);

        // Sign out is under 我的 on a phone.
        await phone.GetByTestId("tab-me").ClickAsync();
        await phone.GetByTestId("sign-out").ClickAsync();
        await Expect(phone).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login"));

        // Forgotten: nothing of the cadre's pages is left for the next person holding the phone, even offline.
        await phone.WaitForFunctionAsync("url => caches.match(url).then(kept => !kept)", form);
        await phone.Context.SetOfflineAsync(true);
        await phone.GotoAsync(form);
        await Expect(phone.Locator("body")).Not.ToContainTextAsync("TEMP_ASSISTANCE_CASES");
        Assert.Equal(0, await phone.Locator("#f_TEMP_ASSISTANCE_CASES").CountAsync());
        await phone.Context.SetOfflineAsync(false);
    }

    private Task<(int Id, string Period)> TaskAsync(string unit) => browser.Host.WithDbAsync(async db =>
    {
        var task = await db.FillingTasks.Where(t => t.OrgUnit!.Code == unit && t.Form!.Code == "CJ-MS-01" && t.Form.Status == FormStatus.Admitted)
            .OrderByDescending(t => t.PeriodCode).FirstAsync();
        return (task.Id, task.PeriodCode);
    });

    private async Task<IPage> SignedInAsync(string user)
    {
        var page = await browser.PhoneAsync();
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("用户名").FillAsync(user);
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(OneFormHost.TestPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
        return page;
    }

    private Task<string?> SavedAsync(string period) => SavedAsync("652301004005", period);

    private Task<string?> SavedAsync(string unit, string period) => browser.Host.WithDbAsync(db =>
        db.DataValues.Where(v => v.OrgUnit!.Code == unit && v.DataElement!.Code == "TEMP_ASSISTANCE_CASES" && v.PeriodCode == period)
            .Select(v => v.Value).SingleOrDefaultAsync());
}
