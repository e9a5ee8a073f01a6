using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Admission;
using OneForm.Catalog;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Localization;
using OneForm.Organization;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Admission;

/// <summary>Admission that merges: a proposal is read against the category sheet it would join, and joins it instead of adding a form.</summary>
[Collection(nameof(AppsCollection))]
public sealed class AdmissionMergeTests(Apps apps)
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = TestJson.Options;
    private const string Jinxiu = "652301004002";
    private const string Changji = "652301000000";

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_proposal_whose_fields_the_sheet_already_holds_is_recommended_to_use_existing_data_and_costs_no_typing(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var department = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        // A demo form every village fills: its fields, asked again in the same words by another form of its category.
        var form = await app.WithDbAsync(db => db.Forms.AsNoTracking().Include(f => f.Sections).ThenInclude(s => s.Fields).ThenInclude(f => f.DataElement)
            .Where(f => f.Code == "CJ-MS-01" && f.Status == FormStatus.Admitted).SingleAsync());
        var names = form.Fields.Select(f => f.DataElement!.Name).ToList();
        var body = new AdmissionBody("村级救助情况统计表", "掌握救助情况", form.Category, form.Cycle, [OrgUnitLevel.Village], 10, "赵六（民政局）",
            [.. names.Select(n => new ProposedFieldBody(n))]);

        var created = await department.PostAsJsonAsync("/api/v1/admission-requests", body, Json);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var draft = (await created.Content.ReadFromJsonAsync<AdmissionDetail>(Json))!;
        var analysis = draft.Analysis;
        Assert.Equal(Recommendation.UseExistingData, analysis.Recommendation);
        Assert.Equal((names.Count, 0), (analysis.OnSheet, analysis.NewToSheet!.Count));
        Assert.All(analysis.Fields, f => Assert.True(f.OnSheet, f.Name));
        Assert.Contains(analysis.SheetForms!, f => f.Code == "CJ-MS-01");
        // Nothing is new to the villages' sheets, so the form costs them nothing to type.
        Assert.Equal((names.Count, 0, 0.0), (analysis.Burden.Fields, analysis.Burden.FieldsToType, analysis.Burden.NetHours));
        Assert.True(analysis.Burden.GrossHours > 0);

        var page = await (await PageSession.SignedInAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword))
            .GetHtmlAsync($"/Admission/Request/{draft.Id}");
        Assert.Contains($"工作表已有所报{names.Count}项中的{names.Count}项", page);
        Assert.Contains("不为工作表新增任何项", page);
        Assert.Contains("建议通过统计查询使用现有数据", page);

        // Limited to the rural units of 昌吉市, it counts only those; the groups are kept on the request, an unknown one is named.
        var rural = await department.PostAsJsonAsync("/api/v1/admission-requests", body with { SubtreeUnitCode = Changji, TargetGroups = ["rural"] }, Json);
        var ruralDetail = (await rural.Content.ReadFromJsonAsync<AdmissionDetail>(Json))!;
        var ruralUnits = await app.WithDbAsync(async db => await db.OrgUnits.InSubtree((await db.OrgUnits.SingleAsync(u => u.Code == Changji)).Path)
            .CountAsync(u => u.Level == OrgUnitLevel.Village && (u.UrbanRuralCode == "210" || u.UrbanRuralCode == "220")));
        Assert.Equal(["rural"], ruralDetail.TargetGroups!);
        Assert.Equal(ruralUnits, ruralDetail.Analysis.Burden.Units);
        Assert.InRange(ruralUnits, 1, analysis.Burden.Units - 1);
        var unknown = await department.PostAsJsonAsync("/api/v1/admission-requests", body with { TargetGroups = ["no-such-group"] }, Json);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("no-such-group", await unknown.Content.ReadAsStringAsync());

        // Proposing, a department picks the area from the tree rather than typing a code.
        var edit = await (await PageSession.SignedInAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword)).GetHtmlAsync("/Admission/Edit");
        Assert.Contains("<optgroup label=\"昌吉市\">", edit);
        Assert.Contains($"value=\"{Changji}\"", edit);
        Assert.Contains("name=\"Form.Groups\"", edit);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_proposal_adding_three_fields_to_a_countys_form_becomes_its_next_version_and_the_fields_reach_that_countys_sheets_only(DatabaseProvider provider)
    {
        // Its own host: admitting changes the catalogue other tests count.
        await using var app = await OneFormHost.StartAsync(provider);
        var department = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        ProposedFieldBody[] first = [new("庭院经济示范户数", Unit: "户"), new("庭院种植面积（亩）", ElementValueType.Decimal)];
        ProposedFieldBody[] three = [new("光伏板安装户数", Unit: "户"), new("沼气池使用户数", Unit: "户"), new("秸秆还田面积（亩）", ElementValueType.Decimal)];
        AdmissionBody Body(string title, IReadOnlyList<ProposedFieldBody> fields, string? below = Changji) => new(title, "掌握庭院经济发展情况",
            FormCategory.Development, ReportingCycle.Quarterly, [OrgUnitLevel.Village], 10, "钱七（民政局）", fields, SubtreeUnitCode: below);

        async Task<AdmissionDetail> AdmitAsync(AdmissionBody body)
        {
            var draft = (await (await department.PostAsJsonAsync("/api/v1/admission-requests", body, Json)).Content.ReadFromJsonAsync<AdmissionDetail>(Json))!;
            Assert.Equal(HttpStatusCode.OK, (await department.PostAsync($"/api/v1/admission-requests/{draft.Id}/submit", null)).StatusCode);
            var admitted = await gatekeeper.PostAsJsonAsync($"/api/v1/admission-requests/{draft.Id}/admit", new DecisionBody(null));
            Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
            return (await admitted.Content.ReadFromJsonAsync<AdmissionDetail>(Json))!;
        }

        var original = await AdmitAsync(Body("昌吉市庭院经济季报表", first));
        var outside = await app.WithDbAsync(async db =>
        {
            var changji = await db.OrgUnits.SingleAsync(u => u.Code == Changji);
            return await db.OrgUnits.Where(u => u.Level == OrgUnitLevel.Village && !u.Path.StartsWith(changji.Path)).OrderBy(u => u.Path).FirstAsync();
        });
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, Jinxiu)).UserName!);
        var today = app.Services.GetRequiredService<DisplayTime>().Today;
        var quarterEnd = Period.Containing(ReportingCycle.Quarterly, today).End;
        async Task<SheetResponse> SheetAsync() => (await cadre.GetFromJsonAsync<List<SheetResponse>>("/api/v1/sheets", Json))!
            .Single(s => s.Category == nameof(FormCategory.Development) && s.PeriodEnd == quarterEnd);
        var before = await SheetAsync();
        Assert.Single(before.Forms, f => f.Code == original.FormCode);

        // The same fields and three more, for the same county: the analysis says what the sheet holds, what it adds, and what admitting does.
        var proposal = Body("昌吉市庭院经济及清洁能源季报表", [.. first, .. three]);
        var draft = (await (await department.PostAsJsonAsync("/api/v1/admission-requests", proposal, Json)).Content.ReadFromJsonAsync<AdmissionDetail>(Json))!;
        var analysis = draft.Analysis;
        Assert.Equal(2, analysis.OnSheet);
        Assert.Equal(["光伏板安装户数", "沼气池使用户数", "秸秆还田面积"], analysis.NewToSheet!);
        Assert.Equal((original.FormCode, 2, 3), (analysis.Outcome!.Into?.Code, analysis.Outcome.Version, analysis.Outcome.Adds.Count));
        Assert.Equal(Recommendation.MergeInto, analysis.Recommendation);
        // The burden counts only the three fields new to the sheet, for the villages and communities of 昌吉市.
        var villages = await app.WithDbAsync(async db =>
            await db.OrgUnits.InSubtree((await db.OrgUnits.SingleAsync(u => u.Code == Changji)).Path).CountAsync(u => u.Level == OrgUnitLevel.Village));
        Assert.Equal((villages, 4, 5, 3), (analysis.Burden.Units, analysis.Burden.PeriodsPerYear, analysis.Burden.Fields, analysis.Burden.FieldsToType));
        Assert.Equal(Math.Round(villages * 4 * 3 * 2 / 60.0, 1), analysis.Burden.NetHours);

        // The same proposal for the whole prefecture reaches units the form does not: it would be a form of its own.
        var wider = (await (await department.PostAsJsonAsync("/api/v1/admission-requests", Body("全州庭院经济季报表", [.. first, .. three], below: null), Json))
            .Content.ReadFromJsonAsync<AdmissionDetail>(Json))!;
        Assert.Null(wider.Analysis.Outcome!.Into);

        // The gatekeeper reads what admitting will do before deciding.
        Assert.Equal(HttpStatusCode.OK, (await department.PostAsync($"/api/v1/admission-requests/{draft.Id}/submit", null)).StatusCode);
        var page = await (await PageSession.SignedInAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword)).GetHtmlAsync($"/Admission/Request/{draft.Id}");
        Assert.Contains($"将作为《昌吉市庭院经济季报表》第2版（{original.FormCode}），新增光伏板安装户数、沼气池使用户数、秸秆还田面积", page);
        Assert.Contains("新增表单", await (await PageSession.SignedInAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword)).GetHtmlAsync($"/Admission/Request/{wider.Id}"));

        var admitted = await gatekeeper.PostAsJsonAsync($"/api/v1/admission-requests/{draft.Id}/admit", new DecisionBody(null));
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        var merged = (await admitted.Content.ReadFromJsonAsync<AdmissionDetail>(Json))!;

        // A new version of the form, not a new form: the old version retired, its fields kept, the three added.
        Assert.Equal(original.FormCode, merged.FormCode);
        var versions = await app.WithDbAsync(db => db.Forms.AsNoTracking().Include(f => f.Sections).ThenInclude(s => s.Fields).ThenInclude(f => f.DataElement)
            .Where(f => f.Code == original.FormCode).OrderBy(f => f.Version).ToListAsync());
        Assert.Equal([(1, FormStatus.Retired), (2, FormStatus.Admitted)], versions.Select(v => (v.Version, v.Status)));
        Assert.Equal([.. versions[0].Fields.Select(f => f.DataElement!.Name), "光伏板安装户数", "沼气池使用户数", "秸秆还田面积"], versions[1].Fields.Select(f => f.DataElement!.Name));
        Assert.Equal(versions[0].TargetSubtreePath, versions[1].TargetSubtreePath);
        Assert.Equal(merged.AdmissionCode, versions[1].AdmissionCode);

        // 锦绣社区 meets the form once on its 经济发展 sheet, with the three new fields; a village outside 昌吉市 meets none of them.
        var after = await SheetAsync();
        Assert.Equal(before.Forms.Count, after.Forms.Count);
        Assert.Equal(before.Elements + 3, after.Elements);
        var names = await app.WithDbAsync(async db =>
        {
            var since = today.AddMonths(-3);
            var jinxiu = await db.OrgUnits.SingleAsync(u => u.Code == Jinxiu);
            return (Inside: (await CategorySheets.OfUnitAsync(db, jinxiu.Id, since)).SelectMany(s => s.Cells).Select(c => c.Element.Name).ToList(),
                Outside: (await CategorySheets.OfUnitAsync(db, outside.Id, since)).SelectMany(s => s.Cells).Select(c => c.Element.Name).ToList());
        });
        Assert.All(["光伏板安装户数", "沼气池使用户数", "秸秆还田面积"], n => Assert.Contains(n, names.Inside));
        Assert.All(["光伏板安装户数", "沼气池使用户数", "秸秆还田面积"], n => Assert.DoesNotContain(n, names.Outside));
        Assert.Equal(0, await app.WithDbAsync(db => db.FillingTasks.CountAsync(t => t.Form!.Code == original.FormCode && t.OrgUnitId == outside.Id)));
    }
}
