using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Accounts;
using OneForm.Accounts.Tokens;
using OneForm.Admission;
using OneForm.Catalog;
using OneForm.Data;
using OneForm.Organization;
using OneForm.Reports;
using OneForm.Sharing;
using OneForm.Testing;
using OneForm.Tests.Hosting;
using OneForm.Tests.Media;

namespace OneForm.Tests.Accounts;

/// <summary>
/// The in-scope pass over the things that have an owner of their own: a report (举报) and its evidence, a grant, a
/// department's admission request and a background export. Every endpoint and page of the thing's operations that takes
/// its id (found in the endpoint table and the pages' handlers, so a new one joins by itself) is tried by every caller of
/// an admitted kind who is not the thing's: each is told it does not exist (404) and nothing about it changes, while its
/// owner reaches each, and lists show it to the owner and to nobody else.
/// </summary>
public sealed partial class AuthorizationMatrixTests
{
    private static readonly ConcurrentDictionary<OneFormHost, Task<List<Caller>>> MatrixCallers = new();
    private static readonly ConcurrentDictionary<OneFormHost, Task<List<Caller>>> OutsideCallers = new();
    private static readonly ConcurrentDictionary<HttpClient, Task<string>> Antiforgery = new();

    private static readonly JsonSerializerOptions Snapshots = new() { ReferenceHandler = ReferenceHandler.IgnoreCycles };

    /// <summary>The matrix's callers (one of each kind, bound to 锦绣社区, 建国路街道 or 民政局), made once per host.</summary>
    private static Task<List<Caller>> SharedCallersAsync(OneFormHost app) => MatrixCallers.GetOrAdd(app, CallersAsync);

    /// <summary>
    /// Callers whose kind the operations admit, but bound elsewhere: a neighbouring community, another street, another
    /// department, with a cookie and with a sign-in token, and another department's system token. Made once per host.
    /// </summary>
    private static Task<List<Caller>> OutsidersAsync(OneFormHost app) => OutsideCallers.GetOrAdd(app, async app =>
    {
        var outsiders = new List<Caller>();
        foreach (var (role, kind, unit, department) in new (Role, Callers, string?, string?)[]
        {
            (Role.Cadre, Callers.Cadre, "652301004003", null), (Role.UnitHead, Callers.UnitHead, "652301004003", null),
            (Role.Reviewer, Callers.Reviewer, "652301005000", null), (Role.Department, Callers.Department, null, "GAJ"),
        })
        {
            var user = await app.CreateUserAsync(role, unit, department);
            outsiders.Add(new($"{role} of {unit ?? department}", kind, await PageSession.BearerAsync(app, user.UserName!), true, false, unit ?? department));
            outsiders.Add(new($"{role} of {unit ?? department} (cookie)", kind, (await PageSession.SignedInAsync(app, user.UserName!)).Client, false, false,
                unit ?? department));
        }
        var admin = (await SharedCallersAsync(app)).Single(c => c.Name == "Administrator (sign-in token)").Client;
        var issued = await admin.PostAsJsonAsync("/api/v1/access-tokens", new IssueTokenRequest("矩阵测试公安系统", TokenHolder.Department, "GAJ", null, 1));
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var token = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        token.DefaultRequestHeaders.Authorization = new("Bearer", (await issued.Content.ReadFromJsonAsync<IssuedTokenResponse>())!.Token);
        outsiders.Add(new("department token of GAJ", Callers.DepartmentToken, token, true, true, "GAJ"));
        return outsiders;
    });

    /// <summary>One handler of a page: its method, its route, the handler's name, the page's operation and whether it takes the id of what it shows.</summary>
    public sealed record PageRequest(string Method, string Pattern, string? Handler, string? Operation, bool TakesId);

