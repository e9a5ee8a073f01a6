using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Sharing;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Collection;

/// <summary>
/// A category sheet is the unit of work: filled through one writer, submitted once, signed once, reviewed once (a
/// return may comment on single fields), and each form it holds moves with it, so departments still receive each form.
/// </summary>
[Collection(nameof(AppsCollection))]
public sealed class SheetWorkflowTests(Apps apps)
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = TestJson.Options;

    /// <summary>Saves as a draft, then submits with a reason for every warning the values raise.</summary>
    private static async Task<HttpResponseMessage> SubmitAsync(HttpClient cadre, string url, List<ValueInput> values)
    {
        var draft = await cadre.PutAsJsonAsync(url + "/values", new SheetValuesRequest(values), Json);
        Assert.Equal(HttpStatusCode.OK, draft.StatusCode);
        var notices = (await draft.Content.ReadFromJsonAsync<SaveResult>(Json))!.Notices ?? [];
        return await cadre.PutAsJsonAsync(url + "/values", new SheetValuesRequest([], Submit: true,
            Reasons: notices.Where(n => !n.IsError).ToDictionary(n => n.RuleId, _ => "与台账核对无误")), Json);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_sheet_is_submitted_signed_returned_on_one_field_and_accepted_once_and_every_form_it_holds_moves_with_it(DatabaseProvider provider)
    {
        const string unit = "652301004200";
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, unit)).UserName!);
        var head = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.UnitHead, unit)).UserName!);
        var reviewer = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Reviewer, "652301004000")).UserName!);
        var organisation = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Department, departmentCode: "ZZB")).UserName!);
        var hook = (await (await organisation.PostAsJsonAsync("/api/v1/webhooks",
            new WebhookRequest("http://127.0.0.1:9/sheets", [WebhookDispatcher.SubmissionAccepted]), Json)).Content.ReadFromJsonAsync<WebhookView>(Json))!;
        var (url, sheet) = await Filling.SheetAsync(cadre, unit, "PartyBuilding");
        Assert.True(sheet.Sheet.Forms.Count > 1, "the party-building sheet holds several forms");
        Assert.Equal(sheet.Cells.Count, sheet.Cells.Select(c => c.Element).Distinct().Count());

        var submitted = await SubmitAsync(cadre, url, await Filling.EverythingAsync(app, sheet, 40));
        Assert.True(submitted.StatusCode == HttpStatusCode.OK, await submitted.Content.ReadAsStringAsync());
        var tooEarly = await reviewer.PostAsync(url + "/accept", null);
        var signed = await head.PostAsync(url + "/sign-off", null);
        var signedTwice = await head.PostAsync(url + "/sign-off", null);
        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.NoContent, HttpStatusCode.Conflict), (tooEarly.StatusCode, signed.StatusCode, signedTwice.StatusCode));
        var forms = await app.WithDbAsync(db => db.FillingTasks.Where(t => sheet.Sheet.Forms.Select(f => f.TaskId).Contains(t.Id)).ToListAsync());
        Assert.All(forms, t => Assert.Equal((TaskState.Submitted, true), (t.Status, t.SignedOffBy is not null)));

        // The reviewer returns one field with a comment: the whole sheet goes back, the comment sits beside that field.
        var field = sheet.Cells.First(c => c.Typed && c.ValueType == "Integer");
        var returned = await reviewer.PostAsJsonAsync(url + "/return", new SheetReturnRequest(null, new Dictionary<string, string?> { [field.Element] = "与支部台账不一致，请核实" }), Json);
        Assert.Equal(HttpStatusCode.NoContent, returned.StatusCode);
        var back = (await cadre.GetFromJsonAsync<SheetDetail>(url, Json))!;
        Assert.Equal("Returned", back.Sheet.State);
        Assert.Equal("与支部台账不一致，请核实", back.Cells.Single(c => c.Element == field.Element).ReviewerComment);
        Assert.All(back.Cells.Where(c => c.Element != field.Element), c => Assert.Null(c.ReviewerComment));

        // Corrected and sent up again; signed and accepted once: each form is accepted and its department told, form by form.
        var correction = back.Cells.Single(c => c.Element == field.Element);
        var again = await cadre.PutAsJsonAsync(url + "/values", new SheetValuesRequest(
            [new ValueInput(field.Element, (int.Parse(correction.Value!, CultureInfo.InvariantCulture) - 1).ToString(CultureInfo.InvariantCulture), correction.Value, correction.Version)],
            Submit: true, Reasons: ((await (await cadre.PutAsJsonAsync(url + "/values", new SheetValuesRequest([]), Json)).Content.ReadFromJsonAsync<SaveResult>(Json))!.Notices ?? [])
                .Where(n => !n.IsError).ToDictionary(n => n.RuleId, _ => "与台账核对无误")), Json);
        Assert.True(again.StatusCode == HttpStatusCode.OK, await again.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await head.PostAsync(url + "/sign-off", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await reviewer.PostAsync(url + "/accept", null)).StatusCode);

        var accepted = (await cadre.GetFromJsonAsync<SheetDetail>(url, Json))!;
        Assert.Equal("Accepted", accepted.Sheet.State);
        Assert.All(accepted.Sheet.Forms, f => Assert.Equal("Accepted", f.Status));
        Assert.All(accepted.Cells, c => Assert.Null(c.ReviewerComment));
        var told = await app.WithDbAsync(db => db.WebhookDeliveries.Where(d => d.EndpointId == hook.Id && d.Event == WebhookDispatcher.SubmissionAccepted)
            .Select(d => d.Payload).ToListAsync());
        Assert.Equal(sheet.Sheet.Forms.Select(f => f.Code).Order(), sheet.Sheet.Forms.Select(f => f.Code).Where(code => told.Any(p => p.Contains($"\"form\":\"{code}\"", StringComparison.Ordinal))).Order());
        // Each form still downloads in its own layout (its title and code on top), holding the sheet's corrected value where it asks that field.
        var corrected = (int.Parse(correction.Value!, CultureInfo.InvariantCulture) - 1).ToString(CultureInfo.InvariantCulture);
        var holding = 0;
        foreach (var form in accepted.Sheet.Forms)
        {
            var xlsx = await cadre.GetByteArrayAsync($"/api/v1/tasks/{form.TaskId}/file?format=xlsx");
            var layout = MiniExcelLibs.MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: false).Cast<IDictionary<string, object?>>().ToList();
            Assert.Equal((form.Name, form.Code), (layout[0]["A"]?.ToString(), layout[1]["D"]?.ToString()));
            if (layout.FirstOrDefault(r => r["B"]?.ToString() == field.Element) is { } row && form.Period == correction.Period)
            {
                Assert.Equal(corrected, row["E"]?.ToString());
                holding++;
            }
        }
        Assert.True(holding > 0, "no form of the sheet holds the corrected field");
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_sheet_refuses_typing_what_oneform_fills_and_a_bad_field_saves_nothing_not_even_a_roster_correction(DatabaseProvider provider)
    {
        const string unit = "652301004201";
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, unit)).UserName!);

        // 三会一课 counts come from the activity records, rates from their formulas: neither is typed.
        var (party, partySheet) = await Filling.SheetAsync(cadre, unit, "PartyBuilding");
        var counted = partySheet.Cells.First(c => !c.Typed && c.Origin!.Contains("活动记录", StringComparison.Ordinal));
        // With no meeting recorded, the counts are 0, not empty cells the cadre could not fill.
        Assert.Contains(partySheet.Cells, c => c.Origin is { } origin && origin.Contains("活动记录", StringComparison.Ordinal) && c.Value == "0");
        var refused = await cadre.PutAsJsonAsync(party + "/values", new SheetValuesRequest([new ValueInput(counted.Element, "9", counted.Value, counted.Version)]), Json);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(counted.Name, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A roster correction and a value that is no number: nothing of either is kept.
        var (livelihood, sheet) = await Filling.SheetAsync(cadre, unit, "Livelihood");
        var roster = sheet.Rosters.First(r => r.Rows.Count > 0);
        var row = roster.Rows[0];
        var column = roster.Columns[0];
        var turned = row.Values[column] == "true" ? "false" : "true";
        var number = sheet.Cells.First(c => c.Typed && c.ValueType == "Integer");
        var bad = await cadre.PutAsJsonAsync(livelihood + "/values", new SheetValuesRequest([new ValueInput(number.Element, "十二", number.Value, number.Version)],
            [new RosterCellInput(row.Resident, column, turned)]), Json);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains(number.Name, await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var unchanged = (await cadre.GetFromJsonAsync<SheetDetail>(livelihood, Json))!;
        Assert.Equal(row.Values[column], unchanged.Rosters.First(r => r.Title == roster.Title).Rows.Single(r => r.Resident == row.Resident).Values[column]);

        // Both right: saved together.
        var good = await cadre.PutAsJsonAsync(livelihood + "/values", new SheetValuesRequest([new ValueInput(number.Element, "12", number.Value, number.Version)],
            [new RosterCellInput(row.Resident, column, turned)]), Json);
        Assert.True(good.StatusCode == HttpStatusCode.OK, await good.Content.ReadAsStringAsync());
        var saved = (await cadre.GetFromJsonAsync<SheetDetail>(livelihood, Json))!;
        Assert.Equal(("12", turned), (saved.Cells.Single(c => c.Element == number.Element).Value,
            saved.Rosters.First(r => r.Title == roster.Title).Rows.Single(r => r.Resident == row.Resident).Values[column]));

        // A resident the sheet's rosters do not list is refused by name.
        var stranger = await cadre.PutAsJsonAsync(livelihood + "/values", new SheetValuesRequest([], [new RosterCellInput(-1, column, "true")]), Json);
        Assert.Equal(HttpStatusCode.BadRequest, stranger.StatusCode);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_stock_offers_last_periods_value_and_a_kept_one_is_counted_as_carried_forward(DatabaseProvider provider)
    {
        const string unit = "652301003005";
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, unit)).UserName!);
        var (url, sheet) = await Filling.SheetAsync(cadre, unit, "PartyBuilding");
        var stocks = await app.WithDbAsync(db => db.DataElements.Where(e => e.TimeAggregation == TimeAggregation.Last && e.Formula == null).Select(e => e.Code).ToListAsync());
        var cells = sheet.Cells.Where(c => c.Typed && c.Value is null && stocks.Contains(c.Element) && c.ValueType == "Integer").Take(2).ToList();
        Assert.Equal(2, cells.Count);
        // Last quarter's values, as if typed then.
        var unitId = await app.WithDbAsync(db => db.OrgUnits.Where(u => u.Code == unit).Select(u => u.Id).SingleAsync());
        await app.WithDbAsync(async db =>
        {
            foreach (var (cell, value) in cells.Zip(["31", "7"]))
            {
                var element = await db.DataElements.SingleAsync(e => e.Code == cell.Element);
                ValueHistory.Set(db, null, element.Id, unitId, Period.Parse(cell.Period).Previous.ToString(), value, double.Parse(value, CultureInfo.InvariantCulture),
                    ValueSource.Entered, "test", DateTimeOffset.UtcNow);
            }
            return await db.SaveChangesAsync();
        });

        var offered = (await cadre.GetFromJsonAsync<SheetDetail>(url, Json))!;
        Assert.Equal(["31", "7"], cells.Select(c => offered.Cells.Single(x => x.Element == c.Element).Offered));
        // The first is kept as offered, the second changed.
        var saved = await cadre.PutAsJsonAsync(url + "/values", new SheetValuesRequest(
            [new ValueInput(cells[0].Element, "31", null, 0, CarriedForward: true), new ValueInput(cells[1].Element, "8", null, 0, CarriedForward: true)]), Json);
        Assert.True(saved.StatusCode == HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        var after = (await cadre.GetFromJsonAsync<SheetDetail>(url, Json))!;
        Assert.Equal(["CarriedForward", "Entered"], cells.Select(c => after.Cells.Single(x => x.Element == c.Element).Source));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_sheet_downloads_as_a_file_and_its_upload_saves_through_the_same_writer_naming_the_bad_cell(DatabaseProvider provider)
    {
        const string unit = "652301003006";
        var app = await apps.GetAsync(provider);
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, unit)).UserName!);
        var (url, sheet) = await Filling.SheetAsync(cadre, unit, "SafetyGovernance");
        var file = await cadre.GetByteArrayAsync(url + "/file?format=xlsx");
        var rows = MiniExcelLibs.MiniExcel.Query(new MemoryStream(file), useHeaderRow: false).Cast<IDictionary<string, object?>>().ToList();
        // The sheet names its unit, its category in words (no code) and the day its periods end.
        Assert.Equal((unit, "平安综治", sheet.Sheet.PeriodEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            (rows[1]["B"]?.ToString(), rows[1]["D"]?.ToString(), rows[1]["F"]?.ToString()));
        var typed = sheet.Cells.Where(c => c.Typed && c.ValueType == "Integer").Take(2).ToList();
        var places = typed.Select(c => rows.FindIndex(r => r["B"]?.ToString() == c.Element)).ToList();
        Assert.All(places, p => Assert.True(p >= 4));

        // One good cell and one bad: nothing saved, the bad one named by row and column.
        rows[places[0]]["F"] = "6";
        rows[places[1]]["F"] = "六个";
        var bad = await Filling.UploadAsync(cadre, url + "/file", Filling.Xlsx(rows));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains($"\"row\":{places[1] + 1}", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null((await cadre.GetFromJsonAsync<SheetDetail>(url, Json))!.Cells.Single(c => c.Element == typed[0].Element).Value);

        rows[places[1]]["F"] = "7";
        var good = await Filling.UploadAsync(cadre, url + "/file", Filling.Xlsx(rows));
        Assert.True(good.StatusCode == HttpStatusCode.OK, await good.Content.ReadAsStringAsync());
        var after = (await cadre.GetFromJsonAsync<SheetDetail>(url, Json))!;
        Assert.Equal(("6,7", "Imported"), (string.Join(',', typed.Select(c => after.Cells.Single(x => x.Element == c.Element).Value)),
            after.Cells.Single(x => x.Element == typed[0].Element).Source));
    }
}
