using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Tests.Hosting;
using Xunit.Abstractions;

namespace OneForm.Tests.Web;

/// <summary>
/// The guard rail for bad input: every operation of the OpenAPI document that takes a body or query parameters is sent
/// malformed variants of them, by the administrator and by a role that may call it. No answer may be a 500, and every
/// refusal must be a problem a Chinese reader understands. An endpoint added later joins by being in the document.
/// </summary>
[Collection(nameof(AppsCollection))]
public sealed class BadInputTests(Apps apps, ITestOutputHelper output)
{
    private const string Missing = "999999";

    /// <summary>One request; the core ones (structure, and the first bad values of each field) are sent by the second caller too.</summary>
    private sealed record Case(string Method, string Path, string What, Func<HttpContent?> Body, string Query = "", bool Core = true);

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Malformed_input_to_any_operation_is_refused_in_Chinese_naming_the_field_and_never_fails_the_server(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        using var document = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json"));
        var root = document.RootElement;
        var callers = new Dictionary<string, HttpClient>
        {
            ["administrator"] = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Administrator)).UserName!),
            ["cadre"] = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, "652301004002")).UserName!),
            ["reviewer"] = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Reviewer, "652301004000")).UserName!),
            ["department"] = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Department, departmentCode: "MZJ")).UserName!),
            ["gatekeeper"] = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Gatekeeper, departmentCode: "ZZB")).UserName!),
        };

        var failures = new List<string>();
        var timings = new List<(string Name, TimeSpan Took)>();
        var sent = 0;
        foreach (var path in root.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "delete" or "patch"))
            {
                var cases = CasesOf(root, path.Name, operation.Name.ToUpperInvariant(), operation.Value);
                if (cases.Count == 0)
                {
                    continue;
                }
                // The administrator, and the first other role that is not turned away outright by the first variant.
                var who = new List<string> { "administrator" };
                foreach (var role in callers.Keys.Skip(1))
                {
                    var (status, _, _) = await SendAsync(callers[role], cases[0]);
                    if (status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
                    {
                        who.Add(role);
                        break;
                    }
                }
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                foreach (var role in who)
                {
                    foreach (var c in cases.Where(c => role == "administrator" || c.Core))
                    {
                        sent++;
                        var (status, mediaType, body) = await SendAsync(callers[role], c);
                        var verdict = Judge(status, mediaType, body);
                        if (verdict is not null)
                        {
                            failures.Add($"{c.Method} {c.Path}{Shorten(c.Query)} [{c.What}] as {role}: {(int)status} {verdict} {Shorten(body)}");
                        }
                    }
                }
                timings.Add(($"{operation.Name.ToUpperInvariant()} {path.Name} ({string.Join(", ", who)})", System.Diagnostics.Stopwatch.GetElapsedTime(started)));
            }
        }

        output.WriteLine($"{sent} cases on {provider}; slowest operations:");
        foreach (var (name, took) in timings.OrderByDescending(t => t.Took).Take(8))
        {
            output.WriteLine($"  {took.TotalSeconds:0.0} s {name}");
        }
        Assert.True(sent >= 300, $"only {sent} cases were sent");
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} cases failed:\n" + string.Join("\n", failures.Take(60)));
    }

    /// <summary>Null when the answer is acceptable: not a server error, and a refusal that explains itself in Chinese.</summary>
    private static string? Judge(HttpStatusCode status, string? mediaType, string body)
    {
        var code = (int)status;
        if (code >= 500)
        {
            return "server error";
        }
        if (code < 400)
        {
            return null;
        }
        if (mediaType != "application/problem+json")
        {
            return $"not a problem ({mediaType})";
        }
        using var problem = JsonDocument.Parse(body);
        var text = new StringBuilder();
        foreach (var name in new[] { "title", "detail" })
        {
            if (problem.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
            {
                text.Append(value.GetString());
            }
        }
        if (problem.RootElement.TryGetProperty("errors", out var errors))
        {
            text.Append(errors.GetRawText());
        }
        return text.ToString().Any(c => c is >= '\u4e00' and <= '\u9fff') ? null : "not in Chinese";
    }

    private static async Task<(HttpStatusCode Status, string? MediaType, string Body)> SendAsync(HttpClient client, Case c)
    {
        using var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Path + c.Query) { Content = c.Body() };
        using var response = await client.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    private static string Shorten(string text) => text.Length > 160 ? text[..160] + "…" : text;

    private static List<Case> CasesOf(JsonElement root, string template, string method, JsonElement operation)
    {
        var parameters = operation.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToList() : [];
        var query = parameters.Where(x => x.GetProperty("in").GetString() == "query").ToList();
        var pathParameters = parameters.Where(x => x.GetProperty("in").GetString() == "path").ToList();
        var hasBody = operation.TryGetProperty("requestBody", out var requestBody);
        var cases = new List<Case>();
        // Paths name things that do not exist, so nothing of the shared demo is changed by a variant that is accepted.
        string PathWith(string? parameter = null, string? value = null)
        {
            var path = template;
            foreach (var x in pathParameters)
            {
                var name = x.GetProperty("name").GetString()!;
                var v = name == parameter ? value! : IsInteger(x.GetProperty("schema")) ? Missing : "NO-SUCH-" + name.ToUpperInvariant();
                path = path.Replace("{" + name + "}", Uri.EscapeDataString(v), StringComparison.Ordinal);
            }
            return path;
        }
        var basicQuery = string.Concat(query.Select((x, i) =>
            (i == 0 ? "?" : "&") + x.GetProperty("name").GetString() + "=" + Uri.EscapeDataString(Sample(x.GetProperty("name").GetString()!, x.GetProperty("schema")))));

        foreach (var x in pathParameters.Where(x => !IsInteger(x.GetProperty("schema"))))
        {
            var name = x.GetProperty("name").GetString()!;
            // A NUL in a path never reaches the app: Kestrel refuses it, and the test server cannot even send it.
            foreach (var (what, value) in StringValues().Where(v => !v.Value.Contains('\0', StringComparison.Ordinal)).Take(4))
            {
                cases.Add(new(method, PathWith(name, value), $"path {name}: {what}", () => null, basicQuery));
            }
        }
        if (query.Count > 0)
        {
            foreach (var x in query)
            {
                var name = x.GetProperty("name").GetString()!;
                foreach (var ((what, value), index) in ValuesFor(x.GetProperty("schema")).Select((v, i) => (v, i)))
                {
                    var others = query.Where(o => o.GetProperty("name").GetString() != name)
                        .Select(o => o.GetProperty("name").GetString() + "=" + Uri.EscapeDataString(Sample(o.GetProperty("name").GetString()!, o.GetProperty("schema"))));
                    var q = "?" + string.Join("&", others.Prepend(name + "=" + Uri.EscapeDataString(value)));
                    cases.Add(new(method, PathWith(), $"query {name}: {what}", () => hasBody ? Json("{}") : null, q, Core: index < 2));
                }
            }
        }
        if (hasBody && requestBody.GetProperty("content").TryGetProperty("application/json", out var json))
        {
            var schema = Resolve(root, json.GetProperty("schema"));
            var sample = SampleOf(root, schema, 0) as JsonObject ?? [];
            var path = PathWith();
            cases.Add(new(method, path, "malformed JSON", () => Json("{\"a\": [1, 2"), basicQuery));
            cases.Add(new(method, path, "not JSON", () => new StringContent("code=1", Encoding.UTF8, "text/plain"), basicQuery));
            cases.Add(new(method, path, "no body", () => null, basicQuery));
            cases.Add(new(method, path, "empty object", () => Json("{}"), basicQuery));
            cases.Add(new(method, path, "a list instead of an object", () => Json("[]"), basicQuery));
            cases.Add(new(method, path, "oversize body", () => Json(OversizeOf(sample)), basicQuery));
            foreach (var (field, variant, core) in Variants(root, schema, sample))
            {
                var text = variant.ToJsonString();
                cases.Add(new(method, path, field, () => Json(text), basicQuery, core));
            }
        }
        else if (hasBody && requestBody.GetProperty("content").TryGetProperty("multipart/form-data", out _))
        {
            var path = PathWith();
            foreach (var (what, name, bytes) in Files())
            {
                cases.Add(new(method, path, what, () =>
                {
                    var form = new MultipartFormDataContent();
                    var file = new ByteArrayContent(bytes);
                    file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                    form.Add(file, "file", name);
                    return form;
                }, basicQuery));
            }
            cases.Add(new(method, path, "no file", () => new MultipartFormDataContent(), basicQuery));
            cases.Add(new(method, path, "JSON instead of a form", () => Json("{\"file\": 1}"), basicQuery));
        }
        return cases;
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    /// <summary>A body over the 1 MiB limit, shaped like the real one.</summary>
    private static string OversizeOf(JsonObject sample)
    {
        var copy = (JsonObject)sample.DeepClone();
        copy["padding"] = new string('x', 1_200_000);
        return copy.ToJsonString();
    }

    /// <summary>Each field of the body (and of the first item of its lists) replaced in turn by bad values.</summary>
    private static IEnumerable<(string Field, JsonNode Body, bool Core)> Variants(JsonElement root, JsonElement schema, JsonObject sample)
    {
        // One list per body gets 20,000 items; the others just over the limit, which is as telling and cheaper to send.
        var huge = true;
        foreach (var (name, property) in Properties(root, schema))
        {
            var values = BadValues(root, property, huge ? 20_000 : 1_001).ToList();
            huge &= !values.Any(v => v.What.EndsWith("items", StringComparison.Ordinal));
            foreach (var ((what, value), index) in values.Select((v, i) => (v, i)))
            {
                var body = (JsonObject)sample.DeepClone();
                body[name] = value;
                yield return ($"{name}: {what}", body, index < 2);
            }
            if (Types(property).Contains("array") && property.TryGetProperty("items", out var items)
                && Resolve(root, items) is var item && Types(item).Contains("object"))
            {
                foreach (var (inner, innerProperty) in Properties(root, item))
                {
                    foreach (var ((what, value), index) in BadValues(root, innerProperty, 1_001).Take(6).Select((v, i) => (v, i)))
                    {
                        var body = (JsonObject)sample.DeepClone();
                        var first = (JsonObject)SampleOf(root, item, 1)!;
                        first[inner] = value;
                        body[name] = new JsonArray(first);
                        yield return ($"{name}[0].{inner}: {what}", body, index < 1);
                    }
                }
            }
        }
    }

    private static IEnumerable<(string What, JsonNode? Value)> BadValues(JsonElement root, JsonElement property, int count)
    {
        var types = Types(property);
        yield return ("null", null);
        if (types.Contains("integer") || types.Contains("number"))
        {
            yield return ("text for a number", JsonValue.Create("abc"));
            yield return ("a huge number", JsonValue.Create(99999999999999999999d));
            yield return ("int.MaxValue", JsonValue.Create(int.MaxValue));
            yield return ("int.MinValue", JsonValue.Create(int.MinValue));
            yield return ("negative", JsonValue.Create(-1));
        }
        else if (types.Contains("array"))
        {
            yield return ("a null inside the list", new JsonArray(null, null));
            yield return ("a number for a list", JsonValue.Create(5));
            var item = property.TryGetProperty("items", out var items) ? SampleOf(root, Resolve(root, items), 1) : JsonValue.Create("x");
            var many = new JsonArray();
            for (var i = 0; i < count; i++)
            {
                many.Add(item?.DeepClone());
            }
            yield return ($"{count} items", many);
        }
        else if (types.Contains("boolean"))
        {
            yield return ("text for a yes/no", JsonValue.Create("maybe"));
        }
        else if (types.Contains("string") || property.TryGetProperty("$ref", out _) || property.TryGetProperty("oneOf", out _))
        {
            yield return ("a number for text", JsonValue.Create(12345));
            yield return ("an object for text", new JsonObject { ["a"] = 1 });
            foreach (var (what, value) in StringValues())
            {
                yield return (what, JsonValue.Create(value));
            }
        }
    }

    private static IEnumerable<(string What, string Value)> StringValues() =>
    [
        ("10,000 characters", new string('长', 10_000)),
        ("a NUL character", "a\u0000b"),
        ("a right-to-left override", "abc\u202Edef"),
        ("the first day", "0001-01-01"),
        ("the last day", "9999-12-31"),
        ("a broken surrogate", "a\uD800b"),
        ("an empty text", ""),
    ];

    private static IEnumerable<(string What, string Value)> ValuesFor(JsonElement schema)
    {
        var types = Types(schema);
        if (types.Contains("integer"))
        {
            return [("text for a number", "abc"), ("negative", "-1"), ("int.MaxValue", "2147483647"), ("int.MinValue", "-2147483648"),
                ("too big for a number", "99999999999999999999")];
        }
        if (types.Contains("boolean"))
        {
            return [("text for a yes/no", "maybe")];
        }
        return [.. StringValues().Where(v => !v.What.Contains("surrogate", StringComparison.Ordinal)), ("not a date", "2026-13-45")];
    }

    private static (string What, string Name, byte[] Bytes)[] Files() =>
    [
        ("junk as xlsx", "junk.xlsx", Enumerable.Range(0, 4000).Select(i => (byte)(i * 7919 % 251)).ToArray()),
        ("a zip that is not a workbook", "empty.xlsx", [0x50, 0x4B, 0x05, 0x06, .. new byte[18]]),
        ("an unterminated quote", "quote.csv", Encoding.UTF8.GetBytes("code,name,level,parent_code\n\"652399999999,x,village,652301004000\n")),
        ("Big5 text", "big5.csv", Big5("身份證號,姓名,性別\n")),
        ("an empty file", "empty.csv", []),
        ("binary as CSV", "binary.csv", [0, 1, 2, 0xFF, 0xFE, 0, 0x22, 0x0A, 0x22]),
    ];

    private static byte[] Big5(string text)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("big5").GetBytes(text);
    }

    private static JsonElement Resolve(JsonElement root, JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            return root.GetProperty("components").GetProperty("schemas").GetProperty(name);
        }
        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            return oneOf.EnumerateArray().Select(s => Resolve(root, s)).FirstOrDefault(s => !Types(s).SequenceEqual(["null"]), schema);
        }
        return schema;
    }

    private static List<string> Types(JsonElement schema) => !schema.TryGetProperty("type", out var type) ? []
        : type.ValueKind == JsonValueKind.Array ? [.. type.EnumerateArray().Select(t => t.GetString()!)] : [type.GetString()!];

    private static bool IsInteger(JsonElement schema) => Types(schema).Contains("integer");

    private static IEnumerable<(string Name, JsonElement Schema)> Properties(JsonElement root, JsonElement schema) =>
        schema.TryGetProperty("properties", out var properties)
            ? properties.EnumerateObject().Select(p => (p.Name, Resolve(root, p.Value)))
            : [];

    /// <summary>A plausible value for a schema, so that each variant breaks one thing.</summary>
    private static JsonNode? SampleOf(JsonElement root, JsonElement schema, int depth)
    {
        schema = Resolve(root, schema);
        if (schema.TryGetProperty("enum", out var values))
        {
            return JsonValue.Create(values.EnumerateArray().First(v => v.ValueKind == JsonValueKind.String).GetString());
        }
        var types = Types(schema);
        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        if (types.Contains("object") || schema.TryGetProperty("properties", out _))
        {
            var result = new JsonObject();
            if (depth < 3)
            {
                foreach (var (name, property) in Properties(root, schema))
                {
                    result[name] = SampleOf(root, property, depth + 1);
                }
            }
            return result;
        }
        if (types.Contains("array"))
        {
            return schema.TryGetProperty("items", out var items) ? new JsonArray(SampleOf(root, items, depth + 1)) : [];
        }
        if (types.Contains("integer") || types.Contains("number"))
        {
            return JsonValue.Create(1);
        }
        if (types.Contains("boolean"))
        {
            return JsonValue.Create(false);
        }
        return JsonValue.Create(format switch
        {
            "date" => "2026-05-01",
            "date-time" => "2026-05-01T08:00:00+08:00",
            "time" => "09:00:00",
            _ => "测试",
        });
    }

    private static string Sample(string name, JsonElement schema)
    {
        var types = Types(schema);
        if (types.Contains("integer"))
        {
            return "1";
        }
        if (types.Contains("boolean"))
        {
            return "false";
        }
        return name switch
        {
            "unit" or "parent" => "652301004002",
            "period" or "periods" => "2026Q2",
            "from" or "to" or "date" or "takenAt" => "2026-05-01",
            "format" => "csv",
            _ => "x",
        };
    }
}
