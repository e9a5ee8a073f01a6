using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using OneForm.Collection;
using OneForm.Collection.Files;
using OneForm.Data;
using OneForm.Testing;
using OneForm.Tests.Hosting;
using Xunit.Abstractions;

namespace OneForm.Tests.Collection;

/// <summary>
/// The checks across fields on the paths that do not type into a page: a form's or a sheet's file uploaded (through the
/// API and through the page), and the phone's offline queue, which replays the page's own form posts when the network is
/// back. An upload is a save: it keeps the values as a draft and names the checks they break; an error then stops the
/// submission, and a warning lets it through only with the cadre's reason, on every path alike.
/// </summary>
[Collection(nameof(AppsCollection))]
public sealed partial class RuleCheckPathsTests(Apps apps, ITestOutputHelper output)
{
    private const string Probationary = "预备党员数（60）不应大于党员总数（48）";

    private static string PageOf(string sheetUrl) => "/Collection/Sheet/" + sheetUrl["/api/v1/sheets/".Length..];

    private static void Set(List<IDictionary<string, object?>> rows, string code, string column, object value) =>
        rows.Single(r => r["B"]?.ToString() == code)[column] = value;

    /// <summary>Every cell the unit types on the sheet holds a valid value, as a draft, so a submission is refused for the checks alone.</summary>
    private static async Task FilledAsync(OneFormHost app, HttpClient cadre, string url, SheetDetail sheet)
    {
        var draft = await cadre.PutAsJsonAsync(url + "/values", new SheetValuesRequest(await Filling.EverythingAsync(app, sheet, 1)), TestJson.Options);
        Assert.True(draft.StatusCode == HttpStatusCode.OK, await draft.Content.ReadAsStringAsync());
    }

    private static async Task<string?> ValueAsync(HttpClient cadre, string url, string element) =>
        (await cadre.GetFromJsonAsync<SheetDetail>(url, TestJson.Options))!.Cells.Single(c => c.Element == element).Value;

