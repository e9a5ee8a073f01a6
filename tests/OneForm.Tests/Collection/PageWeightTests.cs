using System.IO.Compression;
using System.Text.RegularExpressions;
using OneForm.Data;
using OneForm.Testing;
using OneForm.Tests.Hosting;
using Xunit.Abstractions;

namespace OneForm.Tests.Collection;

/// <summary>A cadre's phone on a rural network: the filling page with everything it loads stays small.</summary>
[Collection(nameof(AppsCollection))]
public sealed partial class PageWeightTests(Apps apps, ITestOutputHelper output)
{
    public const int Budget = 60 * 1024;

    [GeneratedRegex(@"(?:href|src)=""(/(?:css|js)/[^""]+)""|href=""(/manifest\.webmanifest)""|href=""(/icons/icon-192\.png)""")]
    private static partial Regex Loaded();

    private static int Gzipped(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(content);
        }
        return (int)buffer.Length;
    }

    [Fact]
    public async Task The_filling_page_with_its_styles_scripts_and_icon_is_under_60_KB_compressed()
    {
        var app = await apps.GetAsync(DatabaseProvider.Sqlite);
        var cadre = await PageSession.SignedInAsync(app, "cadre.jinxiu", Demo.DemoSeed.DefaultPassword);
        var taskId = await Filling.TaskIdAsync(app, "652301004002", "CJ-MS-01");
        var html = await cadre.GetHtmlAsync($"/Collection/Task/{taskId}");
        Assert.Contains("f_TEMP_ASSISTANCE_CASES", html);  // the form itself, not a page about it
        var parts = new List<(string Url, int Bytes)> { ($"/Collection/Task/{taskId}", Gzipped(System.Text.Encoding.UTF8.GetBytes(html))) };
        var urls = Loaded().Matches(html).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups.Values.Skip(1).First(g => g.Success).Value)).Distinct();
        foreach (var url in urls)
        {
            parts.Add((url, Gzipped(await cadre.Client.GetByteArrayAsync(url))));
        }
        foreach (var (url, bytes) in parts)
        {
            output.WriteLine($"{bytes,7:N0} B gzip  {url}");
        }
        var total = parts.Sum(p => p.Bytes);
        output.WriteLine($"{total,7:N0} B gzip  in all");
        Assert.Contains(parts, p => p.Url.StartsWith("/css/site.", StringComparison.Ordinal));
        Assert.Contains(parts, p => p.Url.StartsWith("/js/offline.", StringComparison.Ordinal));
        Assert.True(total < Budget, $"the filling page loads {total:N0} bytes compressed; the budget is {Budget:N0}");
    }
}
