using System.Net;
using System.Net.Http.Json;
using System.Text;
using OneForm.Common;
using OneForm.Data;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Web;

/// <summary>
/// The files an administrator imports are larger than the server's default limit of 30 MB a request: the national
/// division tree is 35 MB, a prefecture's registry hundreds. On the real server (Kestrel, which enforces the limit; the
/// in-memory test server does not), a 31 MB file reaches each importer, page and API, and the importer answers about
/// its content. One database: the limit is the web server's, the same for both.
/// </summary>
public sealed class LargeUploadTests
{
    [Fact]
    public async Task A_file_over_30_MB_reaches_the_divisions_and_registry_importers_on_their_pages_and_in_the_api()
    {
        await using var app = await OneFormHost.StartAsync(DatabaseProvider.Sqlite, kestrel: true);
        var admin = (await app.CreateUserAsync(Role.Administrator)).UserName!;
        HttpClient Client() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = app.ServerAddress };
        using var api = Client();
        var token = await api.PostAsJsonAsync("/api/v1/auth/login", new { userName = admin, password = OneFormHost.TestPassword });
        api.DefaultRequestHeaders.Authorization = new("Bearer", (await token.Content.ReadFromJsonAsync<PageSession.TokenAnswer>())!.AccessToken);
        var page = new PageSession(Client());
        Assert.Equal(HttpStatusCode.Redirect, (await page.SubmitAsync("/Account/Login", new() { ["Input.UserName"] = admin, ["Input.Password"] = OneFormHost.TestPassword })).StatusCode);
        Assert.StartsWith("http://127.0.0.1:", api.BaseAddress!.ToString(), StringComparison.Ordinal);  // the real server

        // Columns no importer knows, then 31 MB of lines: each importer refuses the file for its columns, having been given all of it.
        var file = new StringBuilder("甲,乙\n");
        while (file.Length < 31 * 1024 * 1024)
        {
            file.Append("1,2\n");
        }
        var bytes = Encoding.UTF8.GetBytes(file.ToString());
        Assert.True(bytes.Length > 30_000_000);

        using (var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", "big.csv" } })
        {
            var divisions = await api.PostAsync("/api/v1/org-units/import", form);
            var answer = await divisions.Content.ReadAsStringAsync();
            Assert.True(divisions.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity or HttpStatusCode.Conflict, $"{divisions.StatusCode}: {answer}");
            Assert.Contains("code", answer, StringComparison.Ordinal);  // the missing column is named
        }
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", "big.csv" } })
        {
            var registry = await api.PostAsync("/api/v1/registry/imports", form);
            Assert.True(registry.StatusCode == HttpStatusCode.Accepted, $"{registry.StatusCode}: {await registry.Content.ReadAsStringAsync()}");
        }

        var divisionsPage = await page.UploadAsync("/Admin/Divisions", "/Admin/Divisions", bytes, "big.csv");
        Assert.True(divisionsPage.StatusCode == HttpStatusCode.OK, $"{divisionsPage.StatusCode}");
        Assert.Contains("code", await divisionsPage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var registryPage = await page.UploadAsync("/Registry/Imports", "/Registry/Imports", bytes, "big.csv");
        Assert.True(registryPage.StatusCode == HttpStatusCode.Redirect, $"{registryPage.StatusCode}");

        // Each file picker carries its page's limit, so the phone says a file is too large before sending it (forms.js).
        Assert.Contains($"data-max-bytes=\"{UploadLimits.RegistryFile}\"", await page.GetHtmlAsync("/Registry/Imports"), StringComparison.Ordinal);
        var gatekeeper = (await app.CreateUserAsync(Role.Gatekeeper)).UserName!;
        var catalogueClient = Client();
        var catalogue = new PageSession(catalogueClient);
        Assert.Equal(HttpStatusCode.Redirect, (await catalogue.SubmitAsync("/Account/Login", new() { ["Input.UserName"] = gatekeeper, ["Input.Password"] = OneFormHost.TestPassword })).StatusCode);
        Assert.Contains("data-max-bytes=\"30000000\"", await catalogue.GetHtmlAsync("/Catalog/Inventory"), StringComparison.Ordinal);

        // Sent anyway to a page with the server's limit, the file is refused with the page's own message before any
        // of it is read (a client that waits for "100 Continue"; a browser sends on and the server closes the connection).
        catalogueClient.DefaultRequestHeaders.ExpectContinue = true;
        var refused = await catalogue.UploadAsync("/Catalog/Inventory", "/Catalog/Inventory", bytes, "big.csv");
        var refusal = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{refused.StatusCode}: {refusal}");
        Assert.Contains("本页一次最多接收 28.6 MB", refusal, StringComparison.Ordinal);
    }
}
