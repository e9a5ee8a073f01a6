using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Common;
using OneForm.Data;
using OneForm.Organization;
using OneForm.Organization.Divisions;
using OneForm.Testing;
using OneForm.Tests.Hosting;
using OneForm.Tests.Organization;

namespace OneForm.Tests.Localization;

/// <summary>Pages a person reads in Chinese show states, types, cycles and levels by their Chinese names, never the code's.</summary>
[Collection(nameof(AppsCollection))]
public sealed partial class ChinesePageTests(Apps apps)
{
    /// <summary>What a reader sees: the page's text without its tags, scripts and attribute values.</summary>
    private static string Visible(string html) =>
        WebUtility.HtmlDecode(Tags().Replace(Scripts().Replace(html, " "), " "));

    [GeneratedRegex("<(script|style)[^>]*>.*?</\\1>", RegexOptions.Singleline)]
    private static partial Regex Scripts();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    private static void ShowsNone(string text, params string[] raw)
    {
        foreach (var word in raw)
        {
            Assert.DoesNotMatch($"\\b{word}\\b", text);
        }
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_dictionary_names_value_types_aggregations_and_sources_in_Chinese(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var gatekeeper = await PageSession.SignedInAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        var code = await app.WithDbAsync(db => db.DataElements.Where(e => e.ValueType == OneForm.Dictionary.ElementValueType.Integer).Select(e => e.Code).FirstAsync());

        var list = Visible(await gatekeeper.GetHtmlAsync("/Dictionary"));
        var edit = Visible(await gatekeeper.GetHtmlAsync($"/Dictionary/Edit?code={code}"));

        Assert.Contains("整数", list);
        Assert.Contains("整数", edit);
        ShowsNone(list, "Integer", "Decimal", "OptionSet", "YesNo", "Sum", "Entered", "Derived");
        ShowsNone(edit, "Integer", "Decimal", "OptionSet", "YesNo", "Sum", "Average", "Entered", "Derived", "Last");
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_inventory_names_the_legacy_forms_cycles_in_Chinese(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var gatekeeper = await PageSession.SignedInAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);

        var inventory = Visible(await gatekeeper.GetHtmlAsync("/Catalog/Inventory"));

        Assert.Contains("月报", inventory);
        Assert.Contains("季报", inventory);
        ShowsNone(inventory, "Monthly", "Quarterly", "OneOff", "Annual", "HalfYearly", "Irregular");
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_audit_trail_says_what_changed_in_a_sentence_with_states_by_their_names(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var actor = await app.CreateUserAsync(Role.Administrator, prefix: "auditzh");
        // A report moving from investigation to substantiated, as the report workflow records it.
        await app.WithDbAsync(async db =>
        {
            db.AuditEntries.Add(new AuditEntry
            {
                At = DateTimeOffset.UtcNow, ActorId = actor.Id, Kind = "Report.Modified", EntityType = "Report", EntityKey = "1",
                Changes = """{"State":["Investigating","Substantiated"],"RevealReporter":[false,true],"Channel":[null,"PhoneCall"]}""",
            });
            return await db.SaveChangesAsync();
        });
        var gatekeeper = await PageSession.SignedInAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);

        var trail = Visible(await gatekeeper.GetHtmlAsync($"/Oversight/Audit?actor={actor.UserName}"));

        Assert.Contains("状态：调查中 → 举报属实", trail);
        Assert.Contains("途径：电话", trail);
        Assert.Contains("→ 是", trail);
        ShowsNone(trail, "Investigating", "Substantiated", "PhoneCall", "true", "false");
        Assert.DoesNotContain("[\"", trail);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_audit_trail_gives_an_admission_decision_s_analysis_by_its_figures_not_as_JSON(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var actor = await app.CreateUserAsync(Role.Gatekeeper, prefix: "auditanalysis");
        // The analysis frozen with a decision, as the admission workflow records it (shortened: one field of eight).
        var analysis = """{"Fields":[{"Id":1,"Order":1,"Name":"\u515a\u5458","Matches":[{"Code":"POP_REGISTERED"}]}],"Held":5,"Derivable":1,"New":2,"Roster":0,"ShareHeld":0.75}""";
        await app.WithDbAsync(async db =>
        {
            db.AuditEntries.Add(new AuditEntry
            {
                At = DateTimeOffset.UtcNow, ActorId = actor.Id, Kind = "AdmissionRequest.Modified", EntityType = "AdmissionRequest", EntityKey = "1",
                Changes = JsonSerializer.Serialize(new Dictionary<string, string?[]> { ["State"] = ["Submitted", "Admitted"], ["DecisionAnalysis"] = [null, analysis] }),
            });
            return await db.SaveChangesAsync();
        });
        var gatekeeper = await PageSession.SignedInAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);

        var trail = Visible(await gatekeeper.GetHtmlAsync($"/Oversight/Audit?actor={actor.UserName}"));

        Assert.Contains("决定时的分析：已掌握 5 项，可推算 1 项，新增 2 项", trail);
        ShowsNone(trail, "DecisionAnalysis", "POP_REGISTERED", "Fields");
        Assert.DoesNotContain("{\"", trail);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_divisions_import_takes_a_GB18030_file_with_Chinese_level_names(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var f = new DivisionFiles();
        f.Unit(f.Prefecture, $"测试州{f.Prefix}", "地", null)
         .Unit(f.County(1), "测试县", "县", f.Prefecture)
         .Unit(f.Township(1, 1), "测试镇", "乡", f.County(1))
         .Unit(f.Village(1, 1, 1), "测试社区", "村", f.Township(1, 1))
         .Unit(f.Village(1, 1, 2), "测试村", "village", f.Township(1, 1))
         .Unit(f.Village(1, 1, 3), "城中村", "城市", f.Township(1, 1));
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var gb18030 = Encoding.GetEncoding("GB18030", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback).GetBytes(f.ToString());
        Assert.Throws<DecoderFallbackException>(() => new UTF8Encoding(false, true).GetString(gb18030));

        ImportReport report;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<AuditActor>().ActAs("test");
            report = await scope.ServiceProvider.GetRequiredService<DivisionImporter>().ImportAsync(new MemoryStream(gb18030), "gb18030.csv");
        }

        Assert.Null(report.FileError);
        Assert.Equal(5, report.Added);
        var rejected = Assert.Single(report.Rejected);
        Assert.Contains("城市", rejected.Reason);
        var stored = await app.WithDbAsync(db => db.OrgUnits.Where(u => u.Code.StartsWith(f.Prefix)).OrderBy(u => u.Path)
            .Select(u => new { u.Name, u.Level }).ToListAsync());
        Assert.Equal([($"测试州{f.Prefix}", OrgUnitLevel.Prefecture), ("测试县", OrgUnitLevel.County), ("测试镇", OrgUnitLevel.Township),
            ("测试社区", OrgUnitLevel.Village), ("测试村", OrgUnitLevel.Village)], stored.Select(u => (u.Name, u.Level)));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_divisions_page_names_the_levels_in_Chinese_and_a_UTF8_file_with_a_BOM_still_imports(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var admin = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Administrator)).UserName!);
        var f = new DivisionFiles();
        f.Unit(f.Prefecture, $"测试州{f.Prefix}", "地州级", null).Unit(f.County(1), "测试县", "county", f.Prefecture);
        byte[] withBom = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(f.ToString())];

        var page = Visible(await admin.GetHtmlAsync("/Admin/Divisions"));
        var response = await admin.UploadAsync("/Admin/Divisions", "/Admin/Divisions", withBom, "bom.csv");

        Assert.Contains("省、地、县、乡或村", page);
        Assert.Contains("GB18030", page);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = Visible(await response.Content.ReadAsStringAsync());
        Assert.Contains("新增2个", result);
        Assert.Equal(OrgUnitLevel.Prefecture, await app.WithDbAsync(db => db.OrgUnits.Where(u => u.Code == f.Prefecture).Select(u => u.Level).SingleAsync()));
    }
}
