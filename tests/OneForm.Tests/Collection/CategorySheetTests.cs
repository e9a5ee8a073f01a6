using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Testing;
using OneForm.Tests.Hosting;
using Xunit.Abstractions;

namespace OneForm.Tests.Collection;

/// <summary>One sheet per category of work and period end: what 锦绣社区 meets instead of a card per form.</summary>
[Collection(nameof(AppsCollection))]
public sealed class CategorySheetTests(Apps apps, ITestOutputHelper output)
{
    private const string Jinxiu = "652301004002";

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Jinxiu_meets_at_most_four_sheets_on_any_day_periods_end_in_the_demo_year(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var due = await app.WithDbAsync(async db =>
            await CategorySheets.DueInYearAsync(db, await db.OrgUnits.SingleAsync(u => u.Code == Jinxiu), 2026));

        foreach (var (end, forms, sheets) in due)
        {
            output.WriteLine($"{end:yyyy-MM-dd}: {forms.Count} forms -> {sheets} sheets");
        }
        Assert.Equal(12, due.Count);                         // the monthly forms end every month
        Assert.All(due, d => Assert.InRange(d.Sheets, 1, 4));
        var yearEnd = due.Single(d => d.PeriodEnd == new DateOnly(2026, 12, 31));
        // Every demo form that reaches 锦绣社区 ends a period on 31 December: all 21 but the three rural-economy forms.
        var demo = yearEnd.Forms.Where(c => c.StartsWith("CJ-", StringComparison.Ordinal)).ToList();
        Assert.Equal(18, demo.Count);
        Assert.DoesNotContain("CJ-FZ-01", demo);
        Assert.Equal(4, yearEnd.Sheets);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_sheet_asks_each_element_once_and_holds_only_forms_of_its_category_ending_that_day(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var user = await app.CreateUserAsync(Role.Cadre, Jinxiu);
        var cadre = await PageSession.BearerAsync(app, user.UserName!);

        var sheets = (await cadre.GetFromJsonAsync<List<SheetResponse>>("/api/v1/sheets"))!;

        Assert.NotEmpty(sheets);
        Assert.All(sheets.GroupBy(s => s.PeriodEnd), day => Assert.InRange(day.Count(), 1, 4));
        Assert.All(sheets.GroupBy(s => (s.PeriodEnd, s.Category)), same => Assert.Single(same));
        var tasks = await app.WithDbAsync(db => db.FillingTasks.Where(t => t.OrgUnit!.Code == Jinxiu)
            .Select(t => new { t.Id, t.Form!.Category, t.PeriodCode, Elements = t.Form.Sections.Where(s => s.Kind == OneForm.Catalog.SectionKind.Fields).SelectMany(s => s.Fields).Select(f => f.DataElementId).ToList() })
            .ToListAsync());
        foreach (var sheet in sheets)
        {
            var mine = tasks.Where(t => sheet.Forms.Any(f => f.TaskId == t.Id)).ToList();
            Assert.All(mine, t => Assert.Equal(sheet.Category, t.Category.ToString()));
            Assert.All(mine, t => Assert.Equal(sheet.PeriodEnd, Period.Parse(t.PeriodCode).End));
            // Each element once: the sheet has as many as its forms have different elements, fewer than their fields together.
            Assert.Equal(mine.SelectMany(t => t.Elements).Distinct().Count(), sheet.Elements);
            Assert.InRange(sheet.Prefilled + sheet.Missing, 0, sheet.Elements);
            Assert.False(string.IsNullOrEmpty(sheet.CategoryName));
        }
        Assert.Contains(sheets, s => s.Forms.Count > 1 && s.Elements < tasks.Where(t => s.Forms.Any(f => f.TaskId == t.Id)).Sum(t => t.Elements.Count));
        Assert.Equal(tasks.Count(t => sheets.SelectMany(s => s.Forms).Any(f => f.TaskId == t.Id)), sheets.Sum(s => s.Forms.Count));

        // A reviewer of another street learns nothing of 锦绣社区's sheets; its own street's reviewer reads them.
        var stranger = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Reviewer, "652301005000")).UserName!);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/sheets?unit={Jinxiu}")).StatusCode);
        var reviewer = await PageSession.BearerAsync(app, (await app.CreateUserAsync(Role.Reviewer, "652301004000")).UserName!);
        Assert.Equal(sheets.Count, (await reviewer.GetFromJsonAsync<List<SheetResponse>>($"/api/v1/sheets?unit={Jinxiu}"))!.Count);
    }
}
