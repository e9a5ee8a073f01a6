using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Collection;

/// <summary>
/// The way through a sheet's review as the people doing it meet it: the head finds it to sign from home, the reviewer
/// is told what a return needs, goes on to the next unit or back to the list, and the cadre finds the returned sheet first.
/// </summary>
[Collection(nameof(AppsCollection))]
public sealed class ReviewWayBackTests(Apps apps)
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = TestJson.Options;

    private static string Href(string html, string testId)
    {
        var card = Regex.Match(html, $"href=\"([^\"]*)\" data-testid=\"{testId}\"");
        Assert.True(card.Success, $"no {testId}");
        return System.Net.WebUtility.HtmlDecode(card.Groups[1].Value);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_returned_sheet_needs_a_comment_and_comes_first_on_the_cadres_home_and_the_reviewer_has_a_way_back(DatabaseProvider provider)
    {
        const string unit = "652301004012";
        var app = await apps.GetAsync(provider);
        var cadreUser = await app.CreateUserAsync(Role.Cadre, unit);
        var cadre = await PageSession.BearerAsync(app, cadreUser.UserName!);
        var head = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.UnitHead, unit)).UserName!);
        var headPages = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.UnitHead, unit)).UserName!);
        var reviewer = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Reviewer, "652301004000")).UserName!);
        var (url, sheet) = await Filling.SheetAsync(cadre, unit, "PartyBuilding");
        var draft = await cadre.PutAsJsonAsync(url + "/values", new SheetValuesRequest(await Filling.EverythingAsync(app, sheet, 7)), Json);
        var notices = (await draft.Content.ReadFromJsonAsync<SaveResult>(Json))!.Notices ?? [];
        var submitted = await cadre.PutAsJsonAsync(url + "/values", new SheetValuesRequest([], Submit: true,
            Reasons: notices.Where(n => !n.IsError).ToDictionary(n => n.RuleId, _ => "与台账核对无误")), Json);
        Assert.True(submitted.StatusCode == HttpStatusCode.OK, await submitted.Content.ReadAsStringAsync());
        var page = url.Replace("/api/v1/sheets/", "/Collection/Sheet/", StringComparison.Ordinal);

        // The head's home counts it to sign and one tap opens a sheet waiting for the signature.
        var headHome = await headPages.GetHtmlAsync("/");
        Assert.StartsWith($"/Collection/Sheet/{unit}/", Href(headHome, "todo-to-sign-count"));
        Assert.Equal(HttpStatusCode.NoContent, (await head.PostAsync(url + "/sign-off", null)).StatusCode);

        // The reviewer's sheet page leads back to the review list; an empty return says what it needs, not "nothing was saved".
        var sheetPage = await reviewer.GetHtmlAsync(page);
        Assert.Contains("href=\"/Collection/Review\"", Regex.Match(sheetPage, "data-testid=\"breadcrumb\">(.*?)</nav>", RegexOptions.Singleline).Value);
        var empty = await reviewer.SubmitAsync(page, new() { ["Comment"] = "" }, page + "?handler=Return");
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        var refused = await empty.Content.ReadAsStringAsync();
        Assert.Contains("请填写退回意见", refused);
        Assert.Contains("尚未完成", refused);
        Assert.DoesNotContain("未保存任何数据", refused);

        var returned = await reviewer.SubmitAsync(page, new() { ["Comment"] = "请核对党员人数" }, page + "?handler=Return");
        Assert.Equal(HttpStatusCode.Redirect, returned.StatusCode);
        Assert.Equal("/Collection/Review", returned.Headers.Location!.OriginalString);
        var review = await reviewer.GetHtmlAsync("/Collection/Review");
        Assert.Contains("退回", review);
        Assert.True(review.Contains("data-testid=\"next-unit\"", StringComparison.Ordinal) || review.Contains("data-testid=\"next-unit-none\"", StringComparison.Ordinal),
            "after a return the review page offers the next unit or says there is none");

        // The cadre's home puts the returned sheet first, and its card opens it.
        var cadrePages = await PageSession.SignedInAsync(app, cadreUser.UserName!);
        var home = await cadrePages.GetHtmlAsync("/");
        Assert.Equal(page, Href(home, "todo-returned"));
        Assert.True(home.IndexOf("data-testid=\"returned\"", StringComparison.Ordinal) < home.IndexOf("data-testid=\"deadline\"", StringComparison.Ordinal));
    }
}