    /// <summary>
    /// What the offline queue (wwwroot/js/offline.js) makes of a replayed post: sent when the answer redirects or has no
    /// <c>main .alert</c>; otherwise kept as refused, with the alert's text as the problem shown on the phone.
    /// </summary>
    private static async Task<string?> QueueProblemAsync(HttpResponseMessage response)
    {
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            return null;
        }
        var html = await response.Content.ReadAsStringAsync();
        var main = html.IndexOf("<main>", StringComparison.Ordinal);
        var alert = main < 0 ? Match.Empty : Alert().Match(html, main);
        if (response.IsSuccessStatusCode && !alert.Success)
        {
            return null;
        }
        return alert.Success
            ? Whitespace().Replace(WebUtility.HtmlDecode(Tag().Replace(alert.Groups[1].Value, " ")), " ").Trim()
            : ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_sheet_file_breaking_an_error_rule_loads_as_a_draft_naming_both_fields_and_the_sheet_is_not_submitted(DatabaseProvider provider)
    {
        const string unit = "652301006001";
        var app = await apps.GetAsync(provider);
        var user = await app.CreateUserAsync(Role.Cadre, unit);
        var cadre = await PageSession.BearerAsync(app, user.UserName!);
        var page = await PageSession.SignedInAsync(app, user.UserName!);
        var (url, sheet) = await Filling.SheetAsync(cadre, unit, "PartyBuilding");
        await FilledAsync(app, cadre, url, sheet);

        // Through the API: 预备党员 60 against 党员总数 48.
        var rows = await Filling.RowsAsync(cadre, url + "/file?format=xlsx");
        Set(rows, "PARTY_MEMBERS", "F", "48");
        Set(rows, "PARTY_MEMBERS_PROBATIONARY", "F", "60");
        var uploaded = await Filling.UploadAsync(cadre, url + "/file", Filling.Xlsx(rows));
        // Through the sheet's page: 女党员 50 as well.
        Set(rows, "PARTY_MEMBERS_WOMEN", "F", "50");
        var onPage = await page.UploadAsync(PageOf(url), PageOf(url) + "?handler=Upload", Filling.Xlsx(rows), "filled.xlsx");
        var shown = await page.GetHtmlAsync(PageOf(url));
        // Submitting, even with 党员总数 corrected to 47 in the same request: refused, and the 47 is not kept.
        var submitted = await cadre.PutAsJsonAsync(url + "/values", new SheetValuesRequest(
            [new ValueInput("PARTY_MEMBERS", "47", "48", (await cadre.GetFromJsonAsync<SheetDetail>(url, TestJson.Options))!.Cells.Single(c => c.Element == "PARTY_MEMBERS").Version)],
            Submit: true), TestJson.Options);

        Assert.True(uploaded.StatusCode == HttpStatusCode.OK, await uploaded.Content.ReadAsStringAsync());
        Assert.Contains((await uploaded.Content.ReadFromJsonAsync<FileImportResult>(TestJson.Options))!.Notices!,
            n => n.Message == Probationary && n.IsError);
        Assert.Equal(HttpStatusCode.Redirect, onPage.StatusCode);
        Assert.Contains(Probationary, shown);
        Assert.Contains("女党员数（50）不应大于党员总数（48）", shown);
        Assert.Equal(HttpStatusCode.BadRequest, submitted.StatusCode);
        var errors = (await submitted.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.SelectMany(e => e.Value).ToList();
        Assert.Contains("预备党员数（60）不应大于党员总数（47）；请更正后再提交。", errors);
        Assert.Contains("女党员数（50）不应大于党员总数（47）；请更正后再提交。", errors);
        var after = (await cadre.GetFromJsonAsync<SheetDetail>(url, TestJson.Options))!;
        Assert.Equal("Draft", after.Sheet.State);
        Assert.Equal(("48", "60", "50"), (after.Cells.Single(c => c.Element == "PARTY_MEMBERS").Value,
            after.Cells.Single(c => c.Element == "PARTY_MEMBERS_PROBATIONARY").Value, after.Cells.Single(c => c.Element == "PARTY_MEMBERS_WOMEN").Value));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_form_file_breaking_an_error_rule_uploaded_on_the_filling_page_shows_the_check_and_the_form_is_not_submitted(DatabaseProvider provider)
    {
        const string unit = "652301006002";
        var app = await apps.GetAsync(provider);
        var user = await app.CreateUserAsync(Role.Cadre, unit);
        var cadre = await PageSession.BearerAsync(app, user.UserName!);
        var page = await PageSession.SignedInAsync(app, user.UserName!);
        var taskId = await Filling.TaskIdAsync(app, unit, "CJ-DJ-01");
        var url = $"/Collection/Task/{taskId}";
        // The whole form filled in the file (an empty required cell would be refused), with 预备党员 60 against 党员总数 48.
        var rows = await Filling.RowsAsync(cadre, $"/api/v1/tasks/{taskId}/file?format=xlsx");
        foreach (var value in await Filling.EverythingAsync(app, await Filling.GetAsync(cadre, taskId), 1))
        {
            Set(rows, value.ElementCode, "E", value.Text!);
        }
        Set(rows, "PARTY_MEMBERS", "E", "48");
        Set(rows, "PARTY_MEMBERS_PROBATIONARY", "E", "60");

        var uploaded = await page.UploadAsync(url, url + "?handler=Upload", Filling.Xlsx(rows, "CJ-DJ-01"), "CJ-DJ-01.xlsx");
        var shown = await page.GetHtmlAsync(url);
        var submitted = await page.SubmitAsync(url, new() { ["Typed[PARTY_MEMBERS]"] = "47" }, url + "?handler=Submit");

        Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        Assert.Contains(Probationary, shown);
        var refusal = await submitted.Content.ReadAsStringAsync();
        Assert.Contains("预备党员数（60）不应大于党员总数（47）；请更正后再提交。", refusal);
        Assert.Contains("未保存", refusal);
        var after = await Filling.GetAsync(cadre, taskId);
        Assert.Equal(("Draft", "48"), (after.Task.Status, after.Values.Single(v => v.Element == "PARTY_MEMBERS").Value));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task An_offline_replay_of_a_sheet_submission_breaking_an_error_rule_stays_in_the_queue_naming_both_fields_and_stores_nothing(DatabaseProvider provider)
    {
        const string unit = "652301006003";
        var app = await apps.GetAsync(provider);
        var user = await app.CreateUserAsync(Role.Cadre, unit);
        var cadre = await PageSession.BearerAsync(app, user.UserName!);
        var phone = await PageSession.SignedInAsync(app, user.UserName!);
        var (url, sheet) = await Filling.SheetAsync(cadre, unit, "PartyBuilding");
        await FilledAsync(app, cadre, url, sheet);
        var before = (await ValueAsync(cadre, url, "PARTY_MEMBERS"), await ValueAsync(cadre, url, "PARTY_MEMBERS_PROBATIONARY"));
        var typed = new Dictionary<string, string> { ["Typed[PARTY_MEMBERS]"] = "48", ["Typed[PARTY_MEMBERS_PROBATIONARY]"] = "60" };

        // The queue posts the page's form as it was when the cadre pressed the button: the fields untouched post what they
        // showed, which the writer takes as unchanged, as it does the hidden ones left out here.
        var submission = await phone.SubmitAsync(PageOf(url), typed, PageOf(url) + "?handler=Submit");
        var problem = await QueueProblemAsync(submission);
        var afterSubmission = (await ValueAsync(cadre, url, "PARTY_MEMBERS"), await ValueAsync(cadre, url, "PARTY_MEMBERS_PROBATIONARY"));
        var state = (await cadre.GetFromJsonAsync<SheetDetail>(url, TestJson.Options))!.Sheet.State;
        // The same values queued as a draft: saved, and the page names the check as a caution (no alert: the queue lets it go).
        var draft = await phone.SubmitAsync(PageOf(url), typed, PageOf(url) + "?handler=Save");
        var draftProblem = await QueueProblemAsync(draft);
        var shown = await phone.GetHtmlAsync(PageOf(url));

        Assert.NotNull(problem);
        Assert.Contains("未保存", problem);
        Assert.Contains(Probationary + "；请更正后再提交。", problem);
        Assert.Equal(before, afterSubmission);
        Assert.Equal("Draft", state);
        Assert.Null(draftProblem);
        Assert.Equal(("48", "60"), (await ValueAsync(cadre, url, "PARTY_MEMBERS"), await ValueAsync(cadre, url, "PARTY_MEMBERS_PROBATIONARY")));
        Assert.Contains(Probationary, shown);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task An_offline_replay_of_a_submission_breaking_the_rule_across_periods_goes_through_only_with_the_cadres_reason(DatabaseProvider provider)
    {
        const string unit = "652301006004";
        var app = await apps.GetAsync(provider);
        var user = await app.CreateUserAsync(Role.Cadre, unit);
        var cadre = await PageSession.BearerAsync(app, user.UserName!);
        var phone = await PageSession.SignedInAsync(app, user.UserName!);
        var (url, sheet) = await Filling.SheetAsync(cadre, unit, "PartyBuilding");
        await FilledAsync(app, cadre, url, sheet);
        // Last quarter the unit had 100 party members, as if typed then; now it types 60.
        var members = sheet.Cells.Single(c => c.Element == "PARTY_MEMBERS");
        await app.WithDbAsync(async db =>
        {
            var unitId = await db.OrgUnits.Where(u => u.Code == unit).Select(u => u.Id).SingleAsync();
            var element = await db.DataElements.Where(e => e.Code == "PARTY_MEMBERS").Select(e => e.Id).SingleAsync();
            var previous = Period.Parse(members.Period).Previous.ToString();
            var held = await db.DataValues.SingleOrDefaultAsync(v => v.OrgUnitId == unitId && v.DataElementId == element && v.PeriodCode == previous);
            ValueHistory.Set(db, held, element, unitId, previous, "100", 100, ValueSource.Entered, "test", DateTimeOffset.UtcNow);
            return await db.SaveChangesAsync();
        });
        var rule = await app.WithDbAsync(db => db.ValidationRules.Where(r => r.Name == "党员总数较上期减少不超过两成").Select(r => r.Id).SingleAsync());
        const string warning = "党员总数（60）不足上期党员总数的八成（80），请核实并说明原因";
        var typed = new Dictionary<string, string> { ["Typed[PARTY_MEMBERS]"] = "60" };

        // Saved as a draft while online: the page asks for a reason beside the warning.
        Assert.Null(await QueueProblemAsync(await phone.SubmitAsync(PageOf(url), typed, PageOf(url) + "?handler=Save")));
        var asked = await phone.GetHtmlAsync(PageOf(url));
        // Offline, submitted without a reason, then with one: the queue replays both.
        var withoutReason = await QueueProblemAsync(await phone.SubmitAsync(PageOf(url), typed, PageOf(url) + "?handler=Submit"));
        var stateBetween = (await cadre.GetFromJsonAsync<SheetDetail>(url, TestJson.Options))!.Sheet.State;
        var withReason = await QueueProblemAsync(await phone.SubmitAsync(PageOf(url),
            new(typed) { [$"Reasons[{rule}]"] = "本季度12名党员转出组织关系" }, PageOf(url) + "?handler=Submit"));

        Assert.Contains(warning, asked);
        Assert.Contains($"name=\"Reasons[{rule}]\"", asked);
        Assert.NotNull(withoutReason);
        Assert.Contains(warning + "；如数据无误，请填写说明后提交。", withoutReason);
        Assert.Equal("Draft", stateBetween);
        Assert.Null(withReason);
        var after = (await cadre.GetFromJsonAsync<SheetDetail>(url, TestJson.Options))!;
        Assert.Equal("Submitted", after.Sheet.State);
        var taskIds = after.Sheet.Forms.Select(f => f.TaskId).ToList();
        var confirmed = await app.WithDbAsync(db => db.ConfirmedWarnings.Where(w => taskIds.Contains(w.FillingTaskId)).ToListAsync());
        Assert.Contains(confirmed, w => w.RuleId == rule && w.Reason == "本季度12名党员转出组织关系" && w.Message.StartsWith(warning, StringComparison.Ordinal));
    }

    private sealed record DemoRule(string Name, string Left, string Operator, string Right, string Importance);

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Every_demo_rule_a_cadre_can_break_by_typing_is_named_on_a_sheet_upload_with_its_field_and_both_values(DatabaseProvider provider)
    {
        const string unit = "652301102201";
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, unit)).UserName!);
        var demo = System.Text.Json.JsonSerializer.Deserialize<List<DemoRule>>(
            await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "data", "catalog", "validation-rules.json")), TestJson.Options)!;
        var ids = await app.WithDbAsync(db => db.ValidationRules.ToDictionaryAsync(r => r.Name, r => r.Id));
        var names = await app.WithDbAsync(db => db.DataElements.ToDictionaryAsync(e => e.Code, e => e.Name));
        // The unit's open sheets of this month and the next period end (this month's alone holds the monthly forms).
        var listed = (await cadre.GetFromJsonAsync<List<SheetResponse>>($"/api/v1/sheets?unit={unit}", TestJson.Options))!.Where(s => s.State != "Accepted").ToList();
        var urls = listed.Where(s => s.PeriodEnd >= listed.Max(x => x.PeriodEnd).AddDays(-62))
            .Select(s => $"/api/v1/sheets/{unit}/{s.Category}/{s.PeriodEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}").ToList();
        foreach (var url in urls)
        {
            await FilledAsync(app, cadre, url, (await cadre.GetFromJsonAsync<SheetDetail>(url, TestJson.Options))!);
        }
        // Read once all are filled: a year's value made of the half-years another sheet holds is no longer typed.
        var sheets = new List<(string Url, SheetDetail Detail)>();
        foreach (var url in urls)
        {
            sheets.Add((url, (await cadre.GetFromJsonAsync<SheetDetail>(url, TestJson.Options))!));
        }
        var cells = sheets.SelectMany(s => s.Detail.Cells).GroupBy(c => (c.Element, c.Period)).ToDictionary(g => g.Key, g => g.First());

