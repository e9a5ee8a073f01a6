using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using OneForm.Accounts;
using OneForm.Catalog;
using OneForm.Common;
using OneForm.Collection;
using OneForm.Collection.Files;
using OneForm.Data;
using OneForm.Sharing;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Collection;

/// <summary>
/// Accepted means accepted: 党员总数 sits in 《村（社区）党组织基本情况季报表》 (CJ-DJ-01) and in 《“三会一课”…》 (CJ-DJ-02);
/// once the first is accepted, changing it through the second (page, API or file) sends the first back to the unit.
/// Units of 北京南路街道 (652301003000), which no other test uses.
/// </summary>
[Collection(nameof(AppsCollection))]
public sealed class ReopeningTests(Apps apps)
{
    private sealed record People(OneFormHost App, OneFormUser CadreUser, HttpClient Cadre, OneFormUser HeadUser, HttpClient Head,
        OneFormUser ReviewerUser, HttpClient Reviewer);

    private async Task<People> PeopleAsync(DatabaseProvider provider, string unit)
    {
        var app = await apps.GetAsync(provider);
        var cadre = await app.CreateUserAsync(Role.Cadre, unit);
        var head = await app.CreateUserAsync(Role.UnitHead, unit);
        var reviewer = await app.CreateUserAsync(Role.Reviewer, "652301003000");
        return new People(app, cadre, await PageSession.BearerAsync(app, cadre.UserName!), head, await PageSession.BearerAsync(app, head.UserName!),
            reviewer, await PageSession.BearerAsync(app, reviewer.UserName!));
    }

