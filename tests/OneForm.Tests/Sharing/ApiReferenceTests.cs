using System.Text.Json;
using OneForm.Data;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Sharing;

/// <summary>A department's developer reads in the API reference what to send and what comes back.</summary>
[Collection(nameof(AppsCollection))]
public sealed class ApiReferenceTests(Apps apps)
{
    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_sharing_endpoints_are_documented_with_examples(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        using var document = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");
        JsonElement Example(string path, string method, string? status = null)
        {
            var operation = paths.GetProperty(path).GetProperty(method);
            var content = status is null ? operation.GetProperty("requestBody").GetProperty("content") : operation.GetProperty("responses").GetProperty(status).GetProperty("content");
            return content.GetProperty("application/json").GetProperty("example");
        }

        var table = Example("/api/v1/statistics", "get", "200");
        Assert.Equal("DIBAO_PERSONS", table.GetProperty("columns")[0].GetProperty("element").GetString());
        Assert.Equal(2, table.GetProperty("rows")[0].GetProperty("values").GetArrayLength());
        Assert.True(Example("/api/v1/data/changes", "get", "200").TryGetProperty("cursor", out _));
        Assert.Equal("DIBAO_PERSONS", Example("/api/v1/data/values", "get", "200").GetProperty("items")[0].GetProperty("element").GetString());
        Assert.Equal("低保家庭子女教育资助核对", Example("/api/v1/grants", "post").GetProperty("purpose").GetString());
        Assert.Equal("Xlsx", Example("/api/v1/exports/roster", "post").GetProperty("format").GetString());
        Assert.Equal("Queued", Example("/api/v1/exports/roster", "post", "202").GetProperty("state").GetString());
        Assert.Contains("submission.accepted", Example("/api/v1/webhooks", "post").GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("X-OneForm-Signature", paths.GetProperty("/api/v1/webhooks").GetProperty("post").GetProperty("description").GetString());
    }
}