        // Each rule broken where typing can break it: a part typed above its whole, the whole typed 2 (or as OneForm holds it:
        // a ledger's count, the shorter periods'); the rule across periods: last period's value held at 100, this one typed 2.
        var typed = new Dictionary<(string Element, string Period), double>();
        var expected = new Dictionary<string, (string Element, double? Left)>();
        var filledByOneForm = new List<string>();
        foreach (var rule in demo)
        {
            var left = Codes().Matches(rule.Left).Select(m => m.Value).ToList();
            var right = Codes().Matches(rule.Right).Select(m => m.Value).ToList();
            if (rule.Right.Contains("[-1]", StringComparison.Ordinal) && left is [var stock] && cells.Values.FirstOrDefault(c => c.Element == stock && c.Typed) is { } cell)
            {
                await app.WithDbAsync(async db =>
                {
                    var unitId = await db.OrgUnits.Where(u => u.Code == unit).Select(u => u.Id).SingleAsync();
                    var element = await db.DataElements.Where(e => e.Code == stock).Select(e => e.Id).SingleAsync();
                    var previous = Period.Parse(cell.Period).Previous.ToString();
                    var held = await db.DataValues.SingleOrDefaultAsync(v => v.OrgUnitId == unitId && v.DataElementId == element && v.PeriodCode == previous);
                    ValueHistory.Set(db, held, element, unitId, previous, "100", 100, ValueSource.Entered, "test", DateTimeOffset.UtcNow);
                    return await db.SaveChangesAsync();
                });
                typed[(stock, cell.Period)] = 2;
                expected[rule.Name] = (stock, 2);
                continue;
            }
            Assert.Equal(("<=", 1), (rule.Operator, left.Count));
            var part = cells.Values.Where(c => c.Element == left[0] && c.Typed).ToList();
            if (part.Count == 0 && right.All(r => cells.Values.Where(c => c.Element == r).All(c => !c.Typed)))
            {
                // Neither side is typed anywhere: OneForm counts both (from the same ledger), so they hold by construction.
                filledByOneForm.Add(rule.Name);
                continue;
            }
            var period = Assert.Single(part).Period;
            // A whole asked in a longer period than the part (耕地面积 a year, 土地流转面积 a quarter) meets it in that period.
            var wholes = right.Select(r => cells.GetValueOrDefault((r, period)) ?? Assert.Single(cells.Values, c => c.Element == r)).ToList();
            foreach (var whole in wholes.Where(w => w.Typed))
            {
                typed[(whole.Element, whole.Period)] = 2;
            }
            var sum = wholes.Sum(w => w.Typed ? 2 : double.Parse(w.Value!, CultureInfo.InvariantCulture));
            typed[(left[0], period)] = sum + 1 + typed.Count;
            expected[rule.Name] = (left[0], wholes.All(w => w.Period == period) ? typed[(left[0], period)] : null);
        }

