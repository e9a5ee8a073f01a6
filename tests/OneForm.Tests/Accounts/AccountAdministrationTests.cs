using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using OneForm.Accounts;
using OneForm.Accounts.SignIn;
using OneForm.Data;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Accounts;

[Collection(nameof(AppsCollection))]
public sealed class AccountAdministrationTests(Apps apps)
{
    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_administrator_creates_a_cadre_who_then_signs_in_to_its_unit(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var admin = await app.CreateUserAsync(Role.Administrator);
        var pages = await PageSession.SignedInAsync(app, admin.UserName!);
        var userName = $"cadre.new{Guid.NewGuid().ToString("N")[..6]}";

        var created = await pages.SubmitAsync("/Admin/Accounts/Create", new()
        {
            ["Input.UserName"] = userName, ["Input.DisplayName"] = "新干部", ["Input.Role"] = "Cadre",
            ["Input.UnitCode"] = "652301004003", ["Input.Password"] = "first-pass-2026",
        });

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var cadre = await PageSession.SignedInAsync(app, userName, "first-pass-2026");
        Assert.Contains("水林社区居委会", await cadre.GetHtmlAsync("/"));
        var entry = await app.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.Kind == "OneFormUser.Added" && e.Changes!.Contains(userName)));
        Assert.Equal(admin.Id, entry.ActorId);
        Assert.DoesNotContain("PasswordHash", entry.Changes);
        Assert.NotNull(entry.OrgUnitId);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task An_account_needs_the_binding_its_role_requires_and_nothing_is_created_otherwise(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var admin = await app.CreateUserAsync(Role.Administrator);
        var pages = await PageSession.SignedInAsync(app, admin.UserName!);
        var userName = $"nobind{Guid.NewGuid().ToString("N")[..6]}";

        var noUnit = await pages.SubmitAsync("/Admin/Accounts/Create", new()
        {
            ["Input.UserName"] = userName, ["Input.DisplayName"] = "无单位", ["Input.Role"] = "Reviewer", ["Input.Password"] = "first-pass-2026",
        });
        var unknownUnit = await pages.SubmitAsync("/Admin/Accounts/Create", new()
        {
            ["Input.UserName"] = userName, ["Input.DisplayName"] = "错单位", ["Input.Role"] = "Cadre",
            ["Input.UnitCode"] = "999999999999", ["Input.Password"] = "first-pass-2026",
        });
        var noDepartment = await pages.SubmitAsync("/Admin/Accounts/Create", new()
        {
            ["Input.UserName"] = userName, ["Input.DisplayName"] = "无部门", ["Input.Role"] = "Department", ["Input.Password"] = "first-pass-2026",
        });

        Assert.Contains("审核员必须绑定到一个组织单元", await noUnit.Content.ReadAsStringAsync());
        Assert.Contains("组织单元“999999999999”不存在", await unknownUnit.Content.ReadAsStringAsync());
        Assert.Contains("行业部门必须绑定到一个部门", await noDepartment.Content.ReadAsStringAsync());
        Assert.False(await app.WithDbAsync(db => db.Users.AnyAsync(u => u.UserName == userName)));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_disabled_account_cannot_sign_in_and_a_rescoped_one_sees_its_new_unit(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var admin = await app.CreateUserAsync(Role.Administrator);
        var cadre = await app.CreateUserAsync(Role.Cadre, "652301004002");
        var disabledOne = await app.CreateUserAsync(Role.Cadre, "652301004002");
        var pages = await PageSession.SignedInAsync(app, admin.UserName!);

        var disabled = await pages.SubmitAsync($"/Admin/Accounts/Edit?id={disabledOne.Id}", new()
        {
            ["Input.DisplayName"] = "停用者", ["Input.Role"] = "Cadre", ["Input.UnitCode"] = "652301004002", ["Input.IsDisabled"] = "true",
        });
        var moved = await pages.SubmitAsync($"/Admin/Accounts/Edit?id={cadre.Id}", new()
        {
            ["Input.DisplayName"] = "调动者", ["Input.Role"] = "Cadre", ["Input.UnitCode"] = "652301004003",
        });

        Assert.Equal(HttpStatusCode.Redirect, disabled.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        var refused = await PageSession.Anonymous(app).SubmitAsync("/Account/Login", new() { ["Input.UserName"] = disabledOne.UserName!, ["Input.Password"] = OneFormHost.TestPassword });
        Assert.Contains("此账号已停用", await refused.Content.ReadAsStringAsync());
        var api = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { userName = disabledOne.UserName, password = OneFormHost.TestPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        var me = await (await PageSession.BearerAsync(app, cadre.UserName!)).GetFromJsonAsync<CallerResponse>("/api/v1/me");
        Assert.Equal("652301004003", me!.OrgUnit!.Code);
        var change = await app.WithDbAsync(db => db.AuditEntries.OrderByDescending(e => e.Id).FirstAsync(e => e.EntityKey == cadre.Id && e.Kind == "OneFormUser.Modified"));
        Assert.Contains("OrgUnitId", change.Changes);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Two_administrators_editing_one_account_cannot_overwrite_each_other(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var admin = await app.CreateUserAsync(Role.Administrator);
        var cadre = await app.CreateUserAsync(Role.Cadre, "652301004002");
        var first = await PageSession.SignedInAsync(app, admin.UserName!);
        var second = await PageSession.SignedInAsync(app, admin.UserName!);
        var form = await second.GetHtmlAsync($"/Admin/Accounts/Edit?id={cadre.Id}");
        var stamp = System.Text.RegularExpressions.Regex.Match(form, "name=\"Input.ConcurrencyStamp\" value=\"([^\"]+)\"").Groups[1].Value;
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;

        var firstSave = await first.SubmitAsync($"/Admin/Accounts/Edit?id={cadre.Id}", new()
        {
            ["Input.DisplayName"] = "第一位", ["Input.Role"] = "Cadre", ["Input.UnitCode"] = "652301004002",
        });
        var secondSave = await second.Client.PostAsync($"/Admin/Accounts/Edit?id={cadre.Id}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "第二位", ["Input.Role"] = "Cadre", ["Input.UnitCode"] = "652301004002",
            ["Input.ConcurrencyStamp"] = System.Net.WebUtility.HtmlDecode(stamp), ["__RequestVerificationToken"] = System.Net.WebUtility.HtmlDecode(token),
        }));

        Assert.Equal(HttpStatusCode.Redirect, firstSave.StatusCode);
        Assert.True(secondSave.StatusCode == HttpStatusCode.OK, $"{secondSave.StatusCode} {secondSave.Headers.Location}");
        Assert.Contains("其他人刚刚修改了此账号", await secondSave.Content.ReadAsStringAsync());
        Assert.Equal("第一位", await app.WithDbAsync(db => db.Users.Where(u => u.Id == cadre.Id).Select(u => u.DisplayName).SingleAsync()));
    }
}