    /// <summary>Every handler of every page, read from the compiled pages (a handler with an <c>id</c>, a route with one, or a bound <c>Id</c>).</summary>
    private static async Task<List<PageRequest>> PageRequestsAsync(OneFormHost app)
    {
        var loader = app.Services.GetRequiredService<PageLoader>();
        var requests = new List<PageRequest>();
        var pages = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
            .GroupBy(e => e.Metadata.GetMetadata<PageActionDescriptor>()!.ViewEnginePath);
        foreach (var page in pages)
        {
            // An index page answers at /Folder and /Folder/Index: the same handlers, tried once.
            var endpoint = page.MinBy(e => e.RoutePattern.RawText?.Length ?? 0)!;
            var descriptor = endpoint.Metadata.GetMetadata<PageActionDescriptor>()!;
            var compiled = descriptor as CompiledPageActionDescriptor ?? await loader.LoadAsync(descriptor, endpoint.Metadata);
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var operations = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>()
                .Where(Operations.Admitted.ContainsKey).Distinct().ToList();
            var inRoute = endpoint.RoutePattern.Parameters.Any(p => p.Name.Equals("id", StringComparison.OrdinalIgnoreCase));
            var bound = compiled.BoundProperties.OfType<PageBoundPropertyDescriptor>()
                .FirstOrDefault(p => p.Name.Equals("Id", StringComparison.OrdinalIgnoreCase))?.Property;
            foreach (var handler in compiled.HandlerMethods)
            {
                var method = handler.HttpMethod.ToUpperInvariant();
                var takesId = inRoute || handler.Parameters.Any(p => p.Name.Equals("id", StringComparison.OrdinalIgnoreCase))
                    || bound is not null && (method != "GET" || bound.GetCustomAttribute<BindPropertyAttribute>()?.SupportsGet == true);
                requests.Add(new(method, pattern, handler.Name, anonymous ? null : operations.Count == 1 ? operations[0] : null, takesId));
            }
        }
        return requests;
    }

    private static string PageUrl(PageRequest page, string? id)
    {
        var path = Parameter().Replace(page.Pattern, m => m.Groups[1].Value.Equals("id", StringComparison.OrdinalIgnoreCase) ? id ?? "" : "1");
        var query = new List<string>();
        if (page.Handler is not null)
        {
            query.Add("handler=" + page.Handler);
        }
        if (id is not null && !page.Pattern.Contains("{id", StringComparison.OrdinalIgnoreCase))
        {
            query.Add("id=" + id);
        }
        return query.Count == 0 ? path : path + "?" + string.Join('&', query);
    }

    /// <summary>
    /// A thing with an owner: the operations whose endpoints reach it, the values of its route parameters, a text that
    /// shows it in a list, its owners (who reach every endpoint), who else may read it, what it is now (to see that
    /// nothing changed), who of those acts on it (decides, changes), and how to make another one like it for them to act on.
    /// </summary>
    private sealed record Owned(string What, string[] Operations, IReadOnlyDictionary<string, string> Ids, string Marker, IReadOnlyList<Caller> Owners,
        Func<Caller, string, bool> AlsoSees, Func<Task<string>> Snapshot, Func<Caller, bool> Acts, Func<Task<IReadOnlyDictionary<string, string>>> Another)
    {
        /// <summary>Callers made for this thing alone, tried like the matrix's (a department a report was found against).</summary>
        public IReadOnlyList<Caller> Others { get; init; } = [];

        /// <summary>A text of the thing that only some of its readers may see (the name of a report's evidence file), and who.</summary>
        public (string Text, Func<Caller, bool> SeenBy)? Secret { get; init; }
    }

    private enum Reach
    {
        None,
        Id,
        List,
    }

