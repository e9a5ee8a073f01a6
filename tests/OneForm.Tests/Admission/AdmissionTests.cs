using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using OneForm.Admission;
using OneForm.Catalog;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Organization;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Admission;

/// <summary>Admission review: proposals analysed against what is held, the gatekeeper's decisions, codes anyone can check.</summary>
[Collection(nameof(AppsCollection))]
public sealed class AdmissionTests(Apps apps)
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = TestJson.Options;

    /// <summary>A form that mostly repeats what the catalogue holds, in the department's own words.</summary>
    private static AdmissionBody Duplicate(string title) => new(title, "每季度掌握辖区人口和低保情况", FormCategory.Livelihood, ReportingCycle.Quarterly,
        [OrgUnitLevel.Village], 10, "张三（民政局社会救助科）",
        [
            new("户籍总人口", Unit: "人"), new("常住人口总数"), new("总户数（户）"), new("低保户数（户）"), new("低保对象人数"),
            new("60周岁及以上老人数量"), new("残疾人人数"), new("特困人员人数"), new("临时救助人次"), new("入户走访次数"),
        ]);

    private static AdmissionBody Novel(string title) => new(title, "掌握庭院小菜园种植情况", FormCategory.Development, ReportingCycle.Annual,
        [OrgUnitLevel.Village], 15, "李四（农业农村局）",
        [new("小菜园种植户数", Unit: "户"), new("小菜园面积（亩）", ElementValueType.Decimal), new("是否组织技术培训", ElementValueType.YesNo)]);

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_duplicate_proposal_is_told_field_by_field_what_is_held_and_the_gatekeeper_refuses_it(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var department = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);

        var created = await department.PostAsJsonAsync("/api/v1/admission-requests", Duplicate("辖区人口及救助对象季报表"), Json);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var draft = (await created.Content.ReadFromJsonAsync<AdmissionDetail>(Json))!;
        var analysis = draft.Analysis;

        FieldAnalysis Field(string name) => analysis.Fields.Single(f => f.Name == name);
        Assert.Equal("POP_REGISTERED", Field("户籍总人口").EffectiveCode);
        Assert.Equal("DIBAO_HOUSEHOLDS", Field("低保户数").EffectiveCode);
        Assert.Equal("DIBAO_PERSONS", Field("低保对象人数").EffectiveCode);
        Assert.Equal("POP_AGE_60_PLUS", Field("60周岁及以上老人数量").EffectiveCode);
        Assert.Equal(FieldStatus.Derivable, Field("户籍总人口").Status);
        Assert.Equal(FieldStatus.Held, Field("临时救助人次").Status);
        Assert.Equal(FieldStatus.New, Field("入户走访次数").Status);
        Assert.Contains(Field("低保对象人数").Matches[0].Forms, f => f.Code == "CJ-MS-01");
        // 常住人口 is held, typed by the units: the registry records registration, not residence.
        Assert.Equal((7, 2, 0.9), (analysis.Derivable, analysis.Held, analysis.ShareHeld));
        Assert.Equal(Recommendation.UseExistingData, analysis.Recommendation);

        // The burden: every village, four quarters, ten fields, two minutes each; net of the nine prefilled.
        var villages = await app.WithDbAsync(db => db.OrgUnits.CountAsync(u => u.Level == OrgUnitLevel.Village));
        Assert.Equal((villages, 4, 10, 1), (analysis.Burden.Units, analysis.Burden.PeriodsPerYear, analysis.Burden.Fields, analysis.Burden.FieldsToType));
        Assert.Equal(Math.Round(villages * 4 * 10 * 2 / 60.0, 1), analysis.Burden.GrossHours);
        Assert.Equal(Math.Round(villages * 4 * 1 * 2 / 60.0, 1), analysis.Burden.NetHours);

        // The gatekeeper does not see drafts; the department accepts a match and submits.
        Assert.Equal(HttpStatusCode.NotFound, (await gatekeeper.GetAsync($"/api/v1/admission-requests/{draft.Id}")).StatusCode);
        var visitField = Field("入户走访次数");
        var accepted = await department.PostAsJsonAsync($"/api/v1/admission-requests/{draft.Id}/accept", new AcceptBody(Field("常住人口总数").Id, "POP_RESIDENT"));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var wrong = await department.PostAsJsonAsync($"/api/v1/admission-requests/{draft.Id}/accept", new AcceptBody(visitField.Id, "NO_SUCH_ELEMENT"));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("NO_SUCH_ELEMENT", await wrong.Content.ReadAsStringAsync());
        var declined = await department.PostAsJsonAsync($"/api/v1/admission-requests/{draft.Id}/accept", new AcceptBody(Field("临时救助人次").Id, AcceptBody.Decline));
        Assert.Equal(FieldStatus.New, (await declined.Content.ReadFromJsonAsync<AdmissionDetail>(Json))!.Analysis.Fields.Single(f => f.Name == "临时救助人次").Status);
        Assert.Equal(HttpStatusCode.OK, (await department.PostAsync($"/api/v1/admission-requests/{draft.Id}/submit", null)).StatusCode);

        // Refusing needs reasons; the department reads them.
        var bare = await gatekeeper.PostAsJsonAsync($"/api/v1/admission-requests/{draft.Id}/refuse", new DecisionBody(" "));
        Assert.Equal(HttpStatusCode.Conflict, bare.StatusCode);
        var refused = await gatekeeper.PostAsJsonAsync($"/api/v1/admission-requests/{draft.Id}/refuse",
            new DecisionBody("9个字段已由《社会救助对象情况季报表》和人口库提供，请使用统计查询。"));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var seen = (await department.GetFromJsonAsync<AdmissionDetail>($"/api/v1/admission-requests/{draft.Id}", Json))!;
        Assert.Equal(("Refused", "gatekeeper"), (seen.State, seen.DecidedBy));
        Assert.Contains("统计查询", seen.DecisionReasons);
        Assert.Equal(HttpStatusCode.Conflict, (await department.PostAsync($"/api/v1/admission-requests/{draft.Id}/withdraw", null)).StatusCode);
        var trail = await app.WithDbAsync(db => db.AuditEntries.Where(a => a.EntityType == nameof(AdmissionRequest) && a.EntityKey == draft.Id.ToString())
            .Select(a => a.Changes).ToListAsync());
        Assert.Contains(trail, v => v != null && v.Contains("Submitted", StringComparison.Ordinal));
        Assert.Contains(trail, v => v != null && v.Contains("Refused", StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_proposal_with_columns_about_one_person_is_told_a_roster_covers_them_not_that_they_are_new_fields(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var department = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        var body = new AdmissionBody("高龄老人花名册", "掌握高龄老人基本情况", FormCategory.Livelihood, ReportingCycle.Annual, [OrgUnitLevel.Village], 15, "王五（民政局养老服务科）",
        [
            new("姓名", ElementValueType.Text), new("性别", ElementValueType.Text), new("出生日期", ElementValueType.Date), new("文化程度", ElementValueType.Text),
            new("联系电话", ElementValueType.Text), new("八十周岁以上老人数（人）"), new("高龄津贴发放金额（元）", ElementValueType.Decimal),
        ]);

        var created = await department.PostAsJsonAsync("/api/v1/admission-requests", body, Json);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var draft = (await created.Content.ReadFromJsonAsync<AdmissionDetail>(Json))!;
        var analysis = draft.Analysis;
        FieldAnalysis Field(string name) => analysis.Fields.Single(f => f.Name == name);

        // The person's columns, the phone among them since the form names a person, are a roster's; the totals are not.
        Assert.All(["姓名", "性别", "出生日期", "文化程度", "联系电话"], name => Assert.Equal((FieldStatus.Roster, (string?)null), (Field(name).Status, Field(name).EffectiveCode)));
        Assert.Equal(("POP_AGE_80_PLUS", FieldStatus.Derivable), (Field("八十周岁以上老人数").EffectiveCode, Field("八十周岁以上老人数").Status));
        Assert.Equal(FieldStatus.New, Field("高龄津贴发放金额").Status);
        Assert.Equal((5, 1, 1, 0), (analysis.Roster, analysis.New, analysis.Derivable, analysis.Held));

        // The department reads the same on the request's page.
        var page = await (await PageSession.SignedInAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword)).GetHtmlAsync($"/Admission/Request/{draft.Id}");
        Assert.Contains("姓名、性别、出生日期、文化程度、联系电话是逐人填写的个人信息", page);
        Assert.Contains("由名单涵盖", page);

        // A department that insists a column is a new field of its own is heard.
        var declined = await department.PostAsJsonAsync($"/api/v1/admission-requests/{draft.Id}/accept", new AcceptBody(Field("文化程度").Id, AcceptBody.Decline));
        var after = (await declined.Content.ReadFromJsonAsync<AdmissionDetail>(Json))!.Analysis;
        Assert.Equal((FieldStatus.New, 4, 2), (after.Fields.Single(f => f.Name == "文化程度").Status, after.Roster, after.New));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Only_the_proposing_department_and_the_gatekeeper_see_a_request_and_only_the_gatekeeper_decides(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var department = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        var police = await PageSession.BearerAsync(app, "dept.gongan", Demo.DemoSeed.DefaultPassword);
        var cadre = await PageSession.BearerAsync(app, "cadre.jinxiu", Demo.DemoSeed.DefaultPassword);
        var draft = (await (await department.PostAsJsonAsync("/api/v1/admission-requests", Novel("只给民政局看的草稿"), Json)).Content.ReadFromJsonAsync<AdmissionDetail>(Json))!;

        Assert.Equal(HttpStatusCode.Forbidden, (await cadre.PostAsJsonAsync("/api/v1/admission-requests", Novel("村里提的表"), Json)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await cadre.GetAsync("/api/v1/admission-requests")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await police.GetAsync($"/api/v1/admission-requests/{draft.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await police.PostAsync($"/api/v1/admission-requests/{draft.Id}/submit", null)).StatusCode);
        Assert.DoesNotContain((await police.GetFromJsonAsync<List<AdmissionSummary>>("/api/v1/admission-requests", Json))!, r => r.Id == draft.Id);
        Assert.Equal(HttpStatusCode.OK, (await department.PostAsync($"/api/v1/admission-requests/{draft.Id}/submit", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await department.PostAsJsonAsync($"/api/v1/admission-requests/{draft.Id}/admit", new DecisionBody(null))).StatusCode);

        // Bad input is named, and nothing is half-written.
        var bad = await department.PostAsJsonAsync("/api/v1/admission-requests",
            Novel("") with { Designer = "", Fields = [new("户数"), new("户数"), new("")] }, Json);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadAsStringAsync();
        Assert.Contains("制表人", problem);
        Assert.Contains("Title", problem);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task An_admitted_request_becomes_a_form_with_a_code_anyone_can_check_and_its_tasks_open(DatabaseProvider provider)
    {
        // Its own host: admitting changes the catalogue other tests count.
        await using var app = await OneFormHost.StartAsync(provider);
        var department = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        var anonymous = app.CreateClient();

        var draft = (await (await department.PostAsJsonAsync("/api/v1/admission-requests", Novel("庭院小菜园情况年报表"), Json)).Content.ReadFromJsonAsync<AdmissionDetail>(Json))!;
        Assert.Equal((0, 3, Recommendation.Admit), (draft.Analysis.Held + draft.Analysis.Derivable, draft.Analysis.New, draft.Analysis.Recommendation));
        await department.PostAsync($"/api/v1/admission-requests/{draft.Id}/submit", null);

        // Returned for changes, changed, submitted again, admitted.
        Assert.Equal(HttpStatusCode.OK, (await gatekeeper.PostAsJsonAsync($"/api/v1/admission-requests/{draft.Id}/return", new DecisionBody("请补充面积的填报口径。"))).StatusCode);
        var changed = await department.PutAsJsonAsync($"/api/v1/admission-requests/{draft.Id}",
            Novel("庭院小菜园情况年报表") with
            {
                Fields = [new("小菜园种植户数", Unit: "户"), new("小菜园面积（亩）", ElementValueType.Decimal, Notes: "按实际种植面积"), new("户籍户数")],
                SubtreeUnitCode = "652301004000",
            }, Json);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var below = await app.WithDbAsync(db => db.OrgUnits.SingleAsync(u => u.Code == "652301004000"));
        var villagesBelow = await app.WithDbAsync(db => db.OrgUnits.InSubtree(below.Path).CountAsync(u => u.Level == OrgUnitLevel.Village));
        Assert.Equal(villagesBelow, (await changed.Content.ReadFromJsonAsync<AdmissionDetail>(Json))!.Analysis.Burden.Units);
        await department.PostAsync($"/api/v1/admission-requests/{draft.Id}/submit", null);
        var admitted = await gatekeeper.PostAsJsonAsync($"/api/v1/admission-requests/{draft.Id}/admit", new DecisionBody(null));
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        var detail = (await admitted.Content.ReadFromJsonAsync<AdmissionDetail>(Json))!;
        Assert.Matches(@"^CJZR-\d{4}-\d{3}$", detail.AdmissionCode);

        var form = await app.WithDbAsync(db => db.Forms.AsNoTracking().Include(f => f.IssuingDepartment)
            .Include(f => f.Sections).ThenInclude(s => s.Fields).ThenInclude(f => f.DataElement).SingleAsync(f => f.AdmissionCode == detail.AdmissionCode));
        Assert.Equal((FormStatus.Admitted, "MZJ", "李四（农业农村局）"), (form.Status, form.IssuingDepartment!.Code, form.Designer));
        var elements = form.Fields.Select(f => f.DataElement!).ToList();
        Assert.Equal(["小菜园种植户数", "小菜园面积", "户籍户数"], elements.Select(e => e.Name));
        Assert.Equal("HOUSEHOLDS", elements[2].Code);  // the held element, not a copy
        Assert.Equal((ElementSource.Entered, "亩"), (elements[1].Source, elements[1].Unit));
        // Only the villages and communities below 建国路街道 fill it.
        Assert.Equal(villagesBelow, await app.WithDbAsync(db => db.FillingTasks.CountAsync(t => t.FormId == form.Id)));
        Assert.Equal(0, await app.WithDbAsync(db => db.FillingTasks.CountAsync(t => t.FormId == form.Id && !t.OrgUnit!.Path.StartsWith(below.Path))));

        // Anyone checks the code, without signing in.
        var check = (await anonymous.GetFromJsonAsync<CodeCheck>($"/api/v1/public/admission-codes/{detail.AdmissionCode!.ToLowerInvariant()}", Json))!;
        Assert.Equal((CodeStatus.Admitted, "MZJ", form.Code), (check.Status, check.Issuer, check.FormCode));
        Assert.Equal(["Village"], check.TargetLevels);
        Assert.Equal(below.Name, check.Below);
        var qr = await anonymous.GetAsync($"/api/v1/public/admission-codes/{detail.AdmissionCode}/qr.svg");
        Assert.Equal("image/svg+xml", qr.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<svg", await qr.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var page = await PageSession.Anonymous(app).GetHtmlAsync($"/verify?code={detail.AdmissionCode}");
        Assert.Contains("庭院小菜园情况年报表", page);
        Assert.Contains("已准入", page);

        // Retired, expired and unknown codes say so plainly.
        var retire = await gatekeeper.PostAsync($"/api/v1/forms/{form.Id}/retire", null);
        Assert.Equal(HttpStatusCode.NoContent, retire.StatusCode);
        Assert.Equal(CodeStatus.Retired, (await anonymous.GetFromJsonAsync<CodeCheck>($"/api/v1/public/admission-codes/{detail.AdmissionCode}", Json))!.Status);
        var demoCode = await app.WithDbAsync(async db =>
        {
            var demo = await db.Forms.FirstAsync(f => f.Code == "CJ-PA-01");
            demo.ValidTo = new DateOnly(2020, 12, 31);
            await db.SaveChangesAsync();
            return demo.AdmissionCode!;
        });
        Assert.Equal(CodeStatus.Expired, (await anonymous.GetFromJsonAsync<CodeCheck>($"/api/v1/public/admission-codes/{demoCode}", Json))!.Status);
        Assert.Equal(CodeStatus.Unknown, (await anonymous.GetFromJsonAsync<CodeCheck>("/api/v1/public/admission-codes/CJZR-1999-999", Json))!.Status);
        var unknownPage = await PageSession.Anonymous(app).GetHtmlAsync("/verify?code=CJZR-1999-999");
        Assert.Contains("未查到", unknownPage);
        Assert.Contains("举报", unknownPage);

        // A new version of an admitted form goes through admission again and shows what changed.
        var current = await app.WithDbAsync(db => db.Forms.AsNoTracking().Include(f => f.Sections).ThenInclude(s => s.Fields).ThenInclude(f => f.DataElement)
            .SingleAsync(f => f.Code == "CJ-MS-01" && f.Status == FormStatus.Admitted));
        var kept = current.Fields.Skip(1).Select(f => new ProposedFieldBody(f.DataElement!.Name)).Append(new ProposedFieldBody("救助政策宣传次数")).ToList();
        var version = (await (await department.PostAsJsonAsync("/api/v1/admission-requests",
            Novel(current.Name) with { Fields = kept, ReplacesFormCode = "cj-ms-01" }, Json)).Content.ReadFromJsonAsync<AdmissionDetail>(Json))!;
        Assert.Equal(["救助政策宣传次数"], version.Analysis.Added);
        Assert.Equal([current.Fields.First().DataElement!.Name], version.Analysis.Removed);
        Assert.NotEqual(Recommendation.UseExistingData, version.Analysis.Recommendation);  // its own fields are held by the form it replaces
        var notOurs = await department.PostAsJsonAsync("/api/v1/admission-requests", Novel("公安的表") with { ReplacesFormCode = "CJ-PA-03" }, Json);
        Assert.Equal(HttpStatusCode.BadRequest, notOurs.StatusCode);
        await department.PostAsync($"/api/v1/admission-requests/{version.Id}/submit", null);
        var second = (await (await gatekeeper.PostAsJsonAsync($"/api/v1/admission-requests/{version.Id}/admit", new DecisionBody("同意修订。"))).Content.ReadFromJsonAsync<AdmissionDetail>(Json))!;
        var versions = await app.WithDbAsync(db => db.Forms.AsNoTracking().Where(f => f.Code == "CJ-MS-01").OrderBy(f => f.Version).Select(f => new { f.Version, f.Status, f.AdmissionCode }).ToListAsync());
        Assert.Equal([(1, FormStatus.Retired), (2, FormStatus.Admitted)], versions.Select(v => (v.Version, v.Status)));
        Assert.Equal(second.AdmissionCode, versions[1].AdmissionCode);
        Assert.Equal(CodeStatus.Retired, (await anonymous.GetFromJsonAsync<CodeCheck>($"/api/v1/public/admission-codes/{versions[0].AdmissionCode}", Json))!.Status);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_department_reads_its_fields_from_the_header_row_of_the_xlsx_it_already_uses(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var department = await PageSession.BearerAsync(app, "dept.minzheng", Demo.DemoSeed.DefaultPassword);
        using var file = new MemoryStream();
        file.SaveAs(new[]
        {
            new Dictionary<string, object> { ["A"] = "2026年养老服务情况统计表", ["B"] = "", ["C"] = "", ["D"] = "", ["E"] = "" },
            new Dictionary<string, object> { ["A"] = "序号", ["B"] = "村（社区）", ["C"] = "80岁以上老人数（人）", ["D"] = "是否建立老年食堂", ["E"] = "助餐服务人次" },
            new Dictionary<string, object> { ["A"] = 1, ["B"] = "锦绣社区", ["C"] = 12, ["D"] = "是", ["E"] = 300 },
        }, printHeader: false, excelType: ExcelType.XLSX);
        using var content = new MultipartFormDataContent { { new ByteArrayContent(file.ToArray()), "file", "养老服务.xlsx" } };

        var response = await department.PostAsync("/api/v1/admission-requests/fields-from-xlsx", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var fields = (await response.Content.ReadFromJsonAsync<List<ProposedFieldBody>>(Json))!;
        Assert.Equal([("80岁以上老人数", ElementValueType.Integer, "人"), ("是否建立老年食堂", ElementValueType.YesNo, null), ("助餐服务人次", ElementValueType.Integer, null)],
            fields.Select(f => (f.Name, f.ValueType, f.Unit)));
        using var notXlsx = new MultipartFormDataContent { { new ByteArrayContent("户数,人数"u8.ToArray()), "file", "表.xlsx" } };
        var refused = await department.PostAsync("/api/v1/admission-requests/fields-from-xlsx", notXlsx);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("表.xlsx", await refused.Content.ReadAsStringAsync());
    }
}
