using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using OneForm.Accounts;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Ledgers;
using OneForm.Localization;
using OneForm.Media;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Ledgers;

/// <summary>Ledgers (台账): kinds as data, entries in scope with history, rules that count them into values, the xlsx.</summary>
[Collection(nameof(AppsCollection))]
public sealed class LedgerTests(Apps apps)
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = TestJson.Options;
    private const string Neighbour = "652301004003";   // 锦绣社区's sibling under 建国路街道
    private const string Jianguolu = "652301004000";
    private const string Village = "652301005001";     // another township's village
    private const string OtherStreet = "652301005000";

    private static DateOnly Today(OneFormHost app) => app.Services.GetRequiredService<DisplayTime>().Today;

    /// <summary>A day in the month <paramref name="monthsAgo"/> before this one: each test keeps to its own months.</summary>
    private static DateOnly Day(OneFormHost app, int monthsAgo, int day) => new DateOnly(Today(app).Year, Today(app).Month, 1).AddMonths(-monthsAgo).AddDays(day - 1);

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<LedgerKindView> KindAsync(HttpClient client, string name) =>
        (await client.GetFromJsonAsync<List<LedgerKindView>>("/api/v1/ledgers/kinds", Json))!.Single(k => k.Name == name);

    private static async Task<LedgerEntryView> RecordAsync(HttpClient cadre, int kind, Dictionary<string, string?> values)
    {
        var response = await cadre.PostAsJsonAsync("/api/v1/ledgers/entries", new LedgerEntryRequest(kind, values), Json);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<LedgerEntryView>(Json))!;
    }

    private static Dictionary<string, string?> Dispute(DateOnly on, string outcome, string severity = "一般") => new()
    {
        ["日期"] = Iso(on), ["当事人数"] = "2", ["纠纷类型"] = "邻里纠纷", ["纠纷等级"] = severity, ["调处结果"] = outcome,
    };

    private static Task<Dictionary<string, (string Value, ValueSource Source)>> ValuesAsync(OneFormHost app, string unit, string period, params string[] elements) =>
        app.WithDbAsync(async db =>
        {
            var unitId = await db.OrgUnits.Where(u => u.Code == unit).Select(u => u.Id).SingleAsync();
            return (await db.DataValues.AsNoTracking().Where(v => v.OrgUnitId == unitId && v.PeriodCode == period && elements.Contains(v.DataElement!.Code))
                    .Select(v => new { v.DataElement!.Code, v.Value, v.Source }).ToListAsync())
                .ToDictionary(v => v.Code, v => (v.Value, v.Source));
        });

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_ledger_kind_is_checked_before_it_is_defined_and_only_the_gatekeeper_defines_one(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var gatekeeper = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Gatekeeper, departmentCode: "ZZB")).UserName!);
        var department = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Department, departmentCode: "MZJ")).UserName!);
        var name = "测试台账" + Guid.NewGuid().ToString("N")[..6];

        var bad = await gatekeeper.PostAsJsonAsync("/api/v1/ledgers/kinds", new LedgerKindRequest(name, "Test ledger", "MZJ",
        [
            new("走访对象", LedgerFieldType.Text), new("走访对象", LedgerFieldType.Integer), new("结果", LedgerFieldType.Option, Options: ["仅一项"]),
            new("人数", LedgerFieldType.Integer, Options: ["1", "2"]),
        ]), Json);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Json))!.Errors;
        Assert.Contains("两个字段都叫走访对象", errors["Fields[1].Name"][0]);
        Assert.Contains("结果", errors["Fields[2].Options"][0]);
        Assert.Contains("人数", errors["Fields[3].Options"][0]);
        Assert.Contains("日期字段", errors["Fields"][0]);

        var good = new LedgerKindRequest(name, "Test ledger", "MZJ",
            [new("日期", LedgerFieldType.Date, true), new("人数", LedgerFieldType.Integer, true), new("结果", LedgerFieldType.Option, true, ["办结", "未办结"])]);
        Assert.Equal(HttpStatusCode.Forbidden, (await department.PostAsJsonAsync("/api/v1/ledgers/kinds", good, Json)).StatusCode);
        var created = await gatekeeper.PostAsJsonAsync("/api/v1/ledgers/kinds", good, Json);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var kind = await KindAsync(department, name);
        Assert.Equal(["日期", "人数", "结果"], kind.Fields.Select(f => f.Name));
        Assert.Equal(["办结", "未办结"], kind.Fields[2].Options);
        Assert.Equal("MZJ", kind.Department);
        Assert.Equal(HttpStatusCode.BadRequest, (await gatekeeper.PostAsJsonAsync("/api/v1/ledgers/kinds", good, Json)).StatusCode);  // the name is taken
        Assert.True(await app.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.Kind == "LedgerKind.Added" && a.EntityKey == kind.Id.ToString(CultureInfo.InvariantCulture))));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_units_ledger_is_seen_by_the_unit_the_reviewers_above_and_the_owning_department_and_by_nobody_else(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, Neighbour)).UserName!);
        var disputes = await KindAsync(cadre, Demo.DemoLedgers.Disputes);
        var entry = await RecordAsync(cadre, disputes.Id, Dispute(Day(app, 1, 2), "调解成功"));
        var period = Period.Containing(ReportingCycle.Monthly, entry.OccurredOn).ToString();

        var readers = new[]
        {
            await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Reviewer, Jianguolu)).UserName!),
            await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Department, departmentCode: "ZFW")).UserName!),
            cadre,
        };
        foreach (var reader in readers)
        {
            Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/api/v1/ledgers/entries/{entry.Id}")).StatusCode);
            var list = (await reader.GetFromJsonAsync<List<LedgerEntryView>>($"/api/v1/ledgers/entries?kind={disputes.Id}&unit={Neighbour}&period={period}", Json))!;
            Assert.Contains(list, e => e.Id == entry.Id);
        }
        var outsiders = new[]
        {
            await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, "652301004002")).UserName!),
            await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Reviewer, OtherStreet)).UserName!),
            await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Department, departmentCode: "MZJ")).UserName!),
        };
        foreach (var outsider in outsiders)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/v1/ledgers/entries/{entry.Id}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/v1/ledgers/entries?kind={disputes.Id}&unit={Neighbour}&period={period}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/v1/ledgers/entries.xlsx?kind={disputes.Id}&unit={Neighbour}&period={period}")).StatusCode);
        }
        // Neither the neighbouring community's cadre nor the reviewer above may record or correct the unit's entries.
        Assert.Equal(HttpStatusCode.NotFound, (await outsiders[0].PutAsJsonAsync($"/api/v1/ledgers/entries/{entry.Id}",
            new LedgerEntryRequest(disputes.Id, Dispute(Day(app, 1, 2), "移交")), Json)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsiders[0].PostAsJsonAsync("/api/v1/ledgers/entries",
            new LedgerEntryRequest(disputes.Id, Dispute(Day(app, 1, 2), "移交"), Neighbour), Json)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await readers[0].PostAsJsonAsync("/api/v1/ledgers/entries",
            new LedgerEntryRequest(disputes.Id, Dispute(Day(app, 1, 2), "移交"), Neighbour), Json)).StatusCode);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task An_entry_is_checked_against_its_fields_and_keeps_its_history_and_audit(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var user = await app.CreateUserAsync(Role.Cadre, Neighbour);
        var cadre = await PageSession.BearerAsync(app, user.UserName!);
        var disputes = await KindAsync(cadre, Demo.DemoLedgers.Disputes);

        var wrong = await cadre.PostAsJsonAsync("/api/v1/ledgers/entries", new LedgerEntryRequest(disputes.Id, new Dictionary<string, string?>
        {
            ["日期"] = Iso(Today(app).AddDays(3)), ["当事人数"] = "两个", ["纠纷类型"] = "邻里纠纷", ["调处结果"] = "和解", ["颜色"] = "红",
        }), Json);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        var errors = (await wrong.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Json))!.Errors;
        Assert.Contains("日期", errors["日期"][0]);
        Assert.Contains("晚于今天", errors["日期"][0]);
        Assert.Equal("当事人数必须是整数；“两个”不是。", errors["当事人数"][0]);
        Assert.Equal("纠纷等级为必填项。", errors["纠纷等级"][0]);
        Assert.Equal("调处结果必须是调解成功、未成功、移交之一；“和解”不是。", errors["调处结果"][0]);
        Assert.Contains("颜色", errors["颜色"][0]);

        var entry = await RecordAsync(cadre, disputes.Id, Dispute(Day(app, 2, 9), "未成功"));
        var corrected = await cadre.PutAsJsonAsync($"/api/v1/ledgers/entries/{entry.Id}", new LedgerEntryRequest(disputes.Id, Dispute(Day(app, 2, 9), "调解成功")), Json);
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        var shown = (await cadre.GetFromJsonAsync<LedgerEntryView>($"/api/v1/ledgers/entries/{entry.Id}", Json))!;
        Assert.Equal("调解成功", shown.Values["调处结果"]);
        Assert.Equal(2, shown.History!.Count);
        Assert.Null(shown.History[0].Before);
        Assert.Equal("未成功", shown.History[1].Before!["调处结果"]);
        Assert.Equal("调解成功", shown.History[1].After!["调处结果"]);
        Assert.All(shown.History, h => Assert.Equal(user.UserName, h.ChangedBy));   // the name, looked up when shown
        Assert.Equal(user.UserName, shown.RecordedBy);

        var (kept, audited) = await app.WithDbAsync(async db => (
            await db.LedgerEntryChanges.Where(c => c.LedgerEntryId == entry.Id).Select(c => c.ChangedBy).ToListAsync(),
            await db.AuditEntries.Where(a => a.EntityType == nameof(LedgerEntry) && a.EntityKey == entry.Id.ToString(CultureInfo.InvariantCulture)).Select(a => a.Kind).ToListAsync()));
        Assert.Equal([user.Id, user.Id], kept);   // the account's id is kept, not its name
        Assert.Contains("LedgerEntry.Added", audited);
        Assert.Contains("LedgerEntry.Modified", audited);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Ledger_rules_count_and_sum_entries_with_filters_into_values_from_the_ledger_that_follow_corrections(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, Village)).UserName!);
        var disputes = await KindAsync(cadre, Demo.DemoLedgers.Disputes);
        var visits = await KindAsync(cadre, Demo.DemoLedgers.Visits);
        var month = Period.Containing(ReportingCycle.Monthly, Day(app, 30, 1));
        var next = month.Next;

        await RecordAsync(cadre, disputes.Id, Dispute(Day(app, 30, 3), "调解成功"));
        await RecordAsync(cadre, disputes.Id, Dispute(Day(app, 30, 11), "调解成功", "重大"));
        var handedOver = await RecordAsync(cadre, disputes.Id, Dispute(Day(app, 30, 20), "移交"));
        await RecordAsync(cadre, visits.Id, new() { ["日期"] = Iso(Day(app, 30, 4)), ["走访对象"] = "张某", ["对象类别"] = "退役军人", ["走访人次"] = "3" });
        await RecordAsync(cadre, visits.Id, new() { ["日期"] = Iso(Day(app, 30, 5)), ["走访对象"] = "刘某", ["对象类别"] = "困难群众", ["走访人次"] = "5" });
        await RecordAsync(cadre, visits.Id, new() { ["日期"] = Iso(Day(app, 30, 6)), ["走访对象"] = "退役军人之家", ["对象类别"] = "退役军人", ["走访人次"] = "2" });

        var values = await ValuesAsync(app, Village, month.ToString(), "DISPUTES_SCREENED", "DISPUTES_MEDIATED", "DISPUTES_MAJOR");
        Assert.Equal(("3", ValueSource.Ledger), values["DISPUTES_SCREENED"]);
        Assert.Equal(("2", ValueSource.Ledger), values["DISPUTES_MEDIATED"]);
        Assert.Equal(("1", ValueSource.Ledger), values["DISPUTES_MAJOR"]);
        var year = Period.Containing(ReportingCycle.Annual, Day(app, 30, 1)).ToString();
        var veterans = (await ValuesAsync(app, Village, month.ToString(), "VETERANS_VISITED"))
            .Concat(await ValuesAsync(app, Village, Period.Containing(ReportingCycle.Quarterly, Day(app, 30, 1)).ToString(), "VETERANS_VISITED"))
            .Concat(await ValuesAsync(app, Village, Period.Containing(ReportingCycle.HalfYearly, Day(app, 30, 1)).ToString(), "VETERANS_VISITED"))
            .Concat(await ValuesAsync(app, Village, year, "VETERANS_VISITED")).ToList();
        Assert.NotEmpty(veterans);
        Assert.All(veterans, v => Assert.Equal(("5", ValueSource.Ledger), v.Value));   // 3 + 2 visits to veterans; the 5 others are not theirs

        // The handed-over dispute was mediated after all, and belongs to the next month.
        var corrected = await cadre.PutAsJsonAsync($"/api/v1/ledgers/entries/{handedOver.Id}",
            new LedgerEntryRequest(disputes.Id, Dispute(next.Start.AddDays(1), "调解成功")), Json);
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        values = await ValuesAsync(app, Village, month.ToString(), "DISPUTES_SCREENED", "DISPUTES_MEDIATED");
        Assert.Equal(("2", ValueSource.Ledger), values["DISPUTES_SCREENED"]);
        Assert.Equal(("2", ValueSource.Ledger), values["DISPUTES_MEDIATED"]);
        values = await ValuesAsync(app, Village, next.ToString(), "DISPUTES_SCREENED", "DISPUTES_MEDIATED");
        Assert.Equal(("1", ValueSource.Ledger), values["DISPUTES_SCREENED"]);
        Assert.Equal(("1", ValueSource.Ledger), values["DISPUTES_MEDIATED"]);

        var history = await app.WithDbAsync(async db =>
        {
            var unit = await db.OrgUnits.Where(u => u.Code == Village).Select(u => u.Id).SingleAsync();
            return await db.DataValueChanges.Where(c => c.OrgUnitId == unit && c.PeriodCode == month.ToString() && c.DataElementId == db.DataElements.Single(e => e.Code == "DISPUTES_SCREENED").Id)
                .OrderBy(c => c.Id).Select(c => new { c.NewValue, c.Source, c.ChangedBy }).ToListAsync();
        });
        Assert.Equal(["1", "2", "3", "2"], history.Select(h => h.NewValue));
        Assert.All(history, h => Assert.Equal((ValueSource.Ledger, LedgerValues.Actor), (h.Source, h.ChangedBy)));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_rule_is_previewed_before_it_is_saved_with_counts_sums_and_latest_values(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, Village)).UserName!);
        var gatekeeper = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Gatekeeper, departmentCode: "ZZB")).UserName!);
        var hazards = await KindAsync(cadre, Demo.DemoLedgers.Hazards);
        var quarter = Period.Containing(ReportingCycle.Quarterly, Day(app, 36, 1));
        await RecordAsync(cadre, hazards.Id, new() { ["日期"] = Iso(quarter.Start.AddDays(3)), ["隐患地点"] = "村委会", ["隐患类型"] = "用电", ["隐患等级"] = "一般", ["整改状态"] = "已整改", ["整改完成日期"] = Iso(quarter.Start.AddDays(5)) });
        await RecordAsync(cadre, hazards.Id, new() { ["日期"] = Iso(quarter.Start.AddDays(40)), ["隐患地点"] = "粮仓", ["隐患类型"] = "消防", ["隐患等级"] = "重大", ["整改状态"] = "已整改", ["整改完成日期"] = Iso(quarter.Start.AddDays(60)) });
        await RecordAsync(cadre, hazards.Id, new() { ["日期"] = Iso(quarter.Start.AddDays(50)), ["隐患地点"] = "学校", ["隐患类型"] = "房屋", ["隐患等级"] = "重大", ["整改状态"] = "整改中" });

        async Task<string?> PreviewAsync(LedgerRuleRequest rule)
        {
            var response = await gatekeeper.PostAsJsonAsync("/api/v1/ledgers/rules/preview", new LedgerPreviewRequest(rule, Village, quarter.ToString()), Json);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            return (await response.Content.ReadFromJsonAsync<List<LedgerPreviewRow>>(Json))!.Single(r => r.Unit == Village).Value;
        }
        Assert.Equal("2", await PreviewAsync(new("HAZARDS_FIXED", LedgerSource.Ledger, LedgerMeasure.Count, hazards.Id, Filters: [new("整改状态", "已整改")])));
        Assert.Equal("1", await PreviewAsync(new("HAZARDS_FIXED", LedgerSource.Ledger, LedgerMeasure.Count, hazards.Id,
            Filters: [new("整改状态", "已整改"), new("隐患等级", "重大")])));
        Assert.Equal(Iso(quarter.Start.AddDays(60)), await PreviewAsync(new("LAST_COMMITTEE_MEETING_DATE", LedgerSource.Ledger, LedgerMeasure.Latest, hazards.Id,
            Field: "整改完成日期")));

        // A filter on a field that is no option set, or a date put into a count, is refused with the reason.
        var refused = await gatekeeper.PostAsJsonAsync("/api/v1/ledgers/rules/preview", new LedgerPreviewRequest(
            new("HAZARDS_FIXED", LedgerSource.Ledger, LedgerMeasure.Count, hazards.Id, Filters: [new("隐患地点", "学校")]), Village, quarter.ToString()), Json);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("隐患地点", (await refused.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Json))!.Errors["Filters"][0]);
        var unfit = await gatekeeper.PostAsJsonAsync("/api/v1/ledgers/rules/preview", new LedgerPreviewRequest(
            new("HAZARDS_FIXED", LedgerSource.Ledger, LedgerMeasure.Latest, hazards.Id, Field: "整改完成日期"), Village, quarter.ToString()), Json);
        Assert.Equal(HttpStatusCode.BadRequest, unfit.StatusCode);
        // Only the gatekeeper tries rules.
        Assert.Equal(HttpStatusCode.Forbidden, (await cadre.PostAsJsonAsync("/api/v1/ledgers/rules/preview", new LedgerPreviewRequest(
            new("HAZARDS_FIXED", LedgerSource.Ledger, LedgerMeasure.Count, hazards.Id), Village, quarter.ToString()), Json)).StatusCode);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Activity_records_give_the_counts_of_each_kind_of_meeting_and_the_last_committee_meeting_date(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, Village)).UserName!);
        var quarter = Period.Containing(ReportingCycle.Quarterly, Day(app, 42, 1));
        foreach (var (kind, day) in new[] { (ActivityKind.BranchCommittee, 5), (ActivityKind.BranchCommittee, 40), (ActivityKind.PartyLesson, 20), (ActivityKind.MembersAssembly, 33), (ActivityKind.HouseholdVisit, 41) })
        {
            var response = await cadre.PostAsJsonAsync("/api/v1/activities", new ActivityRequest(kind, quarter.Start.AddDays(day), Participants: 6), Json);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        var values = await ValuesAsync(app, Village, quarter.ToString(),
            "BRANCH_COMMITTEE_MEETINGS", "MEMBER_GENERAL_MEETINGS", "PARTY_GROUP_MEETINGS", "PARTY_LECTURES", "LAST_COMMITTEE_MEETING_DATE");
        Assert.Equal(("2", ValueSource.Ledger), values["BRANCH_COMMITTEE_MEETINGS"]);
        Assert.Equal(("1", ValueSource.Ledger), values["MEMBER_GENERAL_MEETINGS"]);
        Assert.Equal(("1", ValueSource.Ledger), values["PARTY_LECTURES"]);
        Assert.False(values.ContainsKey("PARTY_GROUP_MEETINGS"));   // no group meeting recorded: nothing made up
        Assert.Equal((Iso(quarter.Start.AddDays(40)), ValueSource.Ledger), values["LAST_COMMITTEE_MEETING_DATE"]);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_ledger_downloads_as_xlsx_with_the_unit_the_period_and_who_recorded_each_row(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var first = await app.CreateUserAsync(Role.Cadre, Neighbour);
        var second = await app.CreateUserAsync(Role.UnitHead, Neighbour);
        var disputes = await KindAsync(await PageSession.BearerAsync(app, first.UserName!), Demo.DemoLedgers.Disputes);
        var month = Period.Containing(ReportingCycle.Monthly, Day(app, 20, 1));
        await RecordAsync(await PageSession.BearerAsync(app, first.UserName!), disputes.Id, Dispute(Day(app, 20, 4), "调解成功"));
        await RecordAsync(await PageSession.BearerAsync(app, second.UserName!), disputes.Id, Dispute(Day(app, 20, 9), "移交", "重大"));
        await RecordAsync(await PageSession.BearerAsync(app, second.UserName!), disputes.Id, Dispute(Day(app, 21, 9), "移交"));   // the month before: not in it

        var reviewer = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Reviewer, Jianguolu)).UserName!);
        var response = await reviewer.GetAsync($"/api/v1/ledgers/entries.xlsx?kind={disputes.Id}&unit={Neighbour}&period={month}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(LedgersApi.XlsxType, response.Content.Headers.ContentType?.MediaType);
        using var file = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var rows = file.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        var unitName = await app.WithDbAsync(db => db.OrgUnits.Where(u => u.Code == Neighbour).Select(u => u.Name).SingleAsync());
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(unitName, r["单位"]));
        Assert.All(rows, r => Assert.Equal(month.ToString(), r["报告期"]));
        Assert.Equal([first.UserName, second.UserName], rows.Select(r => r["记录人"]));
        Assert.Equal(["调解成功", "移交"], rows.Select(r => r["调处结果"]));
        Assert.Equal(Iso(Day(app, 20, 4)), rows[0]["日期"]);
    }
}
