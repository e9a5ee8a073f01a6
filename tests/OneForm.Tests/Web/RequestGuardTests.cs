using System.Net;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Web;

/// <summary>The headers on every answer, the proxy that is believed and the one that is not, and writes from other sites.</summary>
[Collection(nameof(AppsCollection))]
public sealed class RequestGuardTests(Apps apps)
{
    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Every_page_and_answer_carries_the_security_headers(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var admin = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Administrator)).UserName!);
        var pages = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
            .Select(e => "/" + e.RoutePattern.RawText!.Replace("{id:int}", "1", StringComparison.Ordinal).TrimStart('/')).Distinct().ToList();
        var urls = pages.Concat(["/api/v1/me", "/health", "/api/v1/tasks/999999", "/no-such-page", "/openapi/v1.json"]).ToList();
        Assert.True(pages.Count >= 35, $"only {pages.Count} pages found");

        foreach (var url in urls)
        {
            using var response = await admin.Client.GetAsync(url);
            var headers = response.Headers;
            var csp = headers.TryGetValues("Content-Security-Policy", out var values) ? values.Single() : "";
            var scripts = csp.Split(';').Select(d => d.Trim()).FirstOrDefault(d => d.StartsWith("script-src ", StringComparison.Ordinal)) ?? "";
            Assert.True(scripts.StartsWith("script-src 'self'", StringComparison.Ordinal) && !scripts.Contains("unsafe-inline", StringComparison.Ordinal)
                && csp.Contains("frame-ancestors 'none'", StringComparison.Ordinal), $"{url}: CSP '{csp}'");
            Assert.True(headers.TryGetValues("X-Content-Type-Options", out var sniff) && sniff.Single() == "nosniff", $"{url}: X-Content-Type-Options");
            Assert.True(headers.TryGetValues("X-Frame-Options", out var frame) && frame.Single() == "DENY", $"{url}: X-Frame-Options");
            Assert.True(headers.Contains("Referrer-Policy"), $"{url}: Referrer-Policy");
            // No page carries a script of its own: the policy allows none.
            if (response.Content.Headers.ContentType?.MediaType == "text/html")
            {
                var html = await response.Content.ReadAsStringAsync();
                Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)[^>]*>", html);
                Assert.DoesNotMatch(" on(click|change|submit|load)=", html);
            }
        }
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Behind_a_named_proxy_the_cookie_is_secure_and_the_answer_asks_for_https(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        await using var proxied = await OneFormHost.StartOnAsync(app.Database, kestrel: true,
            settings: new Dictionary<string, string?> { ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1", ["ForwardedHeaders:KnownProxies:1"] = "::1" });
        await using var direct = await OneFormHost.StartOnAsync(app.Database, kestrel: true);
        var user = await app.CreateUserAsync(Role.Cadre, "652301004002");

        async Task<HttpResponseMessage> SignInThroughAsync(OneFormHost host)
        {
            using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
            using var client = new HttpClient(handler) { BaseAddress = host.ServerAddress };
            client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
            client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");
            var login = await client.GetAsync("/Account/Login");
            var html = await login.Content.ReadAsStringAsync();
            var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
            using var post = new HttpRequestMessage(HttpMethod.Post, "/Account/Login")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["Input.UserName"] = user.UserName!, ["Input.Password"] = OneFormHost.TestPassword, ["__RequestVerificationToken"] = token,
                }),
            };
            post.Headers.Add("Cookie", string.Join("; ", login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));
            return await client.SendAsync(post);
        }

        var throughProxy = await SignInThroughAsync(proxied);
        var spoofed = await SignInThroughAsync(direct);

        Assert.Equal(HttpStatusCode.Redirect, throughProxy.StatusCode);
        Assert.Contains(throughProxy.Headers.GetValues("Set-Cookie"), c => c.StartsWith("oneform=", StringComparison.Ordinal) && c.Contains("secure", StringComparison.OrdinalIgnoreCase));
        Assert.True(throughProxy.Headers.Contains("Strict-Transport-Security"));
        // Nobody named the client a proxy: its forwarded headers are ignored.
        Assert.Equal(HttpStatusCode.Redirect, spoofed.StatusCode);
        Assert.DoesNotContain(spoofed.Headers.GetValues("Set-Cookie"), c => c.StartsWith("oneform=", StringComparison.Ordinal) && c.Contains("secure", StringComparison.OrdinalIgnoreCase));
        Assert.False(spoofed.Headers.Contains("Strict-Transport-Security"));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_page_of_another_site_cannot_post_to_the_api_with_the_users_cookie(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var head = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.UnitHead, "652301004002")).UserName!);

        using var crossSite = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tasks/999999/sign-off");
        crossSite.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var foreignOrigin = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tasks/999999/sign-off");
        foreignOrigin.Headers.Add("Origin", "https://evil.example");
        using var sameOrigin = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tasks/999999/sign-off");
        sameOrigin.Headers.Add("Sec-Fetch-Site", "same-origin");

        var refused = await head.Client.SendAsync(crossSite);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("其他网站的页面不能更改", (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>(refused.Content))!.Detail);
        Assert.Equal(HttpStatusCode.Forbidden, (await head.Client.SendAsync(foreignOrigin)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await head.Client.SendAsync(sameOrigin)).StatusCode);
    }
}
