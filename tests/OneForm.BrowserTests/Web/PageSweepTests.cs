using System.Globalization;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OneForm.Admission;
using OneForm.Catalog;
using OneForm.Data;
using OneForm.Demo;
using OneForm.Dictionary;
using OneForm.Organization;
using Xunit.Abstractions;

namespace OneForm.BrowserTests.Web;

/// <summary>
/// Issue 15's "keep it so": every page of the app (read from its endpoint table, so a new page is swept without being
/// listed), as every role that may open it, on a 360 px phone in Chinese and in English and on a 1280 px desk in Chinese
/// (English text is longer, so where it fits a phone it fits a desk, and its words are the same at both sizes). A page
/// fails on a raw enum name or code shown as text (outside the code columns, marked <c>code</c> or <c>.code</c>), on
/// overflowing its width, on tap targets under 44 px or a table that scrolls sideways without saying so on a phone, and
/// on any serious or critical finding of axe-core (run on the phone in Chinese: the markup and colours are the same in
/// the other views). Screenshots of every page per role (Chinese, both sizes) land in <c>artifacts/screenshots/sweep/</c>.
/// </summary>
[Collection(nameof(SweepCollection))]
public sealed partial class PageSweepTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const string Jinxiu = "652301004002";

    /// <summary>The roles, each by a demo account, and nobody signed in ("").</summary>
    private static readonly string[] AccountNames = ["", "cadre.jinxiu", "head.jinxiu", "reviewer.jianguolu", "dept.minzheng", "gatekeeper", "admin"];

    public static TheoryData<string> Accounts => [.. AccountNames];

    /// <summary>Pages whose GET only sends people elsewhere (signing out, the urge form's post-only page): nothing to look at.</summary>
    private static readonly HashSet<string> Redirects = ["/Account/Logout", "/Messages/Urge"];

    /// <summary>One page to open: its route pattern and the address with its parameters filled for this role.</summary>
    private sealed record Visit(string Pattern, string Url);

    [Theory, MemberData(nameof(Accounts))]
    public async Task Every_page_the_role_may_open_reads_well_on_a_phone_and_a_desk_in_Chinese_and_English(string account)
    {
        var samples = await SamplesAsync();
        var visits = VisitsFor(account, samples);
        Assert.NotEmpty(visits);
        Directory.CreateDirectory(TextFolder);
        var problems = new List<string>();
        var counts = await Task.WhenAll(SweepAsync(account, visits, phone: true, problems), SweepAsync(account, visits, phone: false, problems));
        output.WriteLine($"{Name(account)}: {visits.Count} pages × 3 views (phone zh and en, desk zh) = {counts.Sum()} page views");
        foreach (var visit in visits)
        {
            output.WriteLine($"  {visit.Url}");
        }
        // Every problem goes to a file beside the screenshots; the failure message shows the first of each kind of problem per page.
        var all = problems.Distinct().Order(StringComparer.Ordinal).ToList();
        await File.WriteAllLinesAsync(Path.Combine(browser.Screenshots, "sweep", $"problems-{Name(account)}.txt"), all);
        await File.WriteAllLinesAsync(Path.Combine(browser.Screenshots, "sweep", $"timings-{Name(account)}.txt"), timings);
        Assert.True(all.Count == 0, $"{all.Count} problems on the pages of {Name(account)} (all in artifacts/screenshots/sweep/problems-{Name(account)}.txt):\n"
            + string.Join("\n", all.DistinctBy(p => Regex.Replace(p, @"^\S+ \d+px (zh|en) | the (period )?code \S+$", "")).Take(150)));
    }

    [Fact]
    public async Task Every_page_is_swept_by_at_least_one_role()
    {
        var samples = await SamplesAsync();
        var swept = AccountNames.SelectMany(a => VisitsFor(a, samples)).Select(v => v.Pattern).ToHashSet();
        var pages = PageRoutes().Select(r => r.Pattern).Where(p => !Redirects.Contains(p)).ToHashSet();
        var missed = pages.Except(swept).Order(StringComparer.Ordinal).ToList();
        Assert.True(missed.Count == 0, "Pages no role sweeps: " + string.Join(", ", missed));
        Assert.True(pages.Count >= 45, $"only {pages.Count} pages found: the enumeration is broken");
    }

    /// <summary>How long each view took to open, to look at and to check with axe-core, written beside the problems.</summary>
    private readonly List<string> timings = [];

    private async Task<int> SweepAsync(string account, List<Visit> visits, bool phone, List<string> problems)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = browser.Host.ServerAddress.ToString().TrimEnd('/'),
            ViewportSize = phone ? new ViewportSize { Width = 360, Height = 780 } : new ViewportSize { Width = 1280, Height = 900 },
            IsMobile = phone,
            HasTouch = phone,
            // The sweep looks at pages, not at keeping them offline: no service worker between the page and the server.
            ServiceWorkers = ServiceWorkerPolicy.Block,
        });
        var size = phone ? "360" : "1280";
        var views = 0;
        try
        {
            var page = await context.NewPageAsync();
            if (account != "")
            {
                await Phone.SignInAsync(page, account);
            }
            foreach (var chinese in phone ? [false, true] : new[] { true })
            {
                if (chinese && phone)
                {
                    // From here on axe-core (the engine Deque ships) is in every page from its start and runs in the page
                    // itself, many times faster than the wrapper that finishes each run in a blank page of its own.
                    await context.AddInitScriptAsync(AxeSource.Value);
                }
                await context.AddCookiesAsync([new Cookie
                {
                    Name = CookieRequestCultureProvider.DefaultCookieName,
                    Value = CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chinese ? "zh-CN" : "en")),
                    Url = browser.Host.ServerAddress.ToString(),
                }]);
                foreach (var visit in visits)
                {
                    var where = $"{Name(account)} {size}px {(chinese ? "zh" : "en")} {visit.Url}";
                    var found = await LookAsync(page, visit, phone, chinese, where, timings);
                    lock (problems)
                    {
                        problems.AddRange(found);
                    }
                    views++;
                    if (chinese)
                    {
                        await page.ScreenshotAsync(new PageScreenshotOptions
                        {
                            Path = Path.Combine(browser.Screenshots, "sweep", $"{Name(account)}{Slug(visit.Url)}-{size}.png"),
                        });
                    }
                }
            }
        }
        finally
        {
            await context.CloseAsync();
        }
        return views;
    }

    /// <summary>Opens one page and says what is wrong with it, each problem naming the role, size, language and page.</summary>
    private static async Task<List<string>> LookAsync(IPage page, Visit visit, bool phone, bool chinese, string where, List<string> timings)
    {
        var problems = new List<string>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var response = await page.GotoAsync(visit.Url);
        var opened = clock.Elapsed.TotalSeconds;
        if (response is null || response.Status >= 400 && !(visit.Pattern == "/Account/AccessDenied" && response.Status == 403))
        {
            return [$"{where}: answered {response?.Status}"];
        }
        var landed = new Uri(page.Url).AbsolutePath;
        if (landed.StartsWith("/Account/Login", StringComparison.Ordinal) && visit.Pattern != "/Account/Login" || landed.StartsWith("/Account/AccessDenied", StringComparison.Ordinal) && visit.Pattern != "/Account/AccessDenied")
        {
            return [$"{where}: sent to {landed}"];
        }
        var look = await page.EvaluateAsync<PageLook>(LookScript, phone);
        var looked = clock.Elapsed.TotalSeconds;
        if (look.Overflow > 0)
        {
            problems.Add($"{where}: {look.Overflow}px wider than the screen ({look.Widest})");
        }
        if (look.SilentScroll > 0)
        {
            problems.Add($"{where}: {look.SilentScroll} tables scroll sideways without a hint above them");
        }
        if (phone && look.Small.Length > 0)
        {
            problems.Add($"{where}: tap targets under 44px: {string.Join("; ", look.Small.Take(8))}{(look.Small.Length > 8 ? $" (+{look.Small.Length - 8})" : "")}");
        }
        // The account's own name (admin, gatekeeper) is how it signs in, an identifier like a code.
        if (RawNames(look.Text.Replace(Account(where), " ", StringComparison.Ordinal), chinese) is { Count: > 0 } raw)
        {
            problems.Add($"{where}: shows {string.Join("; ", raw)}");
        }
        // axe-core once per content: a page whose main part another role already had checked is not checked again.
        if (chinese && phone && CheckedByAxe.TryAdd(look.Content, true))
        {
            foreach (var violation in await page.EvaluateAsync<string[]>(AxeScript))
            {
                problems.Add($"{where}: axe {violation}");
            }
        }
        lock (timings)
        {
            timings.Add($"{opened:0.00}s open, {looked - opened:0.00}s look, {clock.Elapsed.TotalSeconds - looked:0.00}s axe: {where}");
        }
        if (problems.Count > 0)
        {
            // The text the sweep read, beside the screenshots, to find what it complained about.
            await File.WriteAllTextAsync(Path.Combine(TextFolder, Slug(where) + ".txt"), look.Text);
        }
        return problems;
    }

    private static string TextFolder => Path.Combine(AppContext.BaseDirectory, "sweep-text");

    private sealed class PageLook
    {
        public int Overflow { get; set; }
        public string Widest { get; set; } = "";
        public string[] Small { get; set; } = [];
        public int SilentScroll { get; set; }
        public string Text { get; set; } = "";

        /// <summary>The main part's markup without its antiforgery tokens: the same content for two roles is the same page to axe.</summary>
        public string Content { get; set; } = "";
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> CheckedByAxe = new();

    private static readonly Lazy<string> AxeSource = new(() =>
    {
        using var stream = typeof(AxeResult).Assembly.GetManifestResourceStream("Deque.AxeCore.Commons.Resources.axe.min.js")!;
        return new StreamReader(stream).ReadToEnd();
    });

    /// <summary>The serious and critical findings of axe-core on the page, each with its rule, help and first three places.</summary>
    private const string AxeScript = """
        async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
          .filter(v => v.impact === 'serious' || v.impact === 'critical')
          .map(v => `${v.impact} ${v.id} (${v.help}) at ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`)
        """;

    /// <summary>
    /// Run in the page: how far it overflows and what sticks out; the tap targets under 44 px (a checkbox or radio by
    /// its label; a link inside a sentence is exempt, as WCAG's inline exception says); the visible text outside
    /// <c>code</c> elements, where an identifier may be shown on purpose.
    /// </summary>
    private const string LookScript = """
        phone => {
          const visible = e => { const s = getComputedStyle(e); const r = e.getBoundingClientRect();
            return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 0 && r.height > 0; };
          const width = document.documentElement.clientWidth;
          const overflow = Math.max(0, document.documentElement.scrollWidth - width);
          let widest = '';
          if (overflow > 0) {
            const over = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > width + 1)
              .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > width + 1));
            widest = over.slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : '') + ' "' + (e.innerText || '').trim().slice(0, 20) + '"').join(', ');
          }
          // A table wider than the phone scrolls inside itself and says so above it.
          const silentScroll = phone ? [...document.querySelectorAll('main table')].filter(t => visible(t) && t.scrollWidth > t.clientWidth + 1
            && !(t.previousElementSibling && t.previousElementSibling.classList.contains('scroll-hint'))).length : 0;
          const small = [];
          if (phone) {
            for (const e of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]')) {
              if (!visible(e) || e.closest('[hidden], .sr-only')) continue;
              let target = e;
              if (e.matches('input[type=checkbox], input[type=radio]')) target = e.closest('label') || (e.id && document.querySelector(`label[for="${e.id}"]`)) || e;
              if (e.tagName === 'A' && getComputedStyle(e).display === 'inline' && e.parentElement && [...e.parentElement.childNodes].some(n => n.nodeType === 3 && n.textContent.trim().length > 0)) continue;
              const r = target.getBoundingClientRect();
              if (r.height < 43.5 || r.width < 43.5) small.push(`${e.tagName.toLowerCase()} "${(e.innerText || e.value || e.name || e.getAttribute('aria-label') || '').trim().slice(0, 24)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
            }
          }
          const parts = [];
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
            acceptNode: n => n.parentElement.closest('code, .code, script, style, noscript, template, [hidden], [lang]:not([lang^=zh]):not(html)') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT });
          while (walker.nextNode()) { const n = walker.currentNode; if (n.textContent.trim() && visible(n.parentElement)) parts.push(n.textContent.trim()); }
          for (const e of document.querySelectorAll('input[placeholder], textarea[placeholder], [aria-label], [title], img[alt]'))
            if (visible(e) && !e.closest('code, .code')) parts.push(e.getAttribute('placeholder') || e.getAttribute('aria-label') || e.getAttribute('title') || e.getAttribute('alt') || '');
          const main = document.querySelector('main');
          const content = main ? main.outerHTML.replace(/name="__RequestVerificationToken"[^>]*/g, '') : location.pathname;
          return { overflow, widest, small, silentScroll, text: parts.join('\n'), content };
        }
        """;

    /// <summary>Period codes (2026Q4, 2026M11, 2026H2), element codes (DIBAO_PERSONS), JSON and enum member names.</summary>
    [GeneratedRegex(@"(?<![\w-])\d{4}(?:Q[1-4]|M(?:1[0-2]|0?[1-9])|H[12]|Y)(?![\w-])")]
    private static partial Regex PeriodCode();

    [GeneratedRegex(@"(?<![\w./-])[A-Z][A-Z0-9]+(?:_[A-Z0-9]+)+(?![\w.-])")]
    private static partial Regex ElementCode();

    [GeneratedRegex(@"\[""|""\]|\{""")]
    private static partial Regex Json();

    [GeneratedRegex(@"(?<![\w.@/-])[A-Za-z]{3,}(?![\w@/-])")]
    private static partial Regex LatinWord();

    /// <summary>What a Chinese page may show in Latin letters: account names, admission codes, file kinds, units of measure, the product's API.</summary>
    [GeneratedRegex(@"[a-z0-9]+(?:\.[a-z0-9]+)+|\b[A-Z]{2,}(?:-[A-Z0-9]+)+\b|https?://\S+|\S+@\S+")]
    private static partial Regex Identifier();

    private static readonly HashSet<string> LatinAllowed = ["xlsx", "csv", "CSV", "XLSX", "API", "OpenAPI", "Excel", "ODK", "Central", "PDF", "kWh", "GB", "MB", "KB", "Bearer", "JSON", "VAPID", "Webhook"];

    /// <summary>The names of the app's own enums, as code spells them: compound ones (NotStarted, OptionSet) are never English.</summary>
    private static readonly HashSet<string> EnumNames = typeof(Role).Assembly.GetTypes()
        .Where(t => t.IsEnum && t.Namespace?.StartsWith("OneForm", StringComparison.Ordinal) == true)
        .SelectMany(t => Enum.GetNames(t)).Where(n => CompoundName().IsMatch(n)).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"^[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*$")]
    private static partial Regex CompoundName();

    private static List<string> RawNames(string text, bool chinese)
    {
        var found = new List<string>();
        if (PeriodCode().Matches(text) is { Count: > 0 } periods)
        {
            found.Add("period codes " + string.Join(", ", periods.Select(m => m.Value).Distinct().Take(5)));
        }
        if (ElementCode().Matches(text) is { Count: > 0 } codes)
        {
            found.Add("element codes " + string.Join(", ", codes.Select(m => m.Value).Distinct().Take(5)));
        }
        found.AddRange(Json().Matches(text).Select(m => $"JSON ({Around(text, m.Index)})"));
        var words = LatinWord().Matches(Identifier().Replace(text, " ")).Select(m => m.Value).ToList();
        found.AddRange(words.Where(EnumNames.Contains).Select(w => $"the enum name {w}"));
        if (chinese)
        {
            var english = words.Where(w => !LatinAllowed.Contains(w) && !EnumNames.Contains(w)).Distinct().ToList();
            if (english.Count > 0)
            {
                found.Add($"English on a Chinese page: {string.Join(", ", english.Take(12))}");
            }
        }
        return [.. found.Distinct()];
    }

    private static string Around(string text, int at) => text.Substring(Math.Max(0, at - 20), Math.Min(50, text.Length - Math.Max(0, at - 20))).ReplaceLineEndings(" ");

    /// <summary>The GET pages of the app, from its endpoint table, with the operation each declares (null: anyone).</summary>
    private List<(string Pattern, string? Operation)> PageRoutes() =>
        browser.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
            .Select(e => ("/" + (e.RoutePattern.RawText ?? "").TrimStart('/'),
                e.Metadata.GetMetadata<IAllowAnonymous>() is not null ? null
                    : e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>().FirstOrDefault(Operations.Admitted.ContainsKey)))
            // A folder's index page is also at the folder's address (/Index is /, /Reports/Index is /Reports): sweep it once.
            .Where(r => !r.Item1.EndsWith("/Index", StringComparison.Ordinal))
            .Select(r => (r.Item1.TrimEnd('/') is "" ? "/" : r.Item1.TrimEnd('/'), r.Item2))
            .DistinctBy(r => r.Item1).ToList();

    /// <summary>The pages this account may open, each once at its bare address and, where a page shows a result, once with one.</summary>
    private List<Visit> VisitsFor(string account, Samples samples)
    {
        var kind = account == "" ? Callers.None : Enum.Parse<Callers>(samples.Roles[account].ToString());
        var visits = new List<Visit>();
        foreach (var (pattern, operation) in PageRoutes())
        {
            if (Redirects.Contains(pattern) || pattern == "/Error" && account != "")
            {
                continue;
            }
            var may = operation is null ? account == "" || pattern is "/verify" or "/Status" or "/Error" : (Operations.Admitted[operation] & kind) != 0;
            if (!may || pattern == "/Account/Login" && account != "")
            {
                continue;
            }
            foreach (var url in samples.Urls(pattern, account, kind))
            {
                visits.Add(new Visit(pattern, url));
            }
        }
        return visits;
    }

    /// <summary>What the demo holds for the pages that show one thing: a task, a sheet, a form, a report, an admission request.</summary>
    private sealed record Samples(Dictionary<string, Role> Roles, int Task, string Sheet, string Period, int Form, int Report, int Admission, string CadreId,
        int LedgerKind, int Check, string Derived, string Element)
    {
        public IEnumerable<string> Urls(string pattern, string account, Callers kind)
        {
            var unitPeople = kind is Callers.Cadre or Callers.UnitHead or Callers.Reviewer;
            return pattern switch
            {
                "/Collection/Task/{id:int}" => unitPeople || kind == Callers.Administrator ? [$"/Collection/Task/{Task}"] : [],
                "/Collection/Sheet/{unit}/{category}/{end}" => unitPeople || kind == Callers.Administrator ? [$"/Collection/Sheet/{Sheet}"] : [],
                "/Activities" or "/Activities/New" => unitPeople ? [pattern] : [],
                "/Catalog/Form/{id:int}" => [$"/Catalog/Form/{Form}"],
                "/Reports/{id:int}" => account is "cadre.jinxiu" or "gatekeeper" or "admin" ? [$"/Reports/{Report}"] : [],
                "/Admission/Request/{id:int}" => account is "dept.minzheng" or "gatekeeper" or "admin" ? [$"/Admission/Request/{Admission}"] : [],
                "/Admission/Edit" => ["/Admission/Edit"],
                "/Admin/Accounts/Edit" => [$"/Admin/Accounts/Edit?id={CadreId}"],
                // Only the keeper of the catalogue (the gatekeeper) edits the dictionary; others read it.
                "/Dictionary/Edit" => kind is Callers.Gatekeeper ? ["/Dictionary/Edit", "/Dictionary/Edit?code=DISPUTES_SCREENED"] : [],
                "/Dictionary/Rule" => [$"/Dictionary/Rule?code={Derived}"],
                "/Dictionary/Checks" => ["/Dictionary/Checks", $"/Dictionary/Checks?id={Check}"],
                "/Ledgers/Entry" => [$"/Ledgers/Entry?kind={LedgerKind}"],
                // A unit's ledgers are its people's and its reviewer's; others read ledger kinds and rules.
                "/Ledgers" => unitPeople ? ["/Ledgers", $"/Ledgers?kind={LedgerKind}"] : [],
                "/Statistics" => ["/Statistics", $"/Statistics?elements=DIBAO_PERSONS,HOUSEHOLD_POPULATION&level=Village&periods={Period}"],
                "/Collection/Review" => ["/Collection/Review", $"/Collection/Review?unit={Jinxiu}", "/Collection/Review?notStarted=true"],
                "/Collection/Submissions" => ["/Collection/Submissions", $"/Collection/Submissions?form=CJ-DJ-01&period={Period}"],
                "/Registry/Residents" => ["/Registry/Residents", $"/Registry/Residents?unit={Jinxiu}"],
                "/Organization" => ["/Organization", $"/Organization?code={Jinxiu}"],
                _ when pattern.Contains('{', StringComparison.Ordinal) => [],
                _ => [pattern],
            };
        }
    }

    /// <summary>Made once for the whole sweep: every role's test reads the same report and request.</summary>
    private static Task<Samples>? samples;
    private static readonly Lock SamplesLock = new();

    private Task<Samples> SamplesAsync()
    {
        lock (SamplesLock)
        {
            return samples ??= MakeSamplesAsync();
        }
    }

    private async Task<Samples> MakeSamplesAsync()
    {
        var host = browser.Host;
        var roles = await host.WithDbAsync(db => db.Users.Where(u => AccountNames.Contains(u.UserName!))
            .ToDictionaryAsync(u => u.UserName!, u => u.Role));
        var (task, period) = await host.WithDbAsync(async db =>
        {
            var unit = await db.OrgUnits.Where(u => u.Code == Jinxiu).Select(u => u.Id).SingleAsync();
            var form = await db.Forms.Where(f => f.Code == "CJ-DJ-01").Select(f => f.Id).FirstAsync();
            var t = await db.FillingTasks.Where(t => t.OrgUnitId == unit && t.FormId == form).OrderByDescending(t => t.PeriodCode).FirstAsync();
            return (t.Id, t.PeriodCode);
        });
        var sheet = $"{Jinxiu}/PartyBuilding/{Period.Parse(period).End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
        var formId = await host.WithDbAsync(db => db.Forms.Where(f => f.Code == "CJ-DJ-01").Select(f => f.Id).FirstAsync());
        var cadreId = await host.WithDbAsync(db => db.Users.Where(u => u.UserName == "cadre.jinxiu").Select(u => u.Id).SingleAsync());
        var ledgerKind = await host.WithDbAsync(db => db.LedgerKinds.OrderBy(k => k.Id).Select(k => k.Id).FirstAsync());
        var check = await host.WithDbAsync(db => db.ValidationRules.OrderBy(r => r.Id).Select(r => r.Id).FirstAsync());
        var derived = await host.WithDbAsync(db => db.DataElements.Where(e => e.Source == ElementSource.Derived).OrderBy(e => e.Id).Select(e => e.Code).FirstAsync());

        // A report a cadre filed and an admission request a department submitted: the pages that show one need one.
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
        using var cadre = await BearerAsync("cadre.jinxiu");
        using var filing = new MultipartFormDataContent
        {
            { new StringContent("村级各类台账报送表"), "formTitle" }, { new StringContent("镇政府某办公室"), "sentBy" },
            { new StringContent("ChatMessage"), "channel" },
            { new StringContent(DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), "receivedOn" },
            { new StringContent("微信群里要求当晚报送，没有准入编号。"), "details" },
        };
        var filed = await cadre.PostAsync("/api/v1/reports", filing);
        Assert.True(filed.IsSuccessStatusCode, await filed.Content.ReadAsStringAsync());
        var report = (await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        using var welfare = await BearerAsync("dept.minzheng");
        var proposed = await welfare.PostAsJsonAsync("/api/v1/admission-requests", new AdmissionBody("庭院小菜园种植情况统计表", "掌握庭院小菜园种植情况",
            FormCategory.Development, ReportingCycle.Annual, [OrgUnitLevel.Village], 15, "李四（民政局）",
            [new("小菜园种植户数", Unit: "户"), new("小菜园面积（亩）", ElementValueType.Decimal), new("是否组织技术培训", ElementValueType.YesNo)]), json);
        Assert.True(proposed.IsSuccessStatusCode, await proposed.Content.ReadAsStringAsync());
        var admission = (await proposed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var submitted = await welfare.PostAsync($"/api/v1/admission-requests/{admission}/submit", null);
        Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
        return new Samples(roles, task, sheet, period, formId, report, admission, cadreId, ledgerKind, check, derived, "HOUSEHOLD_POPULATION");
    }

    private async Task<HttpClient> BearerAsync(string userName)
    {
        var client = new HttpClient { BaseAddress = browser.Host.ServerAddress };
        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { userName, password = DemoSeed.DefaultPassword });
        response.EnsureSuccessStatusCode();
        client.DefaultRequestHeaders.Authorization = new("Bearer", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        return client;
    }

    private static string Name(string account) => account == "" ? "visitor" : account;

    private static string Account(string where) => where[..where.IndexOf(' ', StringComparison.Ordinal)] is var name && name != "visitor" ? name : "\u0000";

    private static string Slug(string url) => Regex.Replace(url, "[^A-Za-z0-9]+", "-").TrimEnd('-');
}
