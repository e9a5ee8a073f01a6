using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using OneForm.Catalog;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Sharing;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Sharing;

/// <summary>
/// A form as a view (表格即视图): the department that issues a form downloads a unit's form in the form's own layout,
/// generated from the values the unit's sheet holds, reading only the values it may (its own elements', other
/// departments' through a grant); to anyone else outside the unit's scope the form does not exist.
/// </summary>
[Collection(nameof(AppsCollection))]
public sealed class FormViewTests(Apps apps)
{
    private const string Jinxiu = "652301004002";
    private const string Meetings = "CJ-DJ-02";
    private const string Basics = "CJ-DJ-01";
    private static readonly System.Text.Json.JsonSerializerOptions Json = TestJson.Options;

    private static string FileUrl(string form, string unit, string period) => $"/api/v1/forms/{form}/units/{unit}/periods/{period}/file?format=xlsx";

    /// <summary>The rows of a form's file, whose one sheet is named after the form (by its Chinese name, not its code).</summary>
    private static async Task<List<IDictionary<string, object?>>> RowsAsync(HttpResponseMessage response, string form)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var file = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var sheet = Assert.Single(file.GetSheetNames());
        Assert.NotEqual(form, sheet);
        Assert.DoesNotContain(sheet, char.IsAsciiLetter);
        file.Position = 0;
        return [.. file.Query(useHeaderRow: false).Cast<IDictionary<string, object?>>()];
    }

    private static string? Cell(List<IDictionary<string, object?>> rows, string element) =>
        Convert.ToString(rows.Single(r => Convert.ToString(r["B"], CultureInfo.InvariantCulture) == element)["E"], CultureInfo.InvariantCulture) is { Length: > 0 } text
            ? text : null;

    /// <summary>
    /// 锦绣社区's party-building sheet of a quarter long past (one per test, so no other test's sheet moves), holding
    /// 《村（社区）党组织基本情况季报表》 and 《“三会一课”…季报表》, filled with a valid value in every typed cell and submitted once.
    /// </summary>
    private static async Task<(string Period, Dictionary<string, string> Typed)> SubmittedQuarterAsync(OneFormHost app, Period quarter)
    {
        var period = quarter.ToString();
        await app.WithDbAsync(async db =>
        {
            var unit = await db.OrgUnits.SingleAsync(u => u.Code == Jinxiu);
            foreach (var form in await db.Forms.Where(f => (f.Code == Meetings || f.Code == Basics) && f.Status == FormStatus.Admitted).ToListAsync())
            {
                db.FillingTasks.Add(new FillingTask { FormId = form.Id, OrgUnitId = unit.Id, PeriodCode = period, Deadline = quarter.End.AddDays(form.DeadlineDays) });
            }
            return await db.SaveChangesAsync();
        });
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, Jinxiu)).UserName!);
        var url = $"/api/v1/sheets/{Jinxiu}/PartyBuilding/{quarter.End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
        var sheet = (await cadre.GetFromJsonAsync<SheetDetail>(url, Json))!;
        Assert.Equal([Basics, Meetings], sheet.Sheet.Forms.Select(f => f.Code).Order());
        var typed = sheet.Cells.Where(c => c.Typed && c.Period == period).ToList();
        var codes = typed.Select(c => c.Element).ToList();
        var elements = await app.WithDbAsync(db => db.DataElements.Where(e => codes.Contains(e.Code)).ToDictionaryAsync(e => e.Code));
        // Falling from first to last, so a whole (党员总数) comes before its parts and holds up to the checks across fields.
        var values = typed.Select((c, i) => new ValueInput(c.Element, OneForm.Tests.Collection.Filling.ValidValue(elements[c.Element], 30 + typed.Count - i), c.Value, c.Version)).ToList();
        var draft = await cadre.PutAsJsonAsync(url + "/values", new SheetValuesRequest(values), Json);
        Assert.True(draft.StatusCode == HttpStatusCode.OK, await draft.Content.ReadAsStringAsync());
        var notices = (await draft.Content.ReadFromJsonAsync<SaveResult>(Json))!.Notices ?? [];
        var submitted = await cadre.PutAsJsonAsync(url + "/values", new SheetValuesRequest([], Submit: true,
            Reasons: notices.Where(n => !n.IsError).ToDictionary(n => n.RuleId, _ => "与台账核对无误")), Json);
        Assert.True(submitted.StatusCode == HttpStatusCode.OK, await submitted.Content.ReadAsStringAsync());
        return (period, values.ToDictionary(v => v.ElementCode, v => v.Text!));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_organisation_department_downloads_its_form_of_a_unit_in_its_own_layout_and_others_are_told_it_does_not_exist(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var (period, typed) = await SubmittedQuarterAsync(app, new Period(2016, ReportingCycle.Quarterly, 2));
        var organisation = await PageSession.BearerAsync(app, "zzb", Demo.DemoSeed.DefaultPassword);

        // 组织部 goes from its form in the catalogue to the units that submitted it, and finds 锦绣社区 with its form to download ...
        var session = await PageSession.SignedInAsync(app, "zzb", Demo.DemoSeed.DefaultPassword);
        var formId = await app.WithDbAsync(db => db.Forms.Where(f => f.Code == Meetings && f.Status == FormStatus.Admitted).Select(f => f.Id).SingleAsync());
        Assert.Contains($"href=\"/Collection/Submissions?form={Meetings}\"", await session.GetHtmlAsync($"/Catalog/Form/{formId}"));
        var page = await session.GetHtmlAsync($"/Collection/Submissions?form={Meetings}&period={period}&unit=652301004000");
        var row = page[page.IndexOf("锦绣社区", StringComparison.Ordinal)..];
        row = row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.Contains("已提交", row);
        Assert.Contains($"href=\"/api/v1/forms/{Meetings}/units/{Jinxiu}/periods/{period}/file?format=xlsx\"", row);

        // ... in the form's own layout: its title, admission code, code, the period and the unit on top, then the values typed in the sheet.
        var rows = await RowsAsync(await organisation.GetAsync(FileUrl(Meetings, Jinxiu, period)), Meetings);
        Assert.Contains("三会一课", Convert.ToString(rows[0]["A"], CultureInfo.InvariantCulture));
        Assert.Equal(("CJZR-2019-002", Meetings), (rows[1]["B"]?.ToString(), rows[1]["D"]?.ToString()));
        Assert.Equal(("2016年第2季度", Jinxiu), (rows[2]["B"]?.ToString(), rows[2]["D"]?.ToString()));
        var fields = await app.WithDbAsync(db => db.Forms.Where(f => f.Code == Meetings && f.Status == FormStatus.Admitted)
            .SelectMany(f => f.Sections).SelectMany(s => s.Fields).Select(f => f.DataElement!.Code).ToListAsync());
        Assert.Equal(typed["PARTY_MEMBERS"], Cell(rows, "PARTY_MEMBERS"));
        // Yes and no are written as words (是/否), as the unit reads them.
        Assert.All(fields.Where(typed.ContainsKey), code => Assert.Equal(typed[code] switch { "true" => "是", "false" => "否", var v => v }, Cell(rows, code)));

        // A department that does not issue it, and a unit's people of another unit, are told it does not exist.
        var welfare = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Department, departmentCode: "MZJ")).UserName!);
        var neighbour = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Cadre, "652301004003")).UserName!);
        Assert.Equal(HttpStatusCode.NotFound, (await welfare.GetAsync(FileUrl(Meetings, Jinxiu, period))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await neighbour.GetAsync(FileUrl(Meetings, Jinxiu, period))).StatusCode);
        var welfarePage = await (await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Department, departmentCode: "MZJ")).UserName!))
            .GetHtmlAsync($"/Collection/Submissions?form={Meetings}&period={period}&unit=652301004000");
        Assert.DoesNotContain($"/api/v1/forms/{Meetings}/units/", welfarePage);
        // Nor is a period the unit has no task of, or a unit that does not fill the form.
        Assert.Equal(HttpStatusCode.NotFound, (await organisation.GetAsync(FileUrl(Meetings, Jinxiu, "2015Q2"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await organisation.GetAsync(FileUrl(Meetings, "652301004000", period))).StatusCode);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_department_reads_another_departments_values_in_its_form_only_through_a_grant(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var (period, typed) = await SubmittedQuarterAsync(app, new Period(2016, ReportingCycle.Quarterly, 3));
        // 常住人口 sits in 组织部's 《村（社区）党组织基本情况季报表》 but is 公安局's element.
        Assert.True(typed.ContainsKey("POP_RESIDENT") && typed.ContainsKey("PARTY_MEMBERS"), "the sheet asks 常住人口 and 党员总数 of the unit");
        var organisation = await PageSession.BearerAsync(app, "zzb", Demo.DemoSeed.DefaultPassword);
        var unitHead = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.UnitHead, Jinxiu)).UserName!);

        var before = await RowsAsync(await organisation.GetAsync(FileUrl(Basics, Jinxiu, period)), Basics);
        Assert.Equal((typed["PARTY_MEMBERS"], (string?)null), (Cell(before, "PARTY_MEMBERS"), Cell(before, "POP_RESIDENT")));
        // The unit reads its own form whole through the same address.
        var own = await RowsAsync(await unitHead.GetAsync(FileUrl(Basics, Jinxiu, period)), Basics);
        Assert.Equal(typed["POP_RESIDENT"], Cell(own, "POP_RESIDENT"));

        var asked = await organisation.PostAsJsonAsync("/api/v1/grants", new GrantRequest(["POP_RESIDENT"], Jinxiu, 2016, 2016, "核对党组织基本情况"), Json);
        Assert.True(asked.StatusCode == HttpStatusCode.Created, await asked.Content.ReadAsStringAsync());
        var grant = (await asked.Content.ReadFromJsonAsync<GrantView>(Json))!;
        var police = await PageSession.BearerAsync(app, "dept.gongan", Demo.DemoSeed.DefaultPassword);
        Assert.Equal(HttpStatusCode.OK, (await police.PostAsJsonAsync($"/api/v1/grants/{grant.Id}/approve", new GrantDecision(null, null), Json)).StatusCode);

        var after = await RowsAsync(await organisation.GetAsync(FileUrl(Basics, Jinxiu, period)), Basics);
        Assert.Equal(typed["POP_RESIDENT"], Cell(after, "POP_RESIDENT"));
    }
}
