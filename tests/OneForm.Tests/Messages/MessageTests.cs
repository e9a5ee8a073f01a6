using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Messages;
using OneForm.Testing;
using OneForm.Tests.Collection;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Messages;

/// <summary>
/// The message centre: the people whose turn it is are told (the head when a cadre submits, the cadres on a return,
/// the unit on acceptance), each message is only its recipient's, and the header counts the unread ones.
/// </summary>
[Collection(nameof(AppsCollection))]
public sealed class MessageTests(Apps apps)
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = TestJson.Options;

    private static async Task<MessageList> MessagesOfAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<MessageList>("/api/v1/messages", Json))!;

    private static async Task SubmitAsync(OneFormHost app, HttpClient cadre, string url, SheetDetail sheet, int seed)
    {
        var draft = await cadre.PutAsJsonAsync(url + "/values", new SheetValuesRequest(await Filling.EverythingAsync(app, sheet, seed)), Json);
        Assert.Equal(HttpStatusCode.OK, draft.StatusCode);
        var notices = (await draft.Content.ReadFromJsonAsync<SaveResult>(Json))!.Notices ?? [];
        var submitted = await cadre.PutAsJsonAsync(url + "/values", new SheetValuesRequest([], Submit: true,
            Reasons: notices.Where(n => !n.IsError).ToDictionary(n => n.RuleId, _ => "与台账核对无误")), Json);
        Assert.True(submitted.StatusCode == HttpStatusCode.OK, await submitted.Content.ReadAsStringAsync());
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_submission_tells_the_head_a_return_tells_the_cadres_with_the_comment_and_acceptance_tells_the_unit(DatabaseProvider provider)
    {
        const string unit = "652301006011";
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, unit)).UserName!);
        var head = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.UnitHead, unit)).UserName!);
        var reviewer = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Reviewer, "652301006000")).UserName!);
        var (url, sheet) = await Filling.SheetAsync(cadre, unit, "PartyBuilding");
        var sheetPage = url.Replace("/api/v1/sheets/", "/Collection/Sheet/", StringComparison.Ordinal);

        await SubmitAsync(app, cadre, url, sheet, 30);
        var toHead = Assert.Single((await MessagesOfAsync(head)).Messages);
        Assert.Equal(("SignOffNeeded", sheetPage), (toHead.Kind, toHead.Link));
        Assert.Contains("等待您签字确认", toHead.Text, StringComparison.Ordinal);
        Assert.Contains(sheet.Sheet.Forms, f => toHead.Text.Contains(f.Name, StringComparison.Ordinal));
        Assert.Empty((await MessagesOfAsync(cadre)).Messages);

        Assert.Equal(HttpStatusCode.NoContent, (await head.PostAsync(url + "/sign-off", null)).StatusCode);
        var returned = await reviewer.PostAsJsonAsync(url + "/return", new SheetReturnRequest("党员人数与支部台账不一致，请核实"), Json);
        Assert.Equal(HttpStatusCode.NoContent, returned.StatusCode);
        var toCadre = Assert.Single((await MessagesOfAsync(cadre)).Messages);
        Assert.Equal(("Returned", sheetPage), (toCadre.Kind, toCadre.Link));
        Assert.Contains("被退回：党员人数与支部台账不一致，请核实", toCadre.Text, StringComparison.Ordinal);
        Assert.Single((await MessagesOfAsync(head)).Messages);  // a reviewer's return goes to the cadres who correct it

        var (_, back) = await Filling.SheetAsync(cadre, unit, "PartyBuilding");
        await SubmitAsync(app, cadre, url, back, 31);
        Assert.Equal(HttpStatusCode.NoContent, (await head.PostAsync(url + "/sign-off", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await reviewer.PostAsync(url + "/accept", null)).StatusCode);

        var cadres = await MessagesOfAsync(cadre);
        Assert.Equal(["Accepted", "Returned"], cadres.Messages.Select(m => m.Kind));  // newest first
        Assert.Contains("已通过审核", cadres.Messages[0].Text, StringComparison.Ordinal);
        Assert.Equal(2, cadres.Unread);
        Assert.Equal(["Accepted", "SignOffNeeded", "SignOffNeeded"], (await MessagesOfAsync(head)).Messages.Select(m => m.Kind));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_message_is_read_only_by_its_recipient_and_the_header_counts_the_unread(DatabaseProvider provider)
    {
        const string unit = "652301006014";
        var app = await apps.GetAsync(provider);
        var owner = await app.CreateUserAsync(Role.Cadre, unit);
        var neighbour = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, unit)).UserName!);
        var id = await SendAsync(app, owner.Id, MessageKind.Returned, "/Collection/Review", "《村级组织基本情况》（2026年第4季度）", "请补填");

        // Another person of the same unit neither sees it nor marks it read.
        Assert.Equal(HttpStatusCode.NotFound, (await neighbour.PostAsync($"/api/v1/messages/{id}/read", null)).StatusCode);
        Assert.DoesNotContain((await MessagesOfAsync(neighbour)).Messages, m => m.Id == id);

        var page = await PageSession.SignedInAsync(app, owner.UserName!);
        var html = await page.GetHtmlAsync("/Messages");
        Assert.Contains("被退回：请补填", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"unread-count\">1<", html, StringComparison.Ordinal);

        // Tapping it marks it read and opens its next step.
        var opened = await page.SubmitAsync("/Messages", [], $"/Messages?handler=Open&id={id}");
        Assert.Equal((HttpStatusCode.Redirect, "/Collection/Review"), (opened.StatusCode, opened.Headers.Location?.OriginalString));
        Assert.DoesNotContain("data-testid=\"unread-count\"", await page.GetHtmlAsync("/Messages"), StringComparison.Ordinal);
        var read = await app.WithDbAsync(db => db.Messages.SingleAsync(m => m.Id == id));
        Assert.NotNull(read.ReadAt);
        Assert.Equal(HttpStatusCode.NotFound, (await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Cadre, unit)).UserName!) is var other
            ? await other.SubmitAsync("/Messages", [], $"/Messages?handler=Open&id={id}") : null)!.StatusCode);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_reviewer_reminds_the_units_not_started_once_a_day_and_a_second_tap_says_so(DatabaseProvider provider)
    {
        const string township = "652301006000", unit = "652301006013";
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, unit)).UserName!);
        var reviewerUser = await app.CreateUserAsync(Role.Reviewer, township);
        var reviewer = await PageSession.BearerAsync(app, reviewerUser.UserName!);
        var task = await app.WithDbAsync(db => db.FillingTasks.Include(t => t.Form).Where(t => t.OrgUnit!.Code == unit && t.Status == TaskState.NotStarted)
            .OrderByDescending(t => t.Deadline).ThenBy(t => t.Id).FirstAsync());

        var first = await reviewer.PostAsJsonAsync("/api/v1/reminders/urge", new UrgeRequest(task.Form!.Code, task.PeriodCode), Json);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var result = (await first.Content.ReadFromJsonAsync<UrgeResult>(Json))!;
        Assert.True(result.Urged >= 1 && result.People >= 1, $"{result}");
        var urged = Assert.Single((await MessagesOfAsync(cadre)).Messages);
        Assert.Equal(("Urged", $"/Collection/Task/{task.Id.ToString(CultureInfo.InvariantCulture)}"), (urged.Kind, urged.Link));
        Assert.Contains(task.Form.Name, urged.Text, StringComparison.Ordinal);
        Assert.Contains("尚未开始填报", urged.Text, StringComparison.Ordinal);

        // The review page's button, tapped again the same day: nobody is reminded twice, and the reviewer is told so.
        var page = await PageSession.SignedInAsync(app, reviewerUser.UserName!);
        var review = $"/Collection/Review?form={task.Form.Code}&period={task.PeriodCode}";
        Assert.Contains("催报未开始的", await page.GetHtmlAsync(review), StringComparison.Ordinal);
        var again = await page.SubmitAsync(review, new() { ["Form"] = task.Form.Code, ["Period"] = task.PeriodCode, ["Unit"] = township }, "/Messages/Urge");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Contains("今天已催报过这些单位", await page.GetHtmlAsync(again.Headers.Location!.OriginalString), StringComparison.Ordinal);
        Assert.Single((await MessagesOfAsync(cadre)).Messages);
        var twice = await reviewer.PostAsJsonAsync("/api/v1/reminders/urge", new UrgeRequest(task.Form.Code, task.PeriodCode), Json);
        Assert.Equal(HttpStatusCode.TooManyRequests, twice.StatusCode);

        // A cadre cannot urge.
        Assert.Equal(HttpStatusCode.Forbidden, (await cadre.PostAsJsonAsync("/api/v1/reminders/urge", new UrgeRequest(task.Form.Code, task.PeriodCode), Json)).StatusCode);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_department_that_asked_for_a_grant_is_told_the_decision_with_the_reason(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var asker = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Department, departmentCode: "ZZB")).UserName!);
        var welfare = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Department, departmentCode: "MZJ")).UserName!);
        var purpose = "走访核对" + Guid.NewGuid().ToString("N")[..4];
        var grant = (await (await asker.PostAsJsonAsync("/api/v1/grants", new OneForm.Sharing.GrantRequest(["PA_LOW_INCOME"], "652301000000", 2026, 2026, purpose), Json))
            .Content.ReadFromJsonAsync<OneForm.Sharing.GrantView>(Json))!;
        Assert.Equal(HttpStatusCode.OK, (await welfare.PostAsJsonAsync($"/api/v1/grants/{grant.Id}/refuse", new OneForm.Sharing.GrantDecision(null, "超出所需范围"), Json)).StatusCode);

        var told = Assert.Single((await MessagesOfAsync(asker)).Messages);
        Assert.Equal(("GrantRefused", "/Grants"), (told.Kind, told.Link));
        Assert.Contains(purpose, told.Text, StringComparison.Ordinal);
        Assert.Contains("理由：超出所需范围", told.Text, StringComparison.Ordinal);
        Assert.Empty((await MessagesOfAsync(welfare)).Messages);
    }

    private static async Task<long> SendAsync(OneFormHost app, string recipient, MessageKind kind, string link, params string[] args)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var message = scope.ServiceProvider.GetRequiredService<Inbox>().Add(recipient, kind, link, args);
        await scope.ServiceProvider.GetRequiredService<OneFormDbContext>().SaveChangesAsync();
        return message.Id;
    }
}
