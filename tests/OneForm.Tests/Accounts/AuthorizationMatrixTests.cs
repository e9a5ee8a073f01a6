using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Accounts;
using OneForm.Accounts.Tokens;
using OneForm.Data;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Accounts;

/// <summary>
/// The authorization matrix: every endpoint and every page of the running app (read from its endpoint table, not
/// listed by hand) declares one operation, and every kind of caller the operation does not admit is refused,
/// people with a cookie and with a sign-in token, both kinds of access token, and nobody at all.
/// </summary>
[Collection(nameof(AppsCollection))]
public sealed partial class AuthorizationMatrixTests(Apps apps, Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Jinxiu = "652301004002";
    private const string Jianguolu = "652301004000";

    /// <summary>One route to try: its method, its pattern with parameters filled, and the operation it declares (null: anonymous).</summary>
    public sealed record Route(string Method, string Pattern, string Url, string? Operation, bool IsPage, bool TakesForm);

    private static List<Route> Routes(OneFormHost app)
    {
        var routes = new List<Route>();
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            if (IsStaticFile(endpoint, pattern))
            {
                continue;
            }
            var isPage = endpoint.Metadata.GetMetadata<PageActionDescriptor>() is not null;
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var operations = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>()
                .Where(Operations.Admitted.ContainsKey).Distinct().ToList();
            var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? (isPage ? ["GET", "POST"] : ["GET"]);
            var takesForm = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.ContentTypes
                .Any(t => t.StartsWith("multipart/", StringComparison.Ordinal)) == true;
            foreach (var method in methods)
            {
                routes.Add(new Route(method, pattern, Fill(pattern), anonymous ? null : operations.Count == 1 ? operations[0] : $"<{operations.Count} operations>", isPage,
                    takesForm));
            }
        }
        return routes;
    }

    private static bool IsStaticFile(RouteEndpoint endpoint, string pattern) =>
        pattern.Contains(":file}", StringComparison.Ordinal)  // the build's static web assets, found by file name
        || endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null
        && (Path.HasExtension(pattern) && !pattern.StartsWith("/api/v1/", StringComparison.Ordinal) || pattern.StartsWith("/api/{", StringComparison.Ordinal)
            || pattern.StartsWith("/openapi/", StringComparison.Ordinal) || pattern == "/api" || pattern == "/api/");

    /// <summary>Route parameters filled with values that exist in the demo, so that a refusal is not a 404 by luck alone.</summary>
    private static string Fill(string pattern) => Parameter().Replace(pattern, m => m.Groups[1].Value switch
    {
        "code" when pattern.Contains("dictionary", StringComparison.Ordinal) => "HOUSEHOLD_POPULATION",
        "code" when pattern.Contains("admission-codes", StringComparison.Ordinal) => "CJZR-2026-001",
        "code" when pattern.Contains("forms", StringComparison.Ordinal) => "CJ-DJ-01",
        "code" => Jinxiu,
        "year" => "2026",
        _ => "1",
    });

    [GeneratedRegex(@"\{\*?([a-zA-Z]+)(?::[^}]*)?\??\}")]
    private static partial Regex Parameter();

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Every_endpoint_and_page_declares_exactly_one_operation(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var routes = Routes(app);
        var undeclared = routes.Where(r => r.Operation is not null && !Operations.Admitted.ContainsKey(r.Operation)).Select(r => $"{r.Method} {r.Pattern}: {r.Operation}").ToList();
        Assert.True(undeclared.Count == 0, "Endpoints without one declared operation:\n" + string.Join("\n", undeclared));
        // The app has its API and its pages in the table: a broken enumeration would make this test pass on nothing.
        Assert.True(routes.Count(r => !r.IsPage) >= 100, $"only {routes.Count(r => !r.IsPage)} API routes found");
        Assert.True(routes.Count(r => r.IsPage) >= 35 * 2, $"only {routes.Count(r => r.IsPage)} page routes found");
        output.WriteLine($"{routes.Count(r => !r.IsPage)} API routes and {routes.Count(r => r.IsPage)} page routes, each with one declared operation");
        // What anyone may reach without signing in, and nothing else.
        var anonymous = routes.Where(r => r.Operation is null).Select(r => r.Pattern).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            ["/Account/Login", "/Error", "/Status", "/api/v1/auth/login", "/api/v1/public/admission-codes/{code}",
             "/api/v1/public/admission-codes/{code}/qr.svg", "/culture", "/health", "/verify"],
            anonymous);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Every_caller_is_refused_what_its_operation_does_not_admit(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var callers = await SharedCallersAsync(app);
        var routes = Routes(app);
        var tried = 0;
        var wrong = new List<string>();
        foreach (var route in routes.Where(r => r.Operation is not null))
        {
            var admitted = Operations.Admitted[route.Operation!];
            foreach (var caller in callers.Where(c => (c.Kind & admitted) == 0 || route.IsPage && c.IsToken))
            {
                if (route.IsPage && caller.Bearer && !caller.IsToken)
                {
                    continue;  // people open pages with their cookie
                }
                using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Url);
                if (route.Method is "POST" or "PUT" or "PATCH")
                {
                    request.Content = route.TakesForm
                        ? new MultipartFormDataContent { { new ByteArrayContent("身份证号\n"u8.ToArray()), "file", "file.csv" } }
                        : JsonContent.Create(new { });
                }
                using var response = await caller.Client.SendAsync(request);
                tried++;
                if (!IsRefusal(response, route))
                {
                    wrong.Add($"{caller.Name}: {route.Method} {route.Url} ({route.Operation}) answered {(int)response.StatusCode} {response.Headers.Location}");
                }
            }
        }
        output.WriteLine($"{tried} requests by callers of kinds the operations do not admit");
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {tried} requests were not refused:\n" + string.Join("\n", wrong.Take(60)));
        Assert.True(tried > 1000, $"only {tried} refusals tried");
    }

    [Fact]
    public void Access_tokens_reach_only_what_their_holder_is_for()
    {
        var device = Operations.Admitted.Where(o => (o.Value & Callers.DeviceToken) != 0).Select(o => o.Key).Order().ToList();
        Assert.Equal([Operations.Me, Operations.PhotosInbox, Operations.PhotosUpload], device);

        var system = Operations.Admitted.Where(o => (o.Value & Callers.DepartmentToken) != 0).Select(o => o.Key).ToHashSet();
        Assert.DoesNotContain(Operations.GrantsDecide, system);
        Assert.DoesNotContain(Operations.GrantsRequest, system);
        Assert.DoesNotContain(Operations.AdmissionPropose, system);
        Assert.DoesNotContain(Operations.TasksFill, system);
        Assert.DoesNotContain(Operations.ResidentsRead, system);
        Assert.Contains(Operations.WebhooksManage, system);
        Assert.Contains(Operations.SharedDataRead, system);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Callers_of_an_admitted_kind_get_nothing_outside_their_scope(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        // Things of 锦绣社区 and of 民政局, made by their own people.
        var jinxiuCadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, Jinxiu)).UserName!);
        var welfare = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Department, departmentCode: "MZJ")).UserName!);
        var task = await Collection.Filling.TaskIdAsync(app, Jinxiu, "CJ-DJ-01");
        // The category sheet that holds it, by its address (unit code, category, period end).
        var period = await app.WithDbAsync(db => db.FillingTasks.Where(t => t.Id == task).Select(t => t.PeriodCode).SingleAsync());
        var sheet = $"{Jinxiu}/PartyBuilding/" + Period.Parse(period).End.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        // The same task as a form (a view of the unit's values) by its address: form code, unit code, period.
        var formView = $"CJ-DJ-01/units/{Jinxiu}/periods/{period}";
        var activity = (await (await jinxiuCadre.PostAsJsonAsync("/api/v1/activities",
            new OneForm.Media.ActivityRequest(OneForm.Media.ActivityKind.BranchCommittee, new DateOnly(2026, 11, 2), Participants: 5), TestJson.Options))
            .Content.ReadFromJsonAsync<OneForm.Media.ActivityView>(TestJson.Options))!.Id;
        var hook = await welfare.PostAsJsonAsync("/api/v1/webhooks", new OneForm.Sharing.WebhookRequest("http://127.0.0.1:9/matrix"), TestJson.Options);
        Assert.Equal(HttpStatusCode.Created, hook.StatusCode);
        var webhook = (await hook.Content.ReadFromJsonAsync<OneForm.Sharing.WebhookView>(TestJson.Options))!.Id;
        var owned = new (string Prefix, string Id, HttpClient Owner, Callers SeenByAll)[]
        {
            ("/api/v1/tasks/{id", task.ToString(System.Globalization.CultureInfo.InvariantCulture), jinxiuCadre, Callers.None),
            ("/Collection/Task/{id", task.ToString(System.Globalization.CultureInfo.InvariantCulture), jinxiuCadre, Callers.None),
            ("/api/v1/sheets/{unit", sheet, jinxiuCadre, Callers.None),
            ("/Collection/Sheet/{unit", sheet, jinxiuCadre, Callers.None),
            // Another department (公安局, its system too) issues no such form: to it the form of 锦绣社区 does not exist.
            ("/api/v1/forms/{code}/units/{unit}/periods/{period}", formView, jinxiuCadre, Callers.None),
            ("/api/v1/activities/{id", activity.ToString(System.Globalization.CultureInfo.InvariantCulture), jinxiuCadre, Callers.None),
            // The tree holds no personal data: departments see all of it, by design; units and streets only their own part.
            ("/api/v1/org-units/{code", Jinxiu, jinxiuCadre, Callers.Department | Callers.DepartmentToken),
            ("/api/v1/webhooks/{id", webhook.ToString(System.Globalization.CultureInfo.InvariantCulture), welfare, Callers.None),
        };

        // Callers whose kind the operations admit, but bound elsewhere: a neighbouring community, another street, another department.
        var outsiders = await OutsidersAsync(app);

        var tried = 0;
        var wrong = new List<string>();
        foreach (var route in Routes(app).Where(r => r.Method == "GET" && r.Operation is not null))
        {
            if (owned.FirstOrDefault(o => route.Pattern.StartsWith(o.Prefix, StringComparison.Ordinal)) is not { Owner: not null } thing)
            {
                continue;
            }
            // A sheet's address and a form view's fill three parameters at once.
            var pattern = route.Pattern.Replace("{unit}/{category}/{end}", thing.Id, StringComparison.Ordinal)
                .Replace("{code}/units/{unit}/periods/{period}", thing.Id, StringComparison.Ordinal);
            var url = Parameter().Replace(pattern, m => m.Groups[1].Value is "id" or "code" ? thing.Id : "1");
            // The owner reads it (so a refusal below is about scope, not a broken URL) ...
            if (!route.Pattern.Contains("/file", StringComparison.Ordinal) && !route.Pattern.Contains("subtree", StringComparison.Ordinal)
                && pattern.Count(c => c == '{') <= 1)
            {
                using var own = await thing.Owner.GetAsync(url);
                Assert.True(own.StatusCode == HttpStatusCode.OK, $"the owner got {(int)own.StatusCode} for {url}");
            }
            // ... and nobody of an admitted kind outside its scope does.
            foreach (var outsider in outsiders.Where(o => (o.Kind & Operations.Admitted[route.Operation!]) != 0 && (o.Kind & thing.SeenByAll) == 0))
            {
                using var response = await outsider.Client.GetAsync(url);
                tried++;
                if (!IsRefusal(response, route))
                {
                    wrong.Add($"{outsider.Name}: GET {url} ({route.Operation}) answered {(int)response.StatusCode}");
                }
            }
        }
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {tried} requests out of scope were not refused:\n" + string.Join("\n", wrong));
        Assert.True(tried >= 20, $"only {tried} out-of-scope requests tried");
    }

    private static bool IsRefusal(HttpResponseMessage response, Route route)
    {
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            return true;
        }
        // A page sends people without the right to the sign-in page or the access-denied page.
        return route.IsPage && response.StatusCode == HttpStatusCode.Redirect
            && response.Headers.Location?.ToString() is { } to && (to.Contains("/Account/Login", StringComparison.Ordinal) || to.Contains("/Account/AccessDenied", StringComparison.Ordinal));
    }

    /// <summary>A caller of the matrix; <paramref name="Bound"/> is the unit or department it is bound to.</summary>
    private sealed record Caller(string Name, Callers Kind, HttpClient Client, bool Bearer, bool IsToken, string? Bound = null);

    private static async Task<List<Caller>> CallersAsync(OneFormHost app)
    {
        var noRedirects = new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false };
        var callers = new List<Caller> { new("anonymous", Callers.None, app.CreateClient(noRedirects), false, false) };
        var people = new (Role Role, Callers Kind, string? Unit, string? Department)[]
        {
            (Role.Cadre, Callers.Cadre, Jinxiu, null),
            (Role.UnitHead, Callers.UnitHead, Jinxiu, null),
            (Role.Reviewer, Callers.Reviewer, Jianguolu, null),
            (Role.Department, Callers.Department, null, "MZJ"),
            (Role.Gatekeeper, Callers.Gatekeeper, null, "ZZB"),
            (Role.Administrator, Callers.Administrator, null, null),
        };
        foreach (var (role, kind, unit, department) in people)
        {
            var user = await app.CreateUserAsync(role, unit, department);
            callers.Add(new($"{role} (cookie)", kind, (await PageSession.SignedInAsync(app, user.UserName!)).Client, false, false, unit ?? department));
            var bearer = await PageSession.BearerAsync(app, user.UserName!);
            callers.Add(new($"{role} (sign-in token)", kind, bearer, true, false, unit ?? department));
        }
        var admin = callers.Single(c => c.Name == "Administrator (sign-in token)").Client;
        foreach (var (name, request, kind, bound) in new[]
        {
            ("device token", new IssueTokenRequest("矩阵测试摄像头", TokenHolder.Device, null, Jinxiu, 1), Callers.DeviceToken, Jinxiu),
            ("department token", new IssueTokenRequest("矩阵测试系统", TokenHolder.Department, "MZJ", null, 1), Callers.DepartmentToken, "MZJ"),
        })
        {
            var response = await admin.PostAsJsonAsync("/api/v1/access-tokens", request);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var client = app.CreateClient(noRedirects);
            client.DefaultRequestHeaders.Authorization = new("Bearer", (await response.Content.ReadFromJsonAsync<IssuedTokenResponse>())!.Token);
            callers.Add(new(name, kind, client, true, true, bound));
        }
        return callers;
    }
}
