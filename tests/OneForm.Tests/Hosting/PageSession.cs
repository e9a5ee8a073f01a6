using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using OneForm.Testing;

namespace OneForm.Tests.Hosting;

/// <summary>A browser-like client: keeps cookies, follows no redirects, and fills forms with their antiforgery token.</summary>
public sealed partial class PageSession(HttpClient client)
{
    public HttpClient Client => client;

    public static PageSession Anonymous(OneFormHost host) =>
        new(host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    public static async Task<PageSession> SignedInAsync(OneFormHost host, string userName, string password = OneFormHost.TestPassword)
    {
        var session = Anonymous(host);
        var response = await session.SubmitAsync("/Account/Login", new() { ["Input.UserName"] = userName, ["Input.Password"] = password });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect,
            $"{userName} could not sign in: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return session;
    }

    public async Task<string> GetHtmlAsync(string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>
    /// Opens <paramref name="pageUrl"/> and posts its hidden inputs (the antiforgery token, concurrency stamps)
    /// with <paramref name="fields"/> over them, to the page itself or to <paramref name="postUrl"/>.
    /// </summary>
    public async Task<HttpResponseMessage> SubmitAsync(string pageUrl, Dictionary<string, string> fields, string? postUrl = null)
    {
        var html = await GetHtmlAsync(pageUrl);
        Assert.True(AntiforgeryToken().IsMatch(html), $"{pageUrl} has no antiforgery token");
        var form = new Dictionary<string, string>();
        foreach (Match input in HiddenInput().Matches(html))
        {
            var name = InputName().Match(input.Value);
            var value = InputValue().Match(input.Value);
            if (name.Success)
            {
                form.TryAdd(WebUtility.HtmlDecode(name.Groups[1].Value), WebUtility.HtmlDecode(value.Success ? value.Groups[1].Value : ""));
            }
        }
        foreach (var (key, value) in fields)
        {
            form[key] = value;
        }
        return await client.PostAsync(postUrl ?? pageUrl, new FormUrlEncodedContent(form));
    }

    /// <summary>Opens <paramref name="pageUrl"/> and uploads a file through its form (multipart, with the page's antiforgery token) to <paramref name="postUrl"/>.</summary>
    public async Task<HttpResponseMessage> UploadAsync(string pageUrl, string postUrl, byte[] file, string fileName)
    {
        var token = AntiforgeryToken().Match(await GetHtmlAsync(pageUrl));
        Assert.True(token.Success, $"{pageUrl} has no antiforgery token");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(WebUtility.HtmlDecode(token.Groups[1].Value)), "__RequestVerificationToken" },
            { new ByteArrayContent(file), "file", fileName },
        };
        return await client.PostAsync(postUrl, form);
    }

    public static async Task<HttpClient> BearerAsync(OneFormHost host, string userName, string password = OneFormHost.TestPassword)
    {
        var client = host.CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { userName, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = (await response.Content.ReadFromJsonAsync<TokenAnswer>())!.AccessToken;
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    public sealed record TokenAnswer(string AccessToken);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*>")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("name=\"([^\"]*)\"")]
    private static partial Regex InputName();

    [GeneratedRegex("value=\"([^\"]*)\"")]
    private static partial Regex InputValue();
}
