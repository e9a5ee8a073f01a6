using System.Diagnostics;
using System.Text.Json;
using OneForm.Data;
using OneForm.Tests.Hosting;
using Xunit.Abstractions;

namespace OneForm.Tests.Web;

/// <summary>
/// A department's developer generates a client from /openapi/v1.json: the document must say how to authenticate, name
/// every operation and list what can go wrong. redocly (its recommended rules) judges it; test.sh installs it into tools/.
/// </summary>
[Collection(nameof(AppsCollection))]
public sealed class OpenApiLintTests(Apps apps, ITestOutputHelper output)
{
    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_OpenAPI_document_passes_redocly_lint_without_errors(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var redocly = Path.Combine(RepositoryRoot(), "tools", "node_modules", ".bin", "redocly");
        Assert.True(File.Exists(redocly), $"{redocly} is missing: run `npm ci --prefix tools` (test.sh does).");
        var file = Path.Combine(Directory.CreateTempSubdirectory("oneform-openapi-").FullName, "v1.json");
        await File.WriteAllTextAsync(file, await app.CreateClient().GetStringAsync("/openapi/v1.json"));

        var start = new ProcessStartInfo(redocly) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "lint", file, "--format=json", "--max-problems=10000" })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        start.Environment["NO_COLOR"] = "1";
        string report;
        using (var process = Process.Start(start)!)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            report = await stdout;
            Assert.True(report.TrimStart().StartsWith('{'), $"redocly answered no report (exit {process.ExitCode}): {await stderr}");
        }
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);

        using var lint = JsonDocument.Parse(report);
        var problems = lint.RootElement.GetProperty("problems").EnumerateArray()
            .Select(p => (Rule: p.GetProperty("ruleId").GetString(), Severity: p.GetProperty("severity").GetString(),
                Message: p.GetProperty("message").GetString(),
                Where: string.Join(", ", p.GetProperty("location").EnumerateArray().Select(l => l.TryGetProperty("pointer", out var pointer) ? pointer.GetString() : ""))))
            .ToList();
        var errors = problems.Where(p => p.Severity == "error").ToList();
        var warnings = problems.Where(p => p.Severity == "warn").ToList();
        output.WriteLine($"redocly lint: {errors.Count} errors, {warnings.Count} warnings");
        foreach (var problem in problems)
        {
            output.WriteLine($"  {problem.Severity} {problem.Rule}: {problem.Message} at {problem.Where}");
        }
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Rule}: {e.Message} at {e.Where}")));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Every_operation_says_how_to_authenticate_what_it_is_called_and_what_it_refuses(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        using var document = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json"));
        var root = document.RootElement;
        var operations = root.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(method => (Path: path.Name, Method: method.Name, Operation: method.Value)))
            .ToList();
        static string[] Requirements(JsonElement operation) =>
            operation.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject().Select(s => s.Name)).ToArray();
        static bool Answers(JsonElement operation, string status) => operation.GetProperty("responses").TryGetProperty(status, out _);
        JsonElement Operation(string path, string method) => operations.Single(o => o.Path == path && o.Method == method).Operation;

        var schemes = root.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("http", schemes.GetProperty("bearer").GetProperty("type").GetString());
        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.Contains("oft_", schemes.GetProperty("bearer").GetProperty("description").GetString());
        Assert.Equal("cookie", schemes.GetProperty("cookie").GetProperty("in").GetString());

        // Anonymous operations say so; every other one takes the bearer token (or the page's cookie) and can refuse.
        foreach (var (path, method) in new[] { ("/api/v1/auth/login", "post"), ("/health", "get"), ("/api/v1/public/admission-codes/{code}", "get") })
        {
            Assert.Empty(Requirements(Operation(path, method)));
            Assert.False(Answers(Operation(path, method), "403"), path);
        }
        var anonymous = new HashSet<string> { "/api/v1/auth/login", "/health" };
        foreach (var (path, method, operation) in operations.Where(o => !anonymous.Contains(o.Path) && !o.Path.StartsWith("/api/v1/public/", StringComparison.Ordinal)))
        {
            Assert.Equal(["bearer", "cookie"], Requirements(operation));
            Assert.True(Answers(operation, "401") && Answers(operation, "403"), $"{method} {path} lists no 401 and 403");
            var problem = operation.GetProperty("responses").GetProperty("401").GetProperty("content").GetProperty("application/problem+json");
            Assert.Equal("#/components/schemas/ProblemDetails", problem.GetProperty("schema").GetProperty("$ref").GetString());
        }

        var ids = operations.Select(o => o.Operation.GetProperty("operationId").GetString()!).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal("getTasksById", Operation("/api/v1/tasks/{id}", "get").GetProperty("operationId").GetString());
        Assert.Equal("postAuthLogin", Operation("/api/v1/auth/login", "post").GetProperty("operationId").GetString());

        // The sign-in says what it answers (the token) and that it is rate-limited; a scoped read can answer 404.
        var login = Operation("/api/v1/auth/login", "post").GetProperty("responses");
        Assert.True(login.GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("properties").TryGetProperty("accessToken", out _));
        Assert.True(login.TryGetProperty("429", out _));
        Assert.True(login.TryGetProperty("401", out _));
        Assert.True(Answers(Operation("/api/v1/exports/{id}/file", "get"), "404"));
        Assert.True(Answers(Operation("/api/v1/tasks/{id}/values", "put"), "409"));
        Assert.True(Answers(Operation("/api/v1/tasks/{id}/sign-off", "post"), "409"));
        Assert.True(Answers(Operation("/api/v1/forms/{id}/admit", "post"), "409"));

        Assert.All(root.GetProperty("tags").EnumerateArray(), tag =>
            Assert.False(string.IsNullOrWhiteSpace(tag.TryGetProperty("description", out var text) ? text.GetString() : null), tag.GetProperty("name").GetString()));
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OneForm.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("OneForm.slnx not found above the test binaries");
    }
}