    /// <summary>The cadre fills every typed field and submits, the head signs off, the reviewer accepts.</summary>
    private static async Task<int> AcceptedAsync(People people, string unit, string form, int seed = 3)
    {
        var taskId = await Filling.TaskIdAsync(people.App, unit, form);
        var task = await Filling.GetAsync(people.Cadre, taskId);
        var submitted = await people.Cadre.PutAsJsonAsync($"/api/v1/tasks/{taskId}/values", new ValuesRequest(await Filling.EverythingAsync(people.App, task, seed), Submit: true));
        Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await people.Head.PostAsync($"/api/v1/tasks/{taskId}/sign-off", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await people.Reviewer.PostAsync($"/api/v1/tasks/{taskId}/accept", null)).StatusCode);
        Assert.Equal("Accepted", (await Filling.GetAsync(people.Cadre, taskId)).Task.Status);
        return taskId;
    }

    private static Task<string> FormNameAsync(OneFormHost app, string code) =>
        app.WithDbAsync(db => db.Forms.Where(f => f.Code == code && f.Status == FormStatus.Admitted).Select(f => f.Name).SingleAsync());

    private static async Task<string> DetailAsync(HttpResponseMessage response)
    {
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("detail").GetString()!;
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Changing_an_accepted_value_through_another_form_by_the_API_reopens_the_accepted_form_for_sign_off_and_review_again(DatabaseProvider provider)
    {
        const string unit = "652301003010";
        var people = await PeopleAsync(provider, unit);
        var accepted = await AcceptedAsync(people, unit, "CJ-DJ-01");
        var meetingsId = await Filling.TaskIdAsync(people.App, unit, "CJ-DJ-02");
        var meetings = await Filling.GetAsync(people.Cadre, meetingsId);
        var before = meetings.Values.Single(v => v.Element == "PARTY_MEMBERS").Value;

        // Before saving, the task says which accepted form a change would reopen, and through which elements.
        var warned = Assert.Single(meetings.WouldReopen!);
        Assert.Equal((accepted, "CJ-DJ-01", "Accepted"), (warned.Id, warned.FormCode, warned.Was));
        Assert.Equal(["PARTY_MEMBERS", "PARTY_MEMBERS_MOBILE"], warned.Elements.Order(StringComparer.Ordinal));

        var saved = await people.Cadre.PutAsJsonAsync($"/api/v1/tasks/{meetingsId}/values", new ValuesRequest([Filling.Change(meetings, "PARTY_MEMBERS", "55")]));

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var reopened = Assert.Single((await saved.Content.ReadFromJsonAsync<SaveResult>())!.Reopened!);
        Assert.Equal((accepted, "CJ-DJ-01", "Accepted", "PARTY_MEMBERS"), (reopened.Id, reopened.FormCode, reopened.Was, Assert.Single(reopened.Elements)));
        var seenByReviewer = await Filling.GetAsync(people.Reviewer, accepted);
        Assert.Equal("Reopened", seenByReviewer.Task.Status);
        Assert.Null(seenByReviewer.SignedOffBy);
        var change = Assert.Single(seenByReviewer.Changes!);
        Assert.Equal(("PARTY_MEMBERS", before, "55", people.CadreUser.UserName, "CJ-DJ-02"),
            (change.Element, change.OldValue, change.NewValue, change.ChangedBy, change.ThroughFormCode));
        Assert.Empty((await Filling.GetAsync(people.Cadre, meetingsId)).WouldReopen!);

        // It is not accepted as it stands: the cadre submits it again, the head signs again, the reviewer reviews again.
        Assert.Equal(HttpStatusCode.Conflict, (await people.Reviewer.PostAsync($"/api/v1/tasks/{accepted}/accept", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await people.Cadre.PutAsJsonAsync($"/api/v1/tasks/{accepted}/values", new ValuesRequest([], Submit: true))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await people.Reviewer.PostAsync($"/api/v1/tasks/{accepted}/accept", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await people.Head.PostAsync($"/api/v1/tasks/{accepted}/sign-off", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await people.Reviewer.PostAsync($"/api/v1/tasks/{accepted}/accept", null)).StatusCode);
        var again = await Filling.GetAsync(people.Cadre, accepted);
        Assert.Equal("Accepted", again.Task.Status);
        Assert.Equal("55", again.Values.Single(v => v.Element == "PARTY_MEMBERS").Value);

        // The save is in the audit trail: the task, the count and the elements, and what it reopened.
        var unitId = await people.App.WithDbAsync(db => db.OrgUnits.Where(u => u.Code == unit).Select(u => u.Id).SingleAsync());
        var audit = Assert.Single(await people.App.WithDbAsync(db => db.AuditEntries
            .Where(e => e.Kind == "Values.Saved" && e.EntityKey == meetingsId.ToString(CultureInfo.InvariantCulture)).ToListAsync()));
        Assert.Equal((unitId, people.CadreUser.Id), (audit.OrgUnitId, audit.ActorId));
        Assert.Contains("CJ-DJ-02", audit.Summary);
        Assert.Contains("1 values entered (PARTY_MEMBERS)", audit.Summary);
        Assert.Contains($"reopened CJ-DJ-01 (task {accepted})", audit.Summary);
        Assert.Contains("\"PARTY_MEMBERS\":[\"" + before + "\",\"55\"]", audit.Changes);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_submission_signed_off_but_not_yet_reviewed_is_reopened_too_and_loses_its_sign_off(DatabaseProvider provider)
    {
        const string unit = "652301003008";
        var people = await PeopleAsync(provider, unit);
        var partyId = await Filling.TaskIdAsync(people.App, unit, "CJ-DJ-01");
        var party = await Filling.GetAsync(people.Cadre, partyId);
        Assert.Equal(HttpStatusCode.OK, (await people.Cadre.PutAsJsonAsync($"/api/v1/tasks/{partyId}/values",
            new ValuesRequest(await Filling.EverythingAsync(people.App, party, 5), Submit: true))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await people.Head.PostAsync($"/api/v1/tasks/{partyId}/sign-off", null)).StatusCode);
        var meetingsId = await Filling.TaskIdAsync(people.App, unit, "CJ-DJ-02");
        var meetings = await Filling.GetAsync(people.Cadre, meetingsId);

        var saved = await people.Cadre.PutAsJsonAsync($"/api/v1/tasks/{meetingsId}/values",
            new ValuesRequest([Filling.Change(meetings, "PARTY_MEMBERS_MOBILE",
                (int.Parse(meetings.Values.Single(v => v.Element == "PARTY_MEMBERS_MOBILE").Value!, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture))]));

        var reopened = Assert.Single((await saved.Content.ReadFromJsonAsync<SaveResult>())!.Reopened!);
        Assert.Equal((partyId, "Submitted"), (reopened.Id, reopened.Was));
        var now = await Filling.GetAsync(people.Reviewer, partyId);
        Assert.Equal(("Reopened", (string?)null), (now.Task.Status, now.SignedOffBy));
        Assert.Equal(HttpStatusCode.Conflict, (await people.Reviewer.PostAsync($"/api/v1/tasks/{partyId}/accept", null)).StatusCode);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_filling_page_names_the_forms_a_change_will_reopen_and_the_reviewer_sees_what_changed(DatabaseProvider provider)
    {
        const string unit = "652301003011";
        var people = await PeopleAsync(provider, unit);
        var accepted = await AcceptedAsync(people, unit, "CJ-DJ-01");
        var meetingsId = await Filling.TaskIdAsync(people.App, unit, "CJ-DJ-02");
        var before = (await Filling.GetAsync(people.Cadre, meetingsId)).Values.Single(v => v.Element == "PARTY_MEMBERS").Value;
        var partyForm = await FormNameAsync(people.App, "CJ-DJ-01");
        var meetingsForm = await FormNameAsync(people.App, "CJ-DJ-02");
        var cadre = await PageSession.SignedInAsync(people.App, people.CadreUser.UserName!);
        var url = $"/Collection/Task/{meetingsId}";

        var page = await cadre.GetHtmlAsync(url);
        Assert.Contains("保存后将重新打开：", page);
        Assert.Contains($"《{partyForm}》（已通过）：党员总数、流动党员数", page);

        var posted = await cadre.SubmitAsync(url, new() { ["Typed[PARTY_MEMBERS]"] = "55" }, url + "?handler=Save");

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var after = await cadre.GetHtmlAsync(url);
        var quarter = Period.Parse(Filling.CurrentPeriod(people.App, ReportingCycle.Quarterly));
        Assert.Contains($"以下表格已重新打开，需重新签字和审核：《{partyForm}》{quarter.Year}年第{quarter.Number}季度。", after);
        Assert.DoesNotContain("保存后将重新打开：", after);
        var reviewer = await PageSession.SignedInAsync(people.App, people.ReviewerUser.UserName!);
        var reviewed = await reviewer.GetHtmlAsync($"/Collection/Task/{accepted}");
        Assert.Contains("data-testid=\"task-state\">已重新打开</span>", reviewed);
        Assert.Contains($"党员总数：{before} → 55，{people.CadreUser.UserName}于", reviewed);
        Assert.Contains($"通过《{meetingsForm}》修改", reviewed);
        Assert.DoesNotContain("handler=Accept", reviewed);
        var period = Filling.CurrentPeriod(people.App, ReportingCycle.Quarterly);
        var review = await reviewer.GetHtmlAsync($"/Collection/Review?form=CJ-DJ-01&period={period}&unit=652301003000");
        Assert.Contains("因其中数据发生变化而重新打开", review);
        Assert.Contains("已重新打开", review);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Uploading_a_file_that_changes_an_accepted_value_reopens_the_form_holding_it(DatabaseProvider provider)
    {
        const string unit = "652301003012";
        var people = await PeopleAsync(provider, unit);
        var accepted = await AcceptedAsync(people, unit, "CJ-DJ-01");
        var meetingsId = await Filling.TaskIdAsync(people.App, unit, "CJ-DJ-02");
        var download = await people.Cadre.GetAsync($"/api/v1/tasks/{meetingsId}/file?format=xlsx");
        using var downloaded = new MemoryStream(await download.Content.ReadAsByteArrayAsync());
        var rows = downloaded.Query(useHeaderRow: false, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();
        var members = rows.Single(r => (r["B"] as string) == "PARTY_MEMBERS");
        var before = Convert.ToString(members["E"], CultureInfo.InvariantCulture);
        members["E"] = 77;
        using var file = new MemoryStream();
        file.SaveAs(rows, printHeader: false, sheetName: "CJ-DJ-02", excelType: ExcelType.XLSX);
        using var content = new MultipartFormDataContent { { new ByteArrayContent(file.ToArray()), "file", "filled.xlsx" } };

        var uploaded = await people.Cadre.PostAsync($"/api/v1/tasks/{meetingsId}/file?saveValidCells=true", content);

        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
        var report = (await uploaded.Content.ReadFromJsonAsync<FileImportResult>())!;
        Assert.Equal(accepted, Assert.Single(report.Reopened!).Id);
        var reopened = await Filling.GetAsync(people.Reviewer, accepted);
        Assert.Equal("Reopened", reopened.Task.Status);
        var change = Assert.Single(reopened.Changes!);
        Assert.Equal(("PARTY_MEMBERS", before, "77", people.CadreUser.UserName, "CJ-DJ-02", "filled.xlsx"),
            (change.Element, change.OldValue, change.NewValue, change.ChangedBy, change.ThroughFormCode, change.ThroughFile));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_head_returns_a_submission_to_the_cadre_and_a_cadre_withdraws_one_not_yet_reviewed_but_not_one_reviewed(DatabaseProvider provider)
    {
        const string unit = "652301003013";
        var people = await PeopleAsync(provider, unit);
        var taskId = await Filling.TaskIdAsync(people.App, unit, "CJ-DJ-02");
        var task = await Filling.GetAsync(people.Cadre, taskId);
        Assert.Equal(HttpStatusCode.OK, (await people.Cadre.PutAsJsonAsync($"/api/v1/tasks/{taskId}/values",
            new ValuesRequest(await Filling.EverythingAsync(people.App, task, 4), Submit: true))).StatusCode);
        var url = $"/Collection/Task/{taskId}";
        var headPages = await PageSession.SignedInAsync(people.App, people.HeadUser.UserName!);
        var cadrePages = await PageSession.SignedInAsync(people.App, people.CadreUser.UserName!);
        Assert.Contains("退回给填报人员", await headPages.GetHtmlAsync(url));
        Assert.Contains("撤回报送", await cadrePages.GetHtmlAsync(url));

        var byCadre = await people.Cadre.PostAsJsonAsync($"/api/v1/tasks/{taskId}/return-to-cadre", new ReturnRequest("自己退回"));
        var noComment = await people.Head.PostAsJsonAsync($"/api/v1/tasks/{taskId}/return-to-cadre", new ReturnRequest(" "));
        var returned = await headPages.SubmitAsync(url, new() { ["Comment"] = "主题党日次数请与记录核对。" }, url + "?handler=ReturnToCadre");

        Assert.Equal(HttpStatusCode.Forbidden, byCadre.StatusCode);  // returning to the cadre is the head's operation
        Assert.Equal(HttpStatusCode.Conflict, noComment.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, returned.StatusCode);
        var seen = await Filling.GetAsync(people.Cadre, taskId);
        Assert.Equal(("Returned", "主题党日次数请与记录核对。", people.HeadUser.UserName), (seen.Task.Status, seen.ReviewComment, seen.ReviewedBy));
        Assert.Contains("主题党日次数请与记录核对。", await cadrePages.GetHtmlAsync(url));

        // Submitted again and withdrawn by the cadre before anyone reviewed it: a draft again.
        Assert.Equal(HttpStatusCode.OK, (await people.Cadre.PutAsJsonAsync($"/api/v1/tasks/{taskId}/values", new ValuesRequest([], Submit: true))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await people.Head.PostAsync($"/api/v1/tasks/{taskId}/sign-off", null)).StatusCode);
        var withdrawn = await cadrePages.SubmitAsync(url, [], url + "?handler=Withdraw");
        Assert.Equal(HttpStatusCode.Redirect, withdrawn.StatusCode);
        var draft = await Filling.GetAsync(people.Cadre, taskId);
        Assert.Equal(("Draft", (string?)null), (draft.Task.Status, draft.SignedOffBy));
        Assert.Contains("报送已撤回，表格恢复为草稿。", await cadrePages.GetHtmlAsync(url));

        // Once reviewed, it cannot be withdrawn.
        Assert.Equal(HttpStatusCode.OK, (await people.Cadre.PutAsJsonAsync($"/api/v1/tasks/{taskId}/values", new ValuesRequest([], Submit: true))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await people.Head.PostAsync($"/api/v1/tasks/{taskId}/sign-off", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await people.Reviewer.PostAsync($"/api/v1/tasks/{taskId}/accept", null)).StatusCode);
        var tooLate = await people.Cadre.PostAsync($"/api/v1/tasks/{taskId}/withdraw", null);
        Assert.Equal(HttpStatusCode.Conflict, tooLate.StatusCode);
        Assert.Equal("该报送已经审核，不能再撤回。", await DetailAsync(tooLate));
        Assert.Equal("Accepted", (await Filling.GetAsync(people.Cadre, taskId)).Task.Status);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Statistics_and_the_roll_up_say_which_figures_are_accepted_and_can_count_accepted_values_only(DatabaseProvider provider)
    {
        const string acceptedUnit = "652301003014";
        const string draftUnit = "652301003009";
        var people = await PeopleAsync(provider, acceptedUnit);
        var app = people.App;
        var acceptedId = await AcceptedAsync(people, acceptedUnit, "CJ-DJ-01");
        var acceptedValue = double.Parse((await Filling.GetAsync(people.Cadre, acceptedId)).Values.Single(v => v.Element == "PARTY_MEMBERS").Value!,
            CultureInfo.InvariantCulture);
        var drafter = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, draftUnit)).UserName!);
        var draft = await Filling.GetAsync(drafter, await Filling.TaskIdAsync(app, draftUnit, "CJ-DJ-01"));
        Assert.Equal(HttpStatusCode.OK, (await drafter.PutAsJsonAsync($"/api/v1/tasks/{draft.Task.Id}/values",
            new ValuesRequest([Filling.Change(draft, "PARTY_MEMBERS", "7")]))).StatusCode);
        var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        var period = Filling.CurrentPeriod(app, ReportingCycle.Quarterly);
        var query = $"/api/v1/statistics?elements=PARTY_MEMBERS&unit=652301003000&level=Village&periods={period}";
        Task<StatisticsTable?> Table(bool acceptedOnly) => gatekeeper.GetFromJsonAsync<StatisticsTable>($"{query}&acceptedOnly={acceptedOnly}", TestJson.Options);
        Task<List<RollUpRow>?> RollUpRows(string unit, bool acceptedOnly) =>
            gatekeeper.GetFromJsonAsync<List<RollUpRow>>($"/api/v1/values/rollup?unit={unit}&period={period}&form=CJ-DJ-01&acceptedOnly={acceptedOnly}");

        var all = (await Table(false))!;
        var only = (await Table(true))!;

        StatRow Row(StatisticsTable table, string code) => table.Rows.Single(r => r.Code == code);
        Assert.False(all.AcceptedOnly);
        Assert.Equal((acceptedValue, 1, 1), (Row(all, acceptedUnit).Values[0], Row(all, acceptedUnit).Reported[0], Row(all, acceptedUnit).Accepted[0]));
        Assert.Equal((7.0, 1, 0), (Row(all, draftUnit).Values[0], Row(all, draftUnit).Reported[0], Row(all, draftUnit).Accepted[0]));
        Assert.True(only.AcceptedOnly);
        Assert.Equal((acceptedValue, 1, 1), (Row(only, acceptedUnit).Values[0], Row(only, acceptedUnit).Reported[0], Row(only, acceptedUnit).Accepted[0]));
        Assert.Equal(((double?)null, 0), (Row(only, draftUnit).Values[0], Row(only, draftUnit).Reported[0]));
        Assert.True(only.Total.Accepted[0] == only.Total.Reported[0]);
        Assert.True(all.Total.Accepted[0] < all.Total.Reported[0]);

        var draftFigure = (await RollUpRows(draftUnit, false))!.Single(r => r.Element == "PARTY_MEMBERS");
        var draftAccepted = (await RollUpRows(draftUnit, true))!.Single(r => r.Element == "PARTY_MEMBERS");
        var acceptedFigure = (await RollUpRows(acceptedUnit, true))!.Single(r => r.Element == "PARTY_MEMBERS");
        Assert.Equal((7.0, 1, 0), (draftFigure.Value, draftFigure.Reported, draftFigure.Accepted));
        Assert.Equal(((double?)null, 0, true), (draftAccepted.Value, draftAccepted.Reported, draftAccepted.AcceptedOnly));
        Assert.Equal((acceptedValue, 1, 1), (acceptedFigure.Value, acceptedFigure.Reported, acceptedFigure.Accepted));

        // Changed through another form, the value is no longer the accepted one, and is not counted as such.
        var meetings = await Filling.GetAsync(people.Cadre, await Filling.TaskIdAsync(app, acceptedUnit, "CJ-DJ-02"));
        Assert.Equal(HttpStatusCode.OK, (await people.Cadre.PutAsJsonAsync($"/api/v1/tasks/{meetings.Task.Id}/values",
            new ValuesRequest([Filling.Change(meetings, "PARTY_MEMBERS", "99")]))).StatusCode);
        Assert.Equal(((double?)null, 0), (Row((await Table(true))!, acceptedUnit).Values[0], Row((await Table(true))!, acceptedUnit).Reported[0]));
        Assert.Equal((99.0, 0), (Row((await Table(false))!, acceptedUnit).Values[0], Row((await Table(false))!, acceptedUnit).Accepted[0]));

        // The pages say it too.
        var reviewer = await PageSession.SignedInAsync(app, people.ReviewerUser.UserName!);
        var review = await reviewer.GetHtmlAsync($"/Collection/Review?form=CJ-DJ-01&period={period}&unit=652301003000&acceptedOnly=true");
        Assert.Contains("仅统计已通过的数据：", review);
        Assert.Contains("其中已通过", review);
        var statisticsPage = await (await PageSession.SignedInAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword))
            .GetHtmlAsync($"/Statistics?Elements=PARTY_MEMBERS&Unit={draftUnit}&Level=Village&Periods={period}");
        Assert.Contains("已通过 0", statisticsPage);
        Assert.Contains("草稿和尚未通过的报送也计入", statisticsPage);
    }

    /// <summary>The admitted form of the unit's current tasks that holds <paramref name="element"/>, with the shortest cycle.</summary>
    private static Task<string> FormHoldingAsync(OneFormHost app, string unit, string element) =>
        app.WithDbAsync(db => db.FillingTasks.Where(t => t.OrgUnit!.Code == unit && t.Form!.Status == FormStatus.Admitted
                && t.Form.Sections.Any(s => s.Fields.Any(f => f.DataElement!.Code == element)))
            .Select(t => new { t.Form!.Code, t.Form.Cycle }).Distinct().ToListAsync())
            .ContinueWith(t => t.Result.OrderBy(f => f.Cycle).First().Code, TaskScheduler.Default);

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_ledger_entry_recorded_after_acceptance_reopens_the_form_holding_its_count_and_says_so(DatabaseProvider provider)
    {
        const string unit = "652301003007";
        var people = await PeopleAsync(provider, unit);
        var form = await FormHoldingAsync(people.App, unit, "DISPUTES_SCREENED");
        var accepted = await AcceptedAsync(people, unit, form);
        var before = (await Filling.GetAsync(people.Cadre, accepted)).Values.Single(v => v.Element == "DISPUTES_SCREENED").Value;
        var period = Period.Parse((await Filling.GetAsync(people.Cadre, accepted)).Task.Period);
        var disputes = (await people.Cadre.GetFromJsonAsync<List<OneForm.Ledgers.LedgerKindView>>("/api/v1/ledgers/kinds", TestJson.Options))!
            .Single(k => k.Name == Demo.DemoLedgers.Disputes);

        // A dispute of that period, recorded on the ledger page after the form was accepted.
        var day = period.End < people.App.Services.GetRequiredService<OneForm.Localization.DisplayTime>().Today ? period.End : period.Start;
        Dictionary<string, string> Dispute(string parties) => new()
        {
            ["f" + disputes.Fields.Single(f => f.Name == "日期").Id] = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["f" + disputes.Fields.Single(f => f.Name == "当事人数").Id] = parties,
            ["f" + disputes.Fields.Single(f => f.Name == "纠纷类型").Id] = "邻里纠纷",
            ["f" + disputes.Fields.Single(f => f.Name == "纠纷等级").Id] = "一般",
            ["f" + disputes.Fields.Single(f => f.Name == "调处结果").Id] = "调解成功",
        };
        var page = await PageSession.SignedInAsync(people.App, people.CadreUser.UserName!);
        var posted = await page.SubmitAsync($"/Ledgers/Entry?kind={disputes.Id}", Dispute("2"));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var ledger = await page.GetHtmlAsync(posted.Headers.Location!.OriginalString);
        var formName = await FormNameAsync(people.App, form);
        Assert.Contains($"以下表格已重新打开，需重新签字和审核：《{formName}》", ledger);

        // The reviewer sees it back with the unit, the count that changed, and that it came from the unit's ledger, not a form.
        var seen = await Filling.GetAsync(people.Reviewer, accepted);
        Assert.Equal("Reopened", seen.Task.Status);
        var change = Assert.Single(seen.Changes!, c => c.Element == "DISPUTES_SCREENED");
        Assert.Equal((before, (int.Parse(before ?? "0", CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture), ValueSource.Ledger, null),
            (change.OldValue, change.NewValue, change.Source, change.ThroughFormCode));
        var taskPage = await page.GetHtmlAsync($"/Collection/Task/{accepted}");
        Assert.Contains("本单位的台账和活动记录", taskPage);

        // The API answers a recording with what it sent back: nothing more now, the form is already back with the unit.
        var recorded = await people.Cadre.PostAsJsonAsync("/api/v1/ledgers/entries", new OneForm.Ledgers.LedgerEntryRequest(disputes.Id,
            Dispute("3").ToDictionary(f => disputes.Fields.Single(x => "f" + x.Id == f.Key).Name, f => (string?)f.Value)), TestJson.Options);
        Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
        Assert.Empty((await recorded.Content.ReadFromJsonAsync<OneForm.Ledgers.LedgerEntryView>(TestJson.Options))!.Reopened!);
        Assert.Equal("Reopened", (await Filling.GetAsync(people.Reviewer, accepted)).Task.Status);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_registry_import_that_changes_an_accepted_figure_reopens_the_form_and_names_the_registry(DatabaseProvider provider)
    {
        const string unit = "652301003004";
        var people = await PeopleAsync(provider, unit);
        var form = await FormHoldingAsync(people.App, unit, "HOUSEHOLDS");
        var accepted = await AcceptedAsync(people, unit, form);
        var before = (await Filling.GetAsync(people.Cadre, accepted)).Values.Single(v => v.Element == "HOUSEHOLDS").Value;

        // A household moves in: the registry's count of households changes under the accepted form.
        var household = "R" + Guid.NewGuid().ToString("N")[..10];
        var born = new DateOnly(1985, 3, 1);
        var batch = await OneForm.Tests.Registry.RegistryFiles.ImportAsync(people.App, OneForm.Tests.Registry.RegistryFiles.Csv(
            [OneForm.Tests.Registry.RegistryFiles.Header,
             OneForm.Tests.Registry.RegistryFiles.Line(OneForm.Tests.Registry.RegistryFiles.Number(born, OneForm.Registry.Sex.Male), "迁入户主", "男", "1985-03-01", household, unit)]));
        Assert.Equal(OneForm.Registry.BatchState.Completed, batch.State);

        var seen = await Filling.GetAsync(people.Reviewer, accepted);
        Assert.Equal("Reopened", seen.Task.Status);
        var change = Assert.Single(seen.Changes!, c => c.Element == "HOUSEHOLDS");
        Assert.Equal((before, (int.Parse(before ?? "0", CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture), ValueSource.Derived, null),
            (change.OldValue, change.NewValue, change.Source, change.ThroughFormCode));
        var page = await PageSession.SignedInAsync(people.App, people.CadreUser.UserName!);
        var html = await page.GetHtmlAsync($"/Collection/Task/{accepted}");
        Assert.Contains("由人口基础数据更新", html[html.IndexOf("data-testid=\"reopened\"", StringComparison.Ordinal)..]);
    }
}
