using System.Net;
using System.Net.Http.Json;
using OneForm.Accounts;
using OneForm.Accounts.SignIn;
using OneForm.Accounts.Tokens;
using OneForm.Data;
using OneForm.Organization;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Accounts;

[Collection(nameof(AppsCollection))]
public sealed class AccessTokenTests(Apps apps)
{
    private static async Task<HttpClient> WithTokenAsync(Testing.OneFormHost app, HttpClient admin, IssueTokenRequest request)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/access-tokens", request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var issued = (await response.Content.ReadFromJsonAsync<IssuedTokenResponse>())!;
        Assert.StartsWith(AccessToken.SecretPrefix, issued.Token);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", issued.Token);
        return client;
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Each_token_has_its_own_allowance_a_minute(DatabaseProvider provider)
    {
        await using var app = await Testing.OneFormHost.StartAsync(provider, settings: new Dictionary<string, string?> { ["Api:RequestsPerMinutePerToken"] = "3" });
        var admin = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Administrator)).UserName!);
        var busy = await WithTokenAsync(app, admin, new IssueTokenRequest("民政统计脚本", TokenHolder.Department, "MZJ", null, 30));
        var other = await WithTokenAsync(app, admin, new IssueTokenRequest("公安对接", TokenHolder.Department, "GAJ", null, 30));

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add((await busy.GetAsync("/api/v1/me")).StatusCode);
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], answers);
        var refused = await busy.GetAsync("/api/v1/me");
        Assert.Equal("60", refused.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("访问令牌", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/me")).StatusCode);  // another token is not held back
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/me")).StatusCode);  // nor are people signed in
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_department_token_acts_within_its_department_and_stops_when_revoked(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var admin = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Administrator)).UserName!);
        var system = await WithTokenAsync(app, admin, new IssueTokenRequest("民政业务系统", TokenHolder.Department, "MZJ", null, 30));

        var me = await system.GetFromJsonAsync<CallerResponse>("/api/v1/me");
        Assert.Equal(("Department", "MZJ"), (me!.Role, me.Department!.Code));
        Assert.Equal(HttpStatusCode.Forbidden, (await system.GetAsync("/api/v1/access-tokens")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await system.GetAsync("/api/v1/audit")).StatusCode);

        var tokens = await admin.GetFromJsonAsync<TokenResponse[]>("/api/v1/access-tokens");
        var id = tokens!.First(t => t.Name == "民政业务系统").Id;
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/access-tokens/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await system.GetAsync("/api/v1/me")).StatusCode);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_device_token_uploads_photos_and_reads_its_inbox_and_nothing_else(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var admin = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Administrator)).UserName!);
        var camera = await WithTokenAsync(app, admin, new IssueTokenRequest("会议室摄像头", TokenHolder.Device, null, "652301004002", null));

        Assert.Equal(HttpStatusCode.OK, (await camera.GetAsync("/api/v1/photos/inbox")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await camera.GetAsync("/api/v1/me")).StatusCode);
        // What a cadre of its unit may read or write, a camera may not (the review found it listing residents and writing values).
        foreach (var url in new[] { "/api/v1/tasks", "/api/v1/registry/residents?unit=652301004002",
                     "/api/v1/activities?unit=652301004002", "/api/v1/data/roster?unit=652301004002" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await camera.GetAsync(url)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await camera.GetAsync("/api/v1/org-units/652301004002")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await camera.PutAsJsonAsync("/api/v1/tasks/1/values", new { values = Array.Empty<object>() })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await camera.GetAsync("/")).StatusCode);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_token_request_that_names_nothing_real_is_refused_with_the_field_named(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var admin = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Administrator)).UserName!);

        var response = await admin.PostAsJsonAsync("/api/v1/access-tokens", new IssueTokenRequest("", TokenHolder.Device, null, "000000000000", 0));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ValidationProblemDetails>();
        Assert.Contains("组织单元“000000000000”不存在", problem!.Errors["OrgUnitCode"][0]);
        Assert.True(problem.Errors.ContainsKey("Name"));
        Assert.True(problem.Errors.ContainsKey("ValidDays"));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_administrator_issues_a_token_on_the_page_and_sees_it_once(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var pages = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Administrator)).UserName!);

        var issued = await pages.SubmitAsync("/Admin/Tokens", new()
        {
            ["Input.Name"] = "卫健系统", ["Input.Holder"] = "Department", ["Input.DepartmentCode"] = "WJW",
        });
        var html = await issued.Content.ReadAsStringAsync();
        var secret = System.Text.RegularExpressions.Regex.Match(html, "oft_[A-Za-z0-9_-]+").Value;

        Assert.NotEmpty(secret);
        Assert.DoesNotContain(secret, await pages.GetHtmlAsync("/Admin/Tokens"));
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        Assert.Equal("WJW", (await client.GetFromJsonAsync<CallerResponse>("/api/v1/me"))!.Department!.Code);
    }
}