        // Each sheet's file, with those values, uploaded through the API; the last upload naming a rule's field says what breaks it.
        var caught = new Dictionary<string, OneForm.Dictionary.Validation.RuleViolation>();
        foreach (var (url, sheet) in sheets)
        {
            var rows = await Filling.RowsAsync(cadre, url + "/file?format=xlsx");
            foreach (var cell in sheet.Cells.Where(c => c.Typed && typed.ContainsKey((c.Element, c.Period))))
            {
                Set(rows, cell.Element, "F", typed[(cell.Element, cell.Period)].ToString(CultureInfo.InvariantCulture));
            }
            var uploaded = await Filling.UploadAsync(cadre, url + "/file", Filling.Xlsx(rows));
            Assert.True(uploaded.StatusCode == HttpStatusCode.OK, await uploaded.Content.ReadAsStringAsync());
            var notices = (await uploaded.Content.ReadFromJsonAsync<FileImportResult>(TestJson.Options))!.Notices ?? [];
            foreach (var (name, (element, value)) in expected.Where(e => sheet.Cells.Any(c => c.Element == e.Value.Element && c.Typed)))
            {
                if (notices.FirstOrDefault(n => n.RuleId == ids[name] && (value is null || n.Left == value)) is { } notice)
                {
                    caught[name] = notice;
                }
            }
        }

