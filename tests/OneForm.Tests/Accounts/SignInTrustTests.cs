using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Accounts;

/// <summary>What the security review found at the door: tokens that outlived their account's changes, limits by spelling, talkative refusals.</summary>
[Collection(nameof(AppsCollection))]
public sealed class SignInTrustTests(Apps apps)
{
    private const string Jinxiu = "652301004002";

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_password_change_ends_the_accounts_sign_in_tokens_at_once(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var cadre = await app.CreateUserAsync(Role.Cadre, Jinxiu);
        var token = await PageSession.BearerAsync(app, cadre.UserName!);
        Assert.Equal(HttpStatusCode.OK, (await token.GetAsync("/api/v1/tasks")).StatusCode);

        var pages = await PageSession.SignedInAsync(app, cadre.UserName!);
        var changed = await pages.SubmitAsync("/Account/ChangePassword", new()
        {
            ["Input.CurrentPassword"] = OneFormHost.TestPassword, ["Input.NewPassword"] = "brand-new-2027", ["Input.ConfirmPassword"] = "brand-new-2027",
        });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await token.GetAsync("/api/v1/tasks")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await token.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await token.PutAsJsonAsync("/api/v1/tasks/1/values", new { values = Array.Empty<object>() })).StatusCode);
        // A token taken with the new password works.
        Assert.Equal(HttpStatusCode.OK, (await (await PageSession.BearerAsync(app, cadre.UserName!, "brand-new-2027")).GetAsync("/api/v1/me")).StatusCode);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Disabling_or_moving_an_account_ends_its_sign_in_tokens_at_once(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var admin = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Administrator)).UserName!);
        var leaving = await app.CreateUserAsync(Role.Cadre, Jinxiu);
        var moving = await app.CreateUserAsync(Role.Cadre, Jinxiu);
        var leavingToken = await PageSession.BearerAsync(app, leaving.UserName!);
        var movingToken = await PageSession.BearerAsync(app, moving.UserName!);
        Assert.Equal(Jinxiu, (await movingToken.GetFromJsonAsync<OneForm.Accounts.SignIn.CallerResponse>("/api/v1/me"))!.OrgUnit!.Code);

        await admin.SubmitAsync($"/Admin/Accounts/Edit?id={leaving.Id}", new()
        {
            ["Input.DisplayName"] = "停用者", ["Input.Role"] = "Cadre", ["Input.UnitCode"] = Jinxiu, ["Input.IsDisabled"] = "true",
        });
        await admin.SubmitAsync($"/Admin/Accounts/Edit?id={moving.Id}", new()
        {
            ["Input.DisplayName"] = "调动者", ["Input.Role"] = "Cadre", ["Input.UnitCode"] = "652301004003",
        });

        Assert.Equal(HttpStatusCode.Unauthorized, (await leavingToken.GetAsync("/api/v1/me")).StatusCode);
        // The old token spoke for 锦绣社区: it must not read that unit's residents any more.
        Assert.Equal(HttpStatusCode.Unauthorized, (await movingToken.GetAsync($"/api/v1/registry/residents?unit={Jinxiu}")).StatusCode);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Every_spelling_of_the_sign_in_path_draws_on_the_same_limit(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        await using var strict = await OneFormHost.StartOnAsync(app.Database, settings: new Dictionary<string, string?> { ["SignIn:AttemptsPerMinute"] = "3" });
        var client = strict.CreateClient();
        var user = await app.CreateUserAsync(Role.Cadre, Jinxiu);

        var wrong = new List<HttpStatusCode>();
        foreach (var path in new[] { "/api/v1/auth/login", "/api/v1/auth/login/", "/API/V1/AUTH/LOGIN" })
        {
            wrong.Add((await client.PostAsJsonAsync(path, new { userName = "nobody", password = "nope-1234" })).StatusCode);
        }
        // The allowance is spent: no spelling of the path takes a password any more, not even the right one.
        var right = new List<(string, HttpStatusCode)>();
        foreach (var path in new[] { "/api/v1/auth/login", "/api/v1/auth/login/", "/Api/V1/Auth/Login", "/api/v1/auth//login", "/api//v1/auth/login/" })
        {
            right.Add((path, (await client.PostAsJsonAsync(path, new { userName = user.UserName, password = OneFormHost.TestPassword })).StatusCode));
        }
        var page = await PageSession.Anonymous(strict).Client.PostAsync("/account/login/", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.UserName"] = user.UserName!, ["Input.Password"] = OneFormHost.TestPassword,
        }));

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], wrong);
        Assert.All(right, r => Assert.True(r.Item2 != HttpStatusCode.OK, $"{r.Item1} signed in past the limit"));
        Assert.Equal(HttpStatusCode.TooManyRequests, right[0].Item2);
        Assert.Equal(HttpStatusCode.TooManyRequests, right[1].Item2);
        Assert.Equal(HttpStatusCode.TooManyRequests, right[2].Item2);
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_disabled_account_with_a_wrong_password_reads_like_any_wrong_password(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var admin = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Administrator)).UserName!);
        var disabled = await app.CreateUserAsync(Role.Cadre, Jinxiu);
        await admin.SubmitAsync($"/Admin/Accounts/Edit?id={disabled.Id}", new()
        {
            ["Input.DisplayName"] = "停用者", ["Input.Role"] = "Cadre", ["Input.UnitCode"] = Jinxiu, ["Input.IsDisabled"] = "true",
        });

        async Task<string?> DetailAsync(string userName, string password) =>
            (await (await app.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { userName, password })).Content.ReadFromJsonAsync<ProblemDetails>())!.Detail;

        var unknown = await DetailAsync("nobody-" + Guid.NewGuid().ToString("N")[..6], "wrong-password-1");
        var wrong = await DetailAsync(disabled.UserName!, "wrong-password-1");
        var right = await DetailAsync(disabled.UserName!, OneFormHost.TestPassword);

        Assert.Equal("用户名或密码错误。", unknown);
        Assert.Equal(unknown, wrong);
        Assert.Equal("此账号已停用。", right);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_cadre_cannot_count_the_residents_of_another_unit(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var elsewhere = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, "652324100201")).UserName!);
        var own = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, Jinxiu)).UserName!);
        var owner = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        var preview = $"/api/v1/dictionary/elements/DIBAO_PERSONS/rule/preview?unit={Jinxiu}";

        Assert.Equal(HttpStatusCode.NotFound, (await elsewhere.GetAsync(preview)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await own.GetAsync(preview)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync(preview)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await PageSession.BearerAsync(app, "dept.gongan", Demo.DemoSeed.DefaultPassword)).GetAsync(preview)).StatusCode);

        // The page shows no figure for a unit out of scope, and trying filters is the gatekeeper's.
        var pages = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Cadre, "652324100201")).UserName!);
        Assert.DoesNotContain("rule-preview", await pages.GetHtmlAsync($"/Dictionary/Rule?code=DIBAO_PERSONS&unit={Jinxiu}"));
        var tried = await pages.Client.PostAsync($"/Dictionary/Rule?code=DIBAO_PERSONS&handler=Preview", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.NotEqual(HttpStatusCode.OK, tried.StatusCode);
    }
}
