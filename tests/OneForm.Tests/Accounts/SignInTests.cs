using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using OneForm.Accounts;
using OneForm.Accounts.SignIn;
using OneForm.Data;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Accounts;

[Collection(nameof(AppsCollection))]
public sealed class SignInTests(Apps apps)
{
    private static Dictionary<string, string> Credentials(string user, string password) =>
        new() { ["Input.UserName"] = user, ["Input.Password"] = password };

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_demo_cadre_signs_in_and_sees_its_unit_under_its_street_and_city(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var pages = await PageSession.SignedInAsync(app, "cadre.jinxiu", Demo.DemoSeed.DefaultPassword);

        var home = await pages.GetHtmlAsync("/");

        Assert.Contains("锦绣社区居民委员会", home);
        Assert.Contains("建国路街道", home);
        Assert.Contains("昌吉市", home);
        Assert.Contains("基层干部", home);
        var me = await (await PageSession.BearerAsync(app, "cadre.jinxiu", Demo.DemoSeed.DefaultPassword)).GetFromJsonAsync<CallerResponse>("/api/v1/me");
        Assert.Equal(("652301004002", "Cadre"), (me!.OrgUnit!.Code, me.Role));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_sign_in_page_is_Chinese_by_default_and_English_on_request(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var session = PageSession.Anonymous(app);

        var chinese = await session.GetHtmlAsync("/Account/Login");
        var switched = await session.SubmitAsync("/Account/Login", new() { ["culture"] = "en", ["returnUrl"] = "/Account/Login" }, "/culture");
        var english = await session.GetHtmlAsync("/Account/Login");

        Assert.Contains("登录一表通", chinese);
        Assert.Contains("lang=\"zh-CN\"", chinese);
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Contains("Sign in to OneForm", english);
        Assert.Contains("lang=\"en\"", english);
        Assert.DoesNotContain("登录一表通", english);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_wrong_password_is_refused_and_the_account_locks_after_five_failures(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var user = await app.CreateUserAsync(Role.Cadre, "652301004002");
        var session = PageSession.Anonymous(app);

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var refused = await session.SubmitAsync("/Account/Login", Credentials(user.UserName!, "wrong-password-1"));
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains("用户名或密码错误", await refused.Content.ReadAsStringAsync());
        }
        var fifth = await session.SubmitAsync("/Account/Login", Credentials(user.UserName!, "wrong-password-1"));
        var rightButLocked = await session.SubmitAsync("/Account/Login", Credentials(user.UserName!, OneFormHost.TestPassword));
        var api = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { userName = user.UserName, password = OneFormHost.TestPassword });

        Assert.Contains("已锁定", await fifth.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, rightButLocked.StatusCode);
        Assert.Contains("已锁定", await rightButLocked.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_login_api_refuses_wrong_passwords_with_a_problem_in_the_callers_language(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var user = await app.CreateUserAsync(Role.Department, departmentCode: "MZJ");

        var chinese = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { userName = user.UserName, password = "nope-1234" });
        var english = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/login?culture=en", new { userName = "nobody", password = "nope-1234" });

        Assert.Equal(HttpStatusCode.Unauthorized, chinese.StatusCode);
        Assert.Equal("用户名或密码错误。", (await chinese.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        Assert.Equal("Wrong user name or password.", (await english.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Sign_in_attempts_are_rate_limited_per_address(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        await using var strict = await OneFormHost.StartOnAsync(app.Database, settings: new Dictionary<string, string?> { ["SignIn:AttemptsPerMinute"] = "3" });
        var client = strict.CreateClient();

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add((await client.PostAsJsonAsync("/api/v1/auth/login", new { userName = "nobody", password = "nope-1234" })).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], answers);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_person_changes_their_password_and_the_old_one_stops_working(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var user = await app.CreateUserAsync(Role.Reviewer, "652301004000");
        var pages = await PageSession.SignedInAsync(app, user.UserName!);

        var wrongCurrent = await pages.SubmitAsync("/Account/ChangePassword", new()
        {
            ["Input.CurrentPassword"] = "not-my-password-1", ["Input.NewPassword"] = "brand-new-2027", ["Input.ConfirmPassword"] = "brand-new-2027",
        });
        var tooWeak = await pages.SubmitAsync("/Account/ChangePassword", new()
        {
            ["Input.CurrentPassword"] = OneFormHost.TestPassword, ["Input.NewPassword"] = "short", ["Input.ConfirmPassword"] = "short",
        });
        var changed = await pages.SubmitAsync("/Account/ChangePassword", new()
        {
            ["Input.CurrentPassword"] = OneFormHost.TestPassword, ["Input.NewPassword"] = "brand-new-2027", ["Input.ConfirmPassword"] = "brand-new-2027",
        });

        Assert.Contains("当前密码不正确", await wrongCurrent.Content.ReadAsStringAsync());
        Assert.Contains("密码至少需要8个字符", await tooWeak.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        var old = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { userName = user.UserName, password = OneFormHost.TestPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        await PageSession.SignedInAsync(app, user.UserName!, "brand-new-2027");
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_sign_in_on_one_app_node_is_honoured_by_another_on_the_same_database(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var user = await app.CreateUserAsync(Role.Cadre, "652301004002");
        var signIn = await PageSession.Anonymous(app).SubmitAsync("/Account/Login", Credentials(user.UserName!, OneFormHost.TestPassword));
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("oneform=", StringComparison.Ordinal)).Split(';')[0];
        var bearer = await PageSession.BearerAsync(app, user.UserName!);
        await using var secondNode = await OneFormHost.StartOnAsync(app.Database);

        var page = secondNode.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        page.DefaultRequestHeaders.Add("Cookie", cookie);
        var api = secondNode.CreateClient();
        api.DefaultRequestHeaders.Authorization = bearer.DefaultRequestHeaders.Authorization;

        var home = await page.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("锦绣社区居民委员会", await home.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/me")).StatusCode);
        Assert.True(await app.WithDbAsync(db => db.DataProtectionKeys.AnyAsync()), "data-protection keys are kept in the database");
    }
}
