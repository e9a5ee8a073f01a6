using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Accounts;
using OneForm.Catalog;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Collection;

[Collection(nameof(AppsCollection))]
public sealed class FillingTests(Apps apps)
{
    private static async Task<(OneFormHost App, HttpClient Cadre)> CadreOfAsync(Apps apps, DatabaseProvider provider, string unit)
    {
        var app = await apps.GetAsync(provider);
        var cadre = await app.CreateUserAsync(Role.Cadre, unit);
        return (app, await PageSession.BearerAsync(app, cadre.UserName!));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Filling_an_element_through_one_form_fills_it_in_every_form_that_has_it(DatabaseProvider provider)
    {
        var (app, cadre) = await CadreOfAsync(apps, provider, "652301004005");
        var partyForm = await Filling.GetAsync(cadre, await Filling.TaskIdAsync(app, "652301004005", "CJ-DJ-01"));

        var saved = await cadre.PutAsJsonAsync($"/api/v1/tasks/{partyForm.Task.Id}/values", new ValuesRequest(
            [Filling.Change(partyForm, "PARTY_MEMBERS", "45"), Filling.Change(partyForm, "PARTY_MEMBERS_MOBILE", "3")]));
        var meetingsForm = await Filling.GetAsync(cadre, await Filling.TaskIdAsync(app, "652301004005", "CJ-DJ-02"));

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var members = meetingsForm.Values.Single(v => v.Element == "PARTY_MEMBERS");
        Assert.Equal("45", members.Value);
        Assert.Equal(await app.WithDbAsync(db => db.Forms.Where(f => f.Code == "CJ-DJ-01").Select(f => f.Id).SingleAsync()), members.ThroughFormId);
        Assert.Equal("3", meetingsForm.Values.Single(v => v.Element == "PARTY_MEMBERS_MOBILE").Value);
        Assert.Equal(2, meetingsForm.Task.Filled);
        Assert.Equal("Draft", (await Filling.GetAsync(cadre, partyForm.Task.Id)).Task.Status);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_value_keeps_its_history_of_who_changed_it_from_what_to_what(DatabaseProvider provider)
    {
        var (app, cadre) = await CadreOfAsync(apps, provider, "652301004006");
        var task = await Filling.GetAsync(cadre, await Filling.TaskIdAsync(app, "652301004006", "CJ-DJ-01"));
        await cadre.PutAsJsonAsync($"/api/v1/tasks/{task.Task.Id}/values", new ValuesRequest([Filling.Change(task, "PARTY_MEMBERS", "100")]));
        task = await Filling.GetAsync(cadre, task.Task.Id);
        await cadre.PutAsJsonAsync($"/api/v1/tasks/{task.Task.Id}/values", new ValuesRequest([Filling.Change(task, "PARTY_MEMBERS", "102")]));

        var history = await cadre.GetFromJsonAsync<List<ValueChangeResponse>>(
            $"/api/v1/values/history?element=PARTY_MEMBERS&unit=652301004006&period={task.Task.Period}");

        Assert.Equal([(null, "100"), ("100", "102")], history!.Select(h => (h.OldValue, h.NewValue)));
        Assert.All(history!, h => Assert.StartsWith("cadre.", h.ChangedBy));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Two_people_changing_one_value_cannot_silently_overwrite_each_other(DatabaseProvider provider)
    {
        var (app, first) = await CadreOfAsync(apps, provider, "652301004007");
        var head = await app.CreateUserAsync(Role.UnitHead, "652301004007");
        var second = await PageSession.BearerAsync(app, head.UserName!);
        var taskId = await Filling.TaskIdAsync(app, "652301004007", "CJ-DJ-01");
        var seenByFirst = await Filling.GetAsync(first, taskId);
        var seenBySecond = await Filling.GetAsync(second, taskId);

        var firstSave = await first.PutAsJsonAsync($"/api/v1/tasks/{taskId}/values", new ValuesRequest([Filling.Change(seenByFirst, "PARTY_MEMBERS", "300")]));
        var secondSave = await second.PutAsJsonAsync($"/api/v1/tasks/{taskId}/values", new ValuesRequest(
            [Filling.Change(seenBySecond, "PARTY_MEMBERS", "310"), Filling.Change(seenBySecond, "PARTY_MEMBERS_MOBILE", "9")]));

        Assert.Equal(HttpStatusCode.OK, firstSave.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, secondSave.StatusCode);
        var conflict = (await secondSave.Content.ReadFromJsonAsync<SaveResult>())!.Conflicts.Single();
        Assert.Equal("PARTY_MEMBERS", conflict.ElementCode);
        Assert.Equal("300", conflict.TheirValue);
        Assert.Contains("300", conflict.Message);
        Assert.Contains("310", conflict.Message);
        var now = await Filling.GetAsync(first, taskId);
        Assert.Equal("300", now.Values.Single(v => v.Element == "PARTY_MEMBERS").Value);
        Assert.Null(now.Values.Single(v => v.Element == "PARTY_MEMBERS_MOBILE").Value);  // all or nothing
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Bad_values_are_refused_with_the_field_and_rule_named_and_nothing_is_saved(DatabaseProvider provider)
    {
        var (app, cadre) = await CadreOfAsync(apps, provider, "652301004008");
        var task = await Filling.GetAsync(cadre, await Filling.TaskIdAsync(app, "652301004008", "CJ-DJ-01"));

        var response = await cadre.PutAsJsonAsync($"/api/v1/tasks/{task.Task.Id}/values", new ValuesRequest(
            [Filling.Change(task, "PARTY_MEMBERS", "abc"), Filling.Change(task, "PARTY_MEMBERS_PROBATIONARY", "-5"), Filling.Change(task, "PARTY_MEMBERS_MOBILE", "１２")]));
        var submitEmpty = await cadre.PutAsJsonAsync($"/api/v1/tasks/{task.Task.Id}/values", new ValuesRequest([], Submit: true));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
        Assert.Equal("党员总数必须是整数；“abc”不是。", problem.Errors["PARTY_MEMBERS"].Single());
        Assert.Contains("不能小于0", problem.Errors["PARTY_MEMBERS_PROBATIONARY"].Single());
        Assert.False(problem.Errors.ContainsKey("PARTY_MEMBERS_MOBILE"));  // full-width digits are read as digits
        Assert.All((await Filling.GetAsync(cadre, task.Task.Id)).Values.Where(v => v.Source != "Derived"), v => Assert.Null(v.Value));
        Assert.Equal(HttpStatusCode.BadRequest, submitEmpty.StatusCode);
        Assert.Contains("为必填项", await submitEmpty.Content.ReadAsStringAsync());
        Assert.Equal("NotStarted", (await Filling.GetAsync(cadre, task.Task.Id)).Task.Status);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_cadre_cannot_fill_or_read_another_units_task(DatabaseProvider provider)
    {
        var (app, cadre) = await CadreOfAsync(apps, provider, "652301004009");
        var otherTask = await Filling.TaskIdAsync(app, "652301004010", "CJ-DJ-01");
        var otherTownship = await app.CreateUserAsync(Role.Reviewer, "652301005000");
        var otherReviewer = await PageSession.BearerAsync(app, otherTownship.UserName!);
        var department = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Department, departmentCode: "MZJ")).UserName!);

        Assert.Equal(HttpStatusCode.NotFound, (await cadre.GetAsync($"/api/v1/tasks/{otherTask}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await cadre.PutAsJsonAsync($"/api/v1/tasks/{otherTask}/values", new ValuesRequest([]))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await cadre.GetAsync($"/api/v1/values/history?element=HOUSEHOLDS&unit=652301004010&period=2026Q4")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherReviewer.GetAsync($"/api/v1/tasks/{otherTask}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await department.GetAsync($"/api/v1/tasks/{otherTask}")).StatusCode);
        Assert.All((await cadre.GetFromJsonAsync<List<TaskSummary>>("/api/v1/tasks"))!, t => Assert.Equal("652301004009", t.OrgUnitCode));
        var pages = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Cadre, "652301004009")).UserName!);
        Assert.Equal(HttpStatusCode.NotFound, (await pages.Client.GetAsync($"/Collection/Task/{otherTask}")).StatusCode);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_returned_task_goes_back_to_the_cadre_with_the_comment_and_comes_back_for_review(DatabaseProvider provider)
    {
        const string unit = "652301004011";
        var (app, cadre) = await CadreOfAsync(apps, provider, unit);
        var head = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.UnitHead, unit)).UserName!);
        var reviewer = await PageSession.BearerAsync(app, "reviewer.jianguolu", Demo.DemoSeed.DefaultPassword);
        var taskId = await Filling.TaskIdAsync(app, unit, "CJ-DJ-02");
        var task = await Filling.GetAsync(cadre, taskId);

        var submitted = await cadre.PutAsJsonAsync($"/api/v1/tasks/{taskId}/values", new ValuesRequest(await Filling.EverythingAsync(app, task, 3), Submit: true));
        var acceptedTooEarly = await reviewer.PostAsync($"/api/v1/tasks/{taskId}/accept", null);
        var signedOff = await head.PostAsync($"/api/v1/tasks/{taskId}/sign-off", null);
        var cadreSignsOff = await cadre.PostAsync($"/api/v1/tasks/{taskId}/sign-off", null);
        var noComment = await reviewer.PostAsJsonAsync($"/api/v1/tasks/{taskId}/return", new ReturnRequest(" "));
        var returned = await reviewer.PostAsJsonAsync($"/api/v1/tasks/{taskId}/return", new ReturnRequest("党员人数与上季度不一致，请核实。"));
        var seenByCadre = await Filling.GetAsync(cadre, taskId);

        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, acceptedTooEarly.StatusCode);
        Assert.Equal("application/problem+json", acceptedTooEarly.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NoContent, signedOff.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, cadreSignsOff.StatusCode);  // signing off is the head's, whatever the state
        Assert.Equal(HttpStatusCode.Conflict, noComment.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, returned.StatusCode);
        Assert.Equal("Returned", seenByCadre.Task.Status);
        Assert.Equal("党员人数与上季度不一致，请核实。", seenByCadre.ReviewComment);

        var corrected = await cadre.PutAsJsonAsync($"/api/v1/tasks/{taskId}/values",
            new ValuesRequest([Filling.Change(seenByCadre, "PARTY_MEMBERS", "41")], Submit: true));
        await head.PostAsync($"/api/v1/tasks/{taskId}/sign-off", null);
        var accepted = await reviewer.PostAsync($"/api/v1/tasks/{taskId}/accept", null);
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);
        Assert.Equal("Accepted", (await Filling.GetAsync(cadre, taskId)).Task.Status);

        // Accepted values can still be corrected, with history, and the form is reopened for a fresh sign-off and review.
        var afterAccept = await Filling.GetAsync(cadre, taskId);
        var correction = await cadre.PutAsJsonAsync($"/api/v1/tasks/{taskId}/values", new ValuesRequest([Filling.Change(afterAccept, "PARTY_MEMBERS", "42")]));
        Assert.Equal(HttpStatusCode.OK, correction.StatusCode);
        Assert.Equal(taskId, Assert.Single((await correction.Content.ReadFromJsonAsync<SaveResult>())!.Reopened!).Id);
        var corrected2 = await Filling.GetAsync(cadre, taskId);
        Assert.Equal(("Reopened", (string?)null), (corrected2.Task.Status, corrected2.SignedOffBy));
        var history = await cadre.GetFromJsonAsync<List<ValueChangeResponse>>($"/api/v1/values/history?element=PARTY_MEMBERS&unit={unit}&period={afterAccept.Task.Period}");
        Assert.Equal(["41", "42"], history!.Skip(1).Select(h => h.NewValue));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_roll_up_sums_and_averages_what_the_units_below_reported(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        // A tree of its own: one township of four villages, three of which report.
        var tree = new OneForm.Tests.Organization.DivisionFiles();
        tree.Unit(tree.Prefecture, $"汇总测试州{tree.Prefix}", "prefecture", null).Unit(tree.County(1), "汇总测试县", "county", tree.Prefecture)
            .Unit(tree.Township(1, 1), "汇总测试镇", "township", tree.County(1));
        for (var v = 1; v <= 4; v++)
        {
            tree.Unit(tree.Village(1, 1, v), $"汇总测试村{v}", "village", tree.Township(1, 1));
        }
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.Empty((await scope.ServiceProvider.GetRequiredService<OneForm.Organization.Divisions.DivisionImporter>()
                .ImportAsync(tree.Stream(), "rollup-tree.csv")).Rejected);
        }
        // A form with a summed element and an averaged one (the demo's forms average nothing).
        var gatekeeper = await PageSession.BearerAsync(app, "gatekeeper", Demo.DemoSeed.DefaultPassword);
        var suffix = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var (summed, averaged) = ($"SUM_{suffix}", $"AVG_{suffix}");
        Assert.Equal(HttpStatusCode.Created, (await gatekeeper.PostAsJsonAsync("/api/v1/dictionary/elements", new OneForm.Dictionary.ElementRequest(summed,
            $"户数{suffix}", null, null, OneForm.Dictionary.ElementValueType.Integer, "户", OneForm.Dictionary.Aggregation.Sum, "ZZB",
            OneForm.Dictionary.ElementSource.Entered, false, 0, null, null, null))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await gatekeeper.PostAsJsonAsync("/api/v1/dictionary/elements", new OneForm.Dictionary.ElementRequest(averaged,
            $"覆盖率{suffix}", null, null, OneForm.Dictionary.ElementValueType.Decimal, "%", OneForm.Dictionary.Aggregation.Average, "ZZB",
            OneForm.Dictionary.ElementSource.Entered, false, 0, 100, null, null))).StatusCode);
        var formCode = $"T-AVG-{suffix}";
        var form = (await (await gatekeeper.PostAsJsonAsync("/api/v1/forms", new FormRequest(formCode, "汇总测试表", null, FormCategory.PartyBuilding,
            ReportingCycle.Quarterly, "ZZB", "测试", 10, [OneForm.Organization.OrgUnitLevel.Village], [new SectionRequest("一", null, [summed, averaged])])))
            .Content.ReadFromJsonAsync<FormSummary>())!;
        Assert.Equal(HttpStatusCode.OK, (await gatekeeper.PostAsync($"/api/v1/forms/{form.Id}/admit", null)).StatusCode);

        var households = new[] { "120", "345", "78" };
        var rates = new[] { "95.5", "88", "100" };
        for (var i = 0; i < 3; i++)
        {
            var village = tree.Village(1, 1, i + 1);
            var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, village)).UserName!);
            var task = await Filling.GetAsync(cadre, await Filling.TaskIdAsync(app, village, formCode));
            Assert.Equal(HttpStatusCode.OK, (await cadre.PutAsJsonAsync($"/api/v1/tasks/{task.Task.Id}/values",
                new ValuesRequest([Filling.Change(task, summed, households[i]), Filling.Change(task, averaged, rates[i])]))).StatusCode);
        }
        var period = Filling.CurrentPeriod(app, ReportingCycle.Quarterly);

        var township = (await gatekeeper.GetFromJsonAsync<List<RollUpRow>>($"/api/v1/values/rollup?unit={tree.Township(1, 1)}&period={period}&form={formCode}"))!;
        var county = (await gatekeeper.GetFromJsonAsync<List<RollUpRow>>($"/api/v1/values/rollup?unit={tree.County(1)}&period={period}&form={formCode}"))!;

        // 120 + 345 + 78 = 543 households; (95.5 + 88 + 100) / 3 = 94.5 %, the village that reported nothing left out of both.
        Assert.Equal((543d, 3, 4), (township.Single(r => r.Element == summed).Value, township.Single(r => r.Element == summed).Reported,
            township.Single(r => r.Element == summed).Units));
        Assert.Equal(94.5, township.Single(r => r.Element == averaged).Value!.Value, 6);
        Assert.Equal(543d, county.Single(r => r.Element == summed).Value);
        Assert.Equal(94.5, county.Single(r => r.Element == averaged).Value!.Value, 6);

        Assert.Equal(HttpStatusCode.NoContent, (await gatekeeper.PostAsync($"/api/v1/forms/{form.Id}/retire", null)).StatusCode);
    }
}