    /// <summary>An endpoint or a page handler that reaches a thing by its id, or a list that may show it.</summary>
    private sealed record Target(string Method, string Pattern, Func<IReadOnlyDictionary<string, string>, string> Url, string? Operation, bool IsPage, Reach Reach);

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Nobody_but_its_owner_reaches_a_report_a_grant_a_proposal_or_an_export(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var callers = (await SharedCallersAsync(app)).Concat(await OutsidersAsync(app)).Where(c => c.Kind != Callers.None).ToList();
        var welfare = callers.Where(c => c.Kind == Callers.Department && c.Bound == "MZJ").ToList();
        var owned = new List<Owned>(await ReportsAsync(app, callers)) { await ProposalAsync(app, welfare) };
        owned.AddRange(await GrantAndExportAsync(app, welfare, callers));

        var routes = Routes(app).Where(r => !r.IsPage).ToList();
        var pages = await PageRequestsAsync(app);
        var tried = 0;
        var byOwners = 0;
        var wrong = new List<string>();
        var refusedOwners = new List<string>();
        var perRoute = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var thing in owned)
        {
            // What reaches the thing: the endpoints and page handlers of its operations that take its id, and the lists that may show it.
            var targets = routes.Where(r => thing.Operations.Contains(r.Operation))
                .Select(r => new Target(r.Method, r.Pattern, ids => ApiUrl(r, ids), r.Operation, false,
                    r.Method == "GET" && !r.Pattern.Contains('{', StringComparison.Ordinal) ? Reach.List : r.Pattern.Contains("{id", StringComparison.Ordinal) ? Reach.Id : Reach.None))
                .Concat(pages.Where(p => thing.Operations.Contains(p.Operation))
                    .Select(p => new Target(p.Method, PageUrl(p, p.TakesId ? "{id}" : null), ids => PageUrl(p, p.TakesId ? ids["id"] : null), p.Operation, true,
                        p.TakesId ? Reach.Id : p.Method == "GET" && p.Handler is null ? Reach.List : Reach.None)))
                .Where(t => t.Reach != Reach.None).ToList();
            Assert.True(targets.Any(t => t.Reach == Reach.Id), $"no endpoint or page of {thing.What} takes its id");
            var everyone = callers.Concat(thing.Others).ToList();
            bool Sees(Caller c, Target t) => thing.Owners.Contains(c) || thing.AlsoSees(c, t.Pattern);
            bool May(Caller c, Target t) => Admits(t.Operation, c) && !(t.IsPage && c.Bearer);
            var before = await thing.Snapshot();

            // Everyone of an admitted kind who is not the thing's is told it does not exist, and changes nothing ...
            foreach (var target in targets)
            {
                foreach (var caller in everyone.Where(c => May(c, target) && !Sees(c, target)))
                {
                    var url = target.Url(thing.Ids);
                    using var response = target.Reach == Reach.List ? await caller.Client.GetAsync(url) : await SendAsync(caller, target.Method, url, thing.Ids);
                    tried++;
                    var key = $"{target.Method} {target.Pattern}{(target.Reach == Reach.List ? " (list)" : "")}";
                    perRoute[key] = perRoute.GetValueOrDefault(key) + 1;
                    if (target.Reach == Reach.Id && response.StatusCode != HttpStatusCode.NotFound)
                    {
                        wrong.Add($"{caller.Name}: {target.Method} {url} ({thing.What}) answered {(int)response.StatusCode} {response.Headers.Location}");
                    }
                    // ... and finds it in no list.
                    if (target.Reach == Reach.List && response.StatusCode == HttpStatusCode.OK
                        && (await response.Content.ReadAsStringAsync()).Contains(thing.Marker, StringComparison.Ordinal))
                    {
                        wrong.Add($"{caller.Name}: GET {url} lists {thing.What}");
                    }
                }
            }
            if (await thing.Snapshot() is var after && after != before)
            {
                wrong.Add($"{thing.What} was changed by callers out of its scope:\n  before {before}\n  after  {after}");
            }

            // Its owners and those allowed read it through every endpoint and page that shows it, and its owners find it in their lists ...
            foreach (var target in targets.Where(t => t.Method == "GET"))
            {
                foreach (var reader in thing.Owners.Concat(everyone).Distinct().Where(c => May(c, target) && Sees(c, target)))
                {
                    var url = target.Url(thing.Ids);
                    using var response = await reader.Client.GetAsync(url);
                    byOwners++;
                    var body = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        refusedOwners.Add($"{reader.Name} got {(int)response.StatusCode} for {url}");
                    }
                    else if (target.Reach == Reach.List && !target.IsPage && thing.Owners.Contains(reader) && !body.Contains(thing.Marker, StringComparison.Ordinal))
                    {
                        refusedOwners.Add($"{reader.Name} does not find {thing.What} in {url}");
                    }
                    if (thing.Secret is { } secret && !thing.Owners.Contains(reader) && !secret.SeenBy(reader) && body.Contains(secret.Text, StringComparison.Ordinal))
                    {
                        wrong.Add($"{reader.Name}: GET {url} shows {secret.Text} of {thing.What}");
                    }
                }
            }
            // ... and every endpoint and page handler that changes it reaches another like it for those who act on it
            // (it may still say that a step is not theirs, or not now: they were not told it does not exist).
            foreach (var target in targets.Where(t => t.Method != "GET" && t.Reach == Reach.Id))
            {
                foreach (var actor in thing.Owners.Concat(everyone).Distinct().Where(c => May(c, target) && Sees(c, target) && thing.Acts(c)))
                {
                    var another = await thing.Another();
                    var url = target.Url(another);
                    using var response = await SendAsync(actor, target.Method, url, another);
                    byOwners += 2;  // and the request that made another
                    if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest
                        || response.Headers.Location?.ToString().Contains("/Account/Login", StringComparison.Ordinal) == true)
                    {
                        refusedOwners.Add($"{actor.Name} got {(int)response.StatusCode} {response.Headers.Location} for {target.Method} {url}: {await response.Content.ReadAsStringAsync()}");
                    }
                }
            }
        }
        Assert.True(wrong.Count == 0, $"{wrong.Count} things were reached or shown out of scope ({tried} requests tried):\n" + string.Join("\n", wrong));
        Assert.True(refusedOwners.Count == 0, "Owners and those allowed were refused:\n" + string.Join("\n", refusedOwners));
        output.WriteLine($"{tried} requests by callers out of scope over {owned.Count} things, {byOwners} by their owners and those allowed:");
        foreach (var (route, count) in perRoute)
        {
            output.WriteLine($"  {count,3} {route}");
        }
        Assert.True(tried >= 150, $"only {tried} out-of-scope requests tried");
    }

    private static bool Admits(string? operation, Caller caller) =>
        operation is not null && Operations.Admitted.TryGetValue(operation, out var admitted) && (admitted & caller.Kind) != 0;

    private static string ApiUrl(Route route, IReadOnlyDictionary<string, string> ids) => Parameter().Replace(route.Pattern, m =>
        ids.TryGetValue(m.Groups[1].Value, out var value) ? value : throw new InvalidOperationException(
            $"The matrix does not know what to put in {{{m.Groups[1].Value}}} of {route.Pattern}: give it a value in the thing's Ids."));

    /// <summary>
    /// A request with a body that would do something if it got through: one JSON object carrying the fields of every
    /// step's body (a decision, reasons, a finding, a date, a changed proposal), and for pages the same as form fields
    /// with the caller's antiforgery token.
    /// </summary>
    private static async Task<HttpResponseMessage> SendAsync(Caller caller, string method, string url, IReadOnlyDictionary<string, string> ids)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method != "GET" && url.StartsWith("/api/", StringComparison.Ordinal))
        {
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            request.Content = JsonContent.Create(new
            {
                note = "矩阵测试：越权的请求", reasons = "矩阵测试：越权的请求", expiresOn = (DateOnly?)null,
                fieldId = int.Parse(ids.GetValueOrDefault("fieldId", "0"), System.Globalization.CultureInfo.InvariantCulture), elementCode = AcceptBody.Decline,
                title = "越权改过的标题", purpose = "越权", category = FormCategory.Livelihood, cycle = ReportingCycle.Annual, targetLevels = new[] { OrgUnitLevel.Village },
                deadlineDays = 10, designer = "越权者", fields = new[] { new ProposedFieldBody("越权字段") },
                departmentCode = ids.GetValueOrDefault("departmentCode", "GAJ"), issuedWithoutAdmission = true, on = today, due = today.AddDays(30),
            }, options: TestJson.Options);
        }
        else if (method != "GET")
        {
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = await Antiforgery.GetOrAdd(caller.Client, TokenOfAsync),
                ["Note"] = "矩阵测试：越权的请求", ["Reasons"] = "矩阵测试：越权的请求", ["On"] = DateTime.UtcNow.ToString("yyyy-MM-dd"),
                ["Department"] = ids.GetValueOrDefault("departmentCode", "GAJ"), ["Designer"] = "越权者", ["WithoutAdmission"] = "true",
                ["field"] = ids.GetValueOrDefault("fieldId", "0"), ["code"] = AcceptBody.Decline,
                ["Form.Title"] = "越权改过的标题", ["Form.Designer"] = "越权者", ["Form.Fields"] = "越权字段", ["Form.Levels"] = "Village", ["Form.DeadlineDays"] = "10",
            });
        }
        return await caller.Client.SendAsync(request);
    }

    /// <summary>The antiforgery token of a signed-in person, from a page every person may open; it is good for every page.</summary>
    private static async Task<string> TokenOfAsync(HttpClient client)
    {
        var html = await client.GetStringAsync("/Account/ChangePassword");
        return System.Net.WebUtility.HtmlDecode(AntiforgeryToken().Match(html) is { Success: true } m ? m.Groups[1].Value
            : throw new InvalidOperationException("No antiforgery token on /Account/ChangePassword"));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    private static async Task<(Caller Bearer, Caller Cookie)> PersonAsync(OneFormHost app, Role role, Callers kind, string? unit, string? department, string name)
    {
        var user = await app.CreateUserAsync(role, unit, department);
        return (new($"{name}", kind, await PageSession.BearerAsync(app, user.UserName!), true, false, unit ?? department),
            new($"{name} (cookie)", kind, (await PageSession.SignedInAsync(app, user.UserName!)).Client, false, false, unit ?? department));
    }

    private static Dictionary<string, string> Ids(int id, params (string Name, int Value)[] more) =>
        more.Append(("id", id)).ToDictionary(p => p.Item1, p => p.Item2.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static async Task<string> SnapshotAsync<T>(OneFormHost app, Func<OneFormDbContext, Task<T>> read) =>
        JsonSerializer.Serialize(await app.WithDbAsync(read), Snapshots);

    /// <summary>
    /// Two reports filed by a cadre of 锦绣社区 with a photo: hers, and the gatekeeper's and the administrator's who keep
    /// reports; nobody else's, her own unit head's neither. Once one is found against a department, that department
    /// reads it too, but not its evidence (which may show who reported).
    /// </summary>
    private static async Task<Owned[]> ReportsAsync(OneFormHost app, List<Caller> callers)
    {
        var (cadre, cadreCookie) = await PersonAsync(app, Role.Cadre, Callers.Cadre, Jinxiu, null, "the reporter");
        // A finding names a department of its own, so that no other test's assessment moves.
        var responsible = await NewDepartmentAsync(app, "矩阵测试责任单位");
        async Task<ReportView> FileAsync(string marker, bool photo)
        {
            using var filing = new MultipartFormDataContent
            {
                { new StringContent(marker), "formTitle" }, { new StringContent("某办公室"), "sentBy" }, { new StringContent("ChatMessage"), "channel" },
                { new StringContent(DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd")), "receivedOn" },
            };
            if (photo)
            {
                filing.Add(new ByteArrayContent(TestPhotos.Jpeg(320, 240)), "files", $"IMG_{marker}.jpg");
            }
            var filed = await cadre.Client.PostAsync("/api/v1/reports", filing);
            Assert.True(filed.StatusCode == HttpStatusCode.Created, await filed.Content.ReadAsStringAsync());
            return (await filed.Content.ReadFromJsonAsync<ReportView>(TestJson.Options))!;
        }
        static bool Keeps(Caller c) => c.Kind is Callers.Gatekeeper or Callers.Administrator;
        Owned Report(string what, string marker, ReportView report, Func<Caller, string, bool> alsoSees)
        {
            var id = report.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var evidence = Assert.Single(report.Evidence).Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return new Owned(what, [Operations.ReportsFile, Operations.ReportsRead, Operations.ReportsHandle],
                new Dictionary<string, string> { ["id"] = id, ["evidenceId"] = evidence, ["departmentCode"] = responsible }, marker, [cadre, cadreCookie], alsoSees,
                () => SnapshotAsync(app, async db => new
                {
                    Report = await db.Reports.AsNoTracking().Include(r => r.Evidence).SingleAsync(r => r.Id == report.Id),
                    Deductions = await db.Deductions.CountAsync(d => d.ReportId == report.Id),
                    Audited = await db.AuditEntries.CountAsync(a => a.EntityKey == evidence || a.EntityKey == id),
                }),
                Keeps, async () => new Dictionary<string, string>(Ids((await FileAsync(marker, photo: false)).Id)) { ["departmentCode"] = responsible });
        }

        var received = "matrix-report-" + Guid.NewGuid().ToString("N")[..8];
        var receivedReport = Report("a report", received, await FileAsync(received, photo: true), (c, _) => Keeps(c));

        var (head, headCookie) = await PersonAsync(app, Role.Department, Callers.Department, null, responsible, $"a person of {responsible}");
        var foundMarker = "matrix-report-" + Guid.NewGuid().ToString("N")[..8];
        var found = await FileAsync(foundMarker, photo: true);
        var gatekeeper = callers.Single(c => c.Kind == Callers.Gatekeeper && c.Bearer).Client;
        Assert.Equal(HttpStatusCode.OK, (await gatekeeper.PostAsync($"/api/v1/reports/{found.Id}/investigate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gatekeeper.PostAsJsonAsync($"/api/v1/reports/{found.Id}/substantiate",
            new FindingBody(responsible, "某人", false, "属实"), TestJson.Options)).StatusCode);
        var substantiated = Report($"a report found against {responsible}", foundMarker, found,
            (c, pattern) => Keeps(c) || c.Bound == responsible && !pattern.Contains("/evidence", StringComparison.Ordinal))
            with { Others = [head, headCookie], Secret = ($"IMG_{foundMarker}.jpg", Keeps) };
        return [receivedReport, substantiated];
    }

    private static async Task<string> NewDepartmentAsync(OneFormHost app, string name)
    {
        var code = "T" + Guid.NewGuid().ToString("N")[..5].ToUpperInvariant();
        await app.WithDbAsync(async db =>
        {
            db.Departments.Add(new Department { Code = code, Name = name + code, EnglishName = "Matrix test bureau" });
            return await db.SaveChangesAsync();
        });
        return code;
    }

    /// <summary>民政局's draft admission request: its department's alone (the gatekeeper sees a request once it is submitted).</summary>
    private static async Task<Owned> ProposalAsync(OneFormHost app, List<Caller> welfare)
    {
        var marker = "matrix-proposal-" + Guid.NewGuid().ToString("N")[..8];
        async Task<int> ProposeAsync()
        {
            var created = await welfare.Single(c => c.Bearer).Client.PostAsJsonAsync("/api/v1/admission-requests", new AdmissionBody(marker, null, FormCategory.Livelihood,
                ReportingCycle.Annual, [OrgUnitLevel.Village], 10, "某人", [new("入户走访次数")]), TestJson.Options);
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
            return (await created.Content.ReadFromJsonAsync<AdmissionDetail>(TestJson.Options))!.Id;
        }
        async Task<IReadOnlyDictionary<string, string>> AnotherAsync()
        {
            var id = await ProposeAsync();
            var field = await app.WithDbAsync(db => db.ProposedFields.Where(f => f.RequestId == id).Select(f => f.Id).SingleAsync());
            return Ids(id, ("fieldId", field));
        }
        var ids = await AnotherAsync();
        var id = int.Parse(ids["id"], System.Globalization.CultureInfo.InvariantCulture);
        return new Owned("民政局's proposal", [Operations.AdmissionRead, Operations.AdmissionPropose, Operations.AdmissionDecide], ids, marker, welfare, (_, _) => false,
            () => SnapshotAsync(app, db => db.AdmissionRequests.AsNoTracking().Include(r => r.Fields).SingleAsync(r => r.Id == id)),
            _ => true, AnotherAsync);
    }

    /// <summary>
    /// A department of its own asks 民政局 for a grant (its own and 民政局's to decide, the overseers' to see) and, with a
    /// person-level grant in force, exports 锦绣社区's roster (its asker's alone: not its department's token's, not 民政局's).
    /// </summary>
    private static async Task<Owned[]> GrantAndExportAsync(OneFormHost app, List<Caller> welfare, List<Caller> callers)
    {
        var department = await NewDepartmentAsync(app, "矩阵测试局");
        var (asker, askerCookie) = await PersonAsync(app, Role.Department, Callers.Department, null, department, $"a person of {department}");
        var marker = "matrix-grant-" + Guid.NewGuid().ToString("N")[..8];
        async Task<GrantView> AskAsync(GrantRequest request)
        {
            var asked = await asker.Client.PostAsJsonAsync("/api/v1/grants", request, TestJson.Options);
            Assert.True(asked.StatusCode == HttpStatusCode.Created, await asked.Content.ReadAsStringAsync());
            return (await asked.Content.ReadFromJsonAsync<GrantView>(TestJson.Options))!;
        }
        var grant = await AskAsync(new GrantRequest(["DIBAO_PERSONS"], Jinxiu, 2026, 2026, marker));

        var roster = await AskAsync(new GrantRequest(["PA_LOW_INCOME"], Jinxiu, 2026, 2026, "低保对象核对", PersonLevel: true));
        Assert.Equal(HttpStatusCode.OK, (await welfare.Single(c => c.Bearer).Client.PostAsJsonAsync($"/api/v1/grants/{roster.Id}/approve",
            new GrantDecision(null, null), TestJson.Options)).StatusCode);
        var queued = await asker.Client.PostAsJsonAsync("/api/v1/exports/roster", new RosterExportRequest(Jinxiu, MinAge: 60, Attributes: "PA_LOW_INCOME"), TestJson.Options);
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        var export = (await queued.Content.ReadFromJsonAsync<ExportView>(TestJson.Options))!;
        export = await OneForm.Tests.Sharing.ExportProgress.FinishedAsync(asker.Client, export);
        Assert.Equal("Done", export.State);

        // Those with the very same rights are not the asker either: a colleague, and their department's system token.
        var (colleague, colleagueCookie) = await PersonAsync(app, Role.Department, Callers.Department, null, department, $"another person of {department}");
        var issued = await callers.Single(c => c.Kind == Callers.Administrator && c.Bearer).Client.PostAsJsonAsync("/api/v1/access-tokens",
            new IssueTokenRequest("矩阵测试局系统", TokenHolder.Department, department, null, 1));
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var system = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        system.DefaultRequestHeaders.Authorization = new("Bearer", (await issued.Content.ReadFromJsonAsync<IssuedTokenResponse>())!.Token);
        List<Caller> colleagues = [colleague, colleagueCookie, new($"department token of {department}", Callers.DepartmentToken, system, true, true, department)];

        return
        [
            new Owned($"{department}'s grant", [Operations.GrantsRead, Operations.GrantsRequest, Operations.GrantsDecide],
                new Dictionary<string, string> { ["id"] = grant.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, marker,
                [asker, askerCookie, .. welfare], (c, _) => c.Kind is Callers.Gatekeeper or Callers.Administrator,
                () => SnapshotAsync(app, db => db.DataGrants.AsNoTracking().Include(g => g.Elements).SingleAsync(g => g.Id == grant.Id)),
                // The asker sees its grant but does not decide it: the owner of the elements and the gatekeeper do.
                c => c.Bound == "MZJ" || c.Kind == Callers.Gatekeeper,
                async () => Ids((await AskAsync(new GrantRequest(["DIBAO_PERSONS"], Jinxiu, 2026, 2026, marker))).Id)),
            new Owned($"{department}'s export", [Operations.ExportsOwn],
                new Dictionary<string, string> { ["id"] = export.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, export.Download!,
                [asker, askerCookie], (_, _) => false,
                () => SnapshotAsync(app, async db => new
                {
                    Export = await db.ExportJobs.AsNoTracking().SingleAsync(j => j.Id == export.Id),
                    Downloads = await db.AuditEntries.CountAsync(a => a.Kind == "Registry.RosterDownloaded" && a.Summary!.StartsWith($"export {export.Id}:")),
                }),
                _ => true, () => throw new InvalidOperationException("An export has had no step that changes it: say how to make another one.")) with { Others = colleagues },
        ];
    }
}