        Assert.True(expected.Keys.Order().SequenceEqual(caught.Keys.Order()),
            $"not caught: {string.Join("、", expected.Keys.Except(caught.Keys))}\n" + string.Join("\n", sheets.SelectMany(s => s.Detail.Cells
                .Where(c => demo.Any(r => Codes().Matches(r.Left + " " + r.Right).Any(m => m.Value == c.Element)))
                .Select(c => $"{s.Detail.Sheet.Category} {c.Element} {c.Period} typed={c.Typed} value={c.Value} origin={c.Origin}"))));
        Assert.All(caught, c =>
        {
            Assert.Contains(names[expected[c.Key].Element], c.Value.Message);
            Assert.Contains($"（{c.Value.Left.ToString(CultureInfo.InvariantCulture)}）", c.Value.Message);
            Assert.Contains($"（{c.Value.Right.ToString(CultureInfo.InvariantCulture)}）", c.Value.Message);
        });
        output.WriteLine($"caught on upload: {string.Join("、", caught.Keys)}; held by construction: {string.Join("、", filledByOneForm)}");
        // What is left are rules over two counts of the same ledger (调解成功数 and 排查数 of the disputes' ledger …): nobody types them.
        Assert.Equal(demo.Count, caught.Count + filledByOneForm.Count);
        Assert.True(caught.Count >= 12, $"caught only {string.Join("、", caught.Keys)}");
    }

    [GeneratedRegex(@"\b[A-Z][A-Z0-9_]+\b")]
    private static partial Regex Codes();

    [GeneratedRegex("<div class=\"alert\"[^>]*>(.*?)</div>", RegexOptions.Singleline)]
    private static partial Regex Alert();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
