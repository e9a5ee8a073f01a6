using System.Net;
using System.Net.Http.Json;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Organization;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Accounts;

/// <summary>Refusals over HTTP: what each role may not read or change.</summary>
[Collection(nameof(AppsCollection))]
public sealed class ScopeTests(Apps apps)
{
    private const string Jinxiu = "652301004002";
    private const string Shuilin = "652301004003";     // a sibling under 建国路街道
    private const string Jianguolu = "652301004000";
    private const string OtherTownshipVillage = "652301005001";

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_cadre_reads_its_own_unit_and_no_other(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var cadre = await app.CreateUserAsync(Role.Cadre, Jinxiu);
        var api = await PageSession.BearerAsync(app, cadre.UserName!);

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/org-units/{Jinxiu}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/org-units/{Shuilin}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/org-units/{Jianguolu}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/org-units/{Jianguolu}/subtree")).StatusCode);
        var list = await api.GetFromJsonAsync<PageOf<OrgUnitResponse>>("/api/v1/org-units?q=社区");
        Assert.Equal(Jinxiu, Assert.Single(list!.Items).Code);

        var pages = await PageSession.SignedInAsync(app, cadre.UserName!);
        Assert.Equal(HttpStatusCode.NotFound, (await pages.Client.GetAsync($"/Organization?code={Shuilin}")).StatusCode);
        Assert.Contains("锦绣社区居民委员会", await pages.GetHtmlAsync($"/Organization?code={Jinxiu}"));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_cadre_cannot_open_or_post_to_the_administrator_pages(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var cadre = await app.CreateUserAsync(Role.Cadre, Jinxiu);
        var pages = await PageSession.SignedInAsync(app, cadre.UserName!);

        foreach (var url in new[] { "/Admin/Accounts", "/Admin/Accounts/Create", "/Admin/Tokens", "/Admin/Divisions", "/Admin/Departments", "/Oversight/Audit" })
        {
            var response = await pages.Client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.ToString().Contains("/Account/AccessDenied"),
                $"{url}: {response.StatusCode} {response.Headers.Location}");
        }

        // Even with a valid antiforgery token from a page it may open, the post is refused and nothing is created.
        var home = await pages.GetHtmlAsync("/Account/ChangePassword");
        var token = System.Text.RegularExpressions.Regex.Match(home, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var post = await pages.Client.PostAsync("/Admin/Departments", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Code"] = "HACK", ["Input.Name"] = "冒充部门", ["__RequestVerificationToken"] = token,
        }));
        Assert.NotEqual(HttpStatusCode.OK, post.StatusCode);
        Assert.False(await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.Departments, d => d.Code == "HACK")));

        var api = await PageSession.BearerAsync(app, cadre.UserName!);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/api/v1/access-tokens")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/api/v1/audit")).StatusCode);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_reviewer_sees_its_subtree_only(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var reviewer = await app.CreateUserAsync(Role.Reviewer, Jianguolu);
        var api = await PageSession.BearerAsync(app, reviewer.UserName!);

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/org-units/{Shuilin}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/org-units/{OtherTownshipVillage}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/org-units/652301000000")).StatusCode);

        var subtree = await api.GetFromJsonAsync<PageOf<OrgUnitResponse>>($"/api/v1/org-units/{Jianguolu}/subtree");
        Assert.Equal(1 + 14, subtree!.Total);  // 建国路街道 and its 12 communities and 2 villages
        Assert.All(subtree.Items, u => Assert.StartsWith("652301004", u.Code));
        var all = await api.GetFromJsonAsync<PageOf<OrgUnitResponse>>("/api/v1/org-units?pageSize=5000");
        Assert.Equal(subtree.Total, all!.Total);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Anonymous_calls_get_401_and_anonymous_pages_go_to_sign_in(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        foreach (var url in new[] { "/api/v1/me", "/api/v1/org-units", $"/api/v1/org-units/{Jinxiu}", "/api/v1/departments", "/api/v1/audit", "/api/v1/access-tokens" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(url)).StatusCode);
        }
        var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("/Account/Login", home.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/openapi/v1.json")).StatusCode);
        var reference = await client.GetStringAsync("/api/");
        Assert.Contains("scalar.js", reference);
        Assert.DoesNotContain("https://", reference);  // the reference page loads nothing from outside

        client.DefaultRequestHeaders.Authorization = new("Bearer", "not-a-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Forms_reject_posts_without_the_antiforgery_token(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var admin = await app.CreateUserAsync(Role.Administrator);
        var pages = await PageSession.SignedInAsync(app, admin.UserName!);

        var post = await pages.Client.PostAsync("/Admin/Departments", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Code"] = "NOTOKEN", ["Input.Name"] = "无令牌",
        }));
        var login = await PageSession.Anonymous(app).Client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.UserName"] = admin.UserName!, ["Input.Password"] = Testing.OneFormHost.TestPassword,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.False(await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.Departments, d => d.Code == "NOTOKEN")));
    }
}