[Collection(nameof(AppsCollection))]
public sealed class FillingPageTests(Apps apps)
{
    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_filling_page_saves_and_submits_with_plain_form_posts_and_names_bad_fields(DatabaseProvider provider)
    {
        const string unit = "652301101202";
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Cadre, unit)).UserName!);
        var taskId = await Filling.TaskIdAsync(app, unit, "CJ-FZ-01");
        var url = $"/Collection/Task/{taskId}";

        var bad = await cadre.SubmitAsync(url, new() { ["Typed[COLLECTIVE_INCOME]"] = "很多" }, url + "?handler=Save");
        var draft = await cadre.SubmitAsync(url, new() { ["Typed[COLLECTIVE_INCOME]"] = "12.5" }, url + "?handler=Save");
        var incomplete = await cadre.SubmitAsync(url, [], url + "?handler=Submit");

        var badHtml = await bad.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("必须是数字；“很多”不是。", badHtml);
        Assert.Contains("value=\"很多\"", badHtml);  // the person's typing stays on the page
        Assert.Equal(HttpStatusCode.Redirect, draft.StatusCode);
        var page = await cadre.GetHtmlAsync(url);
        Assert.Contains("value=\"12.5\"", page);
        Assert.Contains("在本表填报", page);
        Assert.Contains("为必填项", await incomplete.Content.ReadAsStringAsync());
    }
}
