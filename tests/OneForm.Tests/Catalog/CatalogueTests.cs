using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using OneForm.Accounts;
using OneForm.Catalog;
using OneForm.Data;
using OneForm.Organization.Divisions;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Catalog;

[Collection(nameof(AppsCollection))]
public sealed class CatalogueTests(Apps apps)
{
    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_demo_catalogue_has_21_forms_over_a_shared_dictionary_and_a_compression_computed_from_313_legacy_forms(DatabaseProvider provider)
    {
        // The figures count every form in force: a host of its own, so forms other tests admit on the shared one do not count.
        await using var app = await OneFormHost.StartAsync(provider);
        var client = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);

        var figures = (await client.GetFromJsonAsync<CatalogueFigures>("/api/v1/catalogue/figures", Json))!;
        var forms = (await client.GetFromJsonAsync<List<FormSummary>>("/api/v1/forms"))!;
        var shared = await app.WithDbAsync(db => db.FormFields.GroupBy(f => f.DataElementId).CountAsync(g => g.Count() > 1));
        var legacy = await app.WithDbAsync(db => db.LegacyForms.GroupBy(l => l.Category).Select(g => g.Key).CountAsync());
        var items = await app.WithDbAsync(db => db.LegacyForms.Select(l => l.Item).Distinct().CountAsync());
        var prefecture = await app.WithDbAsync(db => db.LegacyForms.CountAsync(l => l.IssuerLevel == IssuerLevel.Prefecture));

        Assert.Equal(21, figures.FormsInForce);
        Assert.Equal(313, figures.Baseline);
        Assert.Equal(0.933, Math.Round(figures.CompressionRate, 3));
        Assert.Equal(4, figures.Categories.Count);
        Assert.Equal(21, forms.Count(f => f.Code.StartsWith("CJ-", StringComparison.Ordinal)));
        Assert.All(forms, f => Assert.NotNull(f.AdmissionCode));
        Assert.True(shared >= 40, $"only {shared} elements are shared by two forms or more");
        Assert.Equal((5, 192, 25), (legacy, items, prefecture));

        var html = await (await PageSession.SignedInAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword)).GetHtmlAsync("/Catalog");
        Assert.Contains("现行表格21张，清理前313张：压缩93.3%", html);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_gatekeeper_loads_the_inventory_from_xlsx_and_bad_rows_are_named_by_line(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        var first = await app.WithDbAsync(db => db.LegacyForms.AsNoTracking().SingleAsync(l => l.No == 1));
        var rows = new[]
        {
            Row(1, first.Name, first.Category, first.Item, first.Issuer, first.IssuerLevel.ToString().ToLowerInvariant(), "Quarterly", first.FieldCount, "abolished", ""),
            Row(2, "坏的去向", "综合事务", "事项", "某镇", "township", "Monthly", 10, "lost", ""),
            Row(3, "坏的合并", "综合事务", "事项", "某镇", "township", "Monthly", 10, "merged", "CJ-XX-99"),
            Row(4, "坏的层级", "综合事务", "事项", "某镇", "village", "Monthly", 10, "abolished", ""),
            Row(1, "重复序号", "综合事务", "事项", "某镇", "township", "Monthly", 10, "abolished", ""),
        };
        using var file = new MemoryStream();
        file.SaveAs(rows, excelType: ExcelType.XLSX);
        using var content = new MultipartFormDataContent { { new ByteArrayContent(file.ToArray()), "file", "inventory.xlsx" } };

        var response = await gatekeeper.PostAsync("/api/v1/catalogue/legacy-forms/import", content);
        var department = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        var refused = await department.PostAsync("/api/v1/catalogue/legacy-forms/import", new MultipartFormDataContent());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = (await response.Content.ReadFromJsonAsync<ImportReport>())!;
        Assert.Equal(1, report.Updated);
        Assert.Equal([3, 4, 5, 6], report.Rejected.Select(r => r.Line));
        Assert.Contains("lost", report.Rejected[0].Reason);
        Assert.Contains("CJ-XX-99", report.Rejected[1].Reason);
        Assert.Contains("village", report.Rejected[2].Reason);
        Assert.Contains("第2行", report.Rejected[3].Reason);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var changed = await app.WithDbAsync(db => db.LegacyForms.AsNoTracking().SingleAsync(l => l.No == 1));
        Assert.Equal((LegacyDisposition.Abolished, "Quarterly"), (changed.Disposition, changed.Cycle));
        Assert.NotEqual("坏的去向", await app.WithDbAsync(db => db.LegacyForms.Where(l => l.No == 2).Select(l => l.Name).SingleAsync()));
        var figures = (await gatekeeper.GetFromJsonAsync<CatalogueFigures>("/api/v1/catalogue/figures", Json))!;
        Assert.Equal(313, figures.Baseline);

        // Put the demo row back as it was.
        using var restore = new MemoryStream();
        restore.SaveAs(new[] { Row(1, first.Name, first.Category, first.Item, first.Issuer, first.IssuerLevel.ToString().ToLowerInvariant(), first.Cycle, first.FieldCount,
            first.Disposition switch { LegacyDisposition.Merged => "merged", LegacyDisposition.SharedData => "shared_data", _ => "abolished" }, first.ReplacedByFormCode ?? "") }, excelType: ExcelType.XLSX);
        using var restoreContent = new MultipartFormDataContent { { new ByteArrayContent(restore.ToArray()), "file", "inventory.xlsx" } };
        Assert.Equal(HttpStatusCode.OK, (await gatekeeper.PostAsync("/api/v1/catalogue/legacy-forms/import", restoreContent)).StatusCode);
    }

    private static readonly System.Text.Json.JsonSerializerOptions Json = TestJson.Options;

    private static Dictionary<string, object> Row(int no, string name, string category, string item, string issuer, string level,
        string cycle, int fields, string disposition, string replacedBy) => new()
    {
        ["no"] = no, ["name"] = name, ["category"] = category, ["item"] = item, ["issuer"] = issuer, ["issuer_level"] = level,
        ["cycle"] = cycle, ["field_count"] = fields, ["disposition"] = disposition, ["replaced_by"] = replacedBy,
    };

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task An_admitted_form_never_changes_a_new_version_is_a_draft_copy(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        var admitted = (await gatekeeper.GetFromJsonAsync<List<FormSummary>>("/api/v1/forms"))!.Single(f => f.Code == "CJ-FZ-01");

        var created = await gatekeeper.PostAsync($"/api/v1/forms/{admitted.Id}/versions", null);
        var again = await gatekeeper.PostAsync($"/api/v1/forms/{admitted.Id}/versions", null);
        var byCadre = await (await PageSession.BearerAsync(app, "cadre.jinxiu", Demo.DemoSeed.DefaultPassword)).PostAsync($"/api/v1/forms/{admitted.Id}/versions", null);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var draft = (await created.Content.ReadFromJsonAsync<FormSummary>())!;
        Assert.Equal((2, "Draft", admitted.Fields), (draft.Version, draft.Status, draft.Fields));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byCadre.StatusCode);
        var all = (await gatekeeper.GetFromJsonAsync<List<FormSummary>>("/api/v1/forms?status=all"))!.Where(f => f.Code == "CJ-FZ-01").ToList();
        Assert.Equal([("Admitted", 1), ("Draft", 2)], all.Select(f => (f.Status, f.Version)));
    }
}

[Collection(nameof(AppsCollection))]
public sealed class FormDraftingTests(Apps apps)
{
    private static FormRequest Draft(string code, params string[] elements) => new(code, "测试季报表", "Test quarterly", FormCategory.Livelihood,
        ReportingCycle.Quarterly, "MZJ", "李明（州民政局）", 10, [OneForm.Organization.OrgUnitLevel.Village], [new SectionRequest("基本情况", null, elements)]);

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_gatekeeper_drafts_and_admits_a_form_whose_tasks_open_with_the_shared_fields_already_filled(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        var code = $"T-{Guid.NewGuid().ToString("N")[..6].ToUpperInvariant()}";
        const string unit = "652301002001";
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, unit)).UserName!);
        var party = await OneForm.Tests.Collection.Filling.GetAsync(cadre, await OneForm.Tests.Collection.Filling.TaskIdAsync(app, unit, "CJ-DJ-01"));
        await cadre.PutAsJsonAsync($"/api/v1/tasks/{party.Task.Id}/values", new OneForm.Collection.ValuesRequest([OneForm.Tests.Collection.Filling.Change(party, "PARTY_MEMBERS", "432")]));

        var unknown = await gatekeeper.PostAsJsonAsync("/api/v1/forms", Draft(code, "PARTY_MEMBERS", "NO_SUCH_ELEMENT"));
        var created = await gatekeeper.PostAsJsonAsync("/api/v1/forms", Draft(code, "PARTY_MEMBERS"));
        var draft = (await created.Content.ReadFromJsonAsync<FormSummary>())!;
        var changed = await gatekeeper.PutAsJsonAsync($"/api/v1/forms/{draft.Id}", Draft(code, "PARTY_MEMBERS", "PARTY_MEMBERS_MOBILE"));
        var admitted = await gatekeeper.PostAsync($"/api/v1/forms/{draft.Id}/admit", null);
        var frozen = await gatekeeper.PutAsJsonAsync($"/api/v1/forms/{draft.Id}", Draft(code, "PARTY_MEMBERS"));

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("NO_SUCH_ELEMENT", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        var summary = (await admitted.Content.ReadFromJsonAsync<FormSummary>())!;
        Assert.Matches(@"^CJZR-\d{4}-\d{3}$", summary.AdmissionCode);
        Assert.Equal(2, summary.Fields);
        Assert.Equal(HttpStatusCode.Conflict, frozen.StatusCode);

        var task = await OneForm.Tests.Collection.Filling.GetAsync(cadre, await OneForm.Tests.Collection.Filling.TaskIdAsync(app, unit, code));
        Assert.Equal("432", task.Values.Single(v => v.Element == "PARTY_MEMBERS").Value);
        Assert.Null(task.Values.Single(v => v.Element == "PARTY_MEMBERS_MOBILE").Value);

        // Retired, it leaves the catalogue (and the demo's figures) as they were.
        Assert.Equal(HttpStatusCode.NoContent, (await gatekeeper.PostAsync($"/api/v1/forms/{draft.Id}/retire", null)).StatusCode);
        Assert.DoesNotContain((await gatekeeper.GetFromJsonAsync<List<FormSummary>>("/api/v1/forms"))!, f => f.Code == code);
    }
}
