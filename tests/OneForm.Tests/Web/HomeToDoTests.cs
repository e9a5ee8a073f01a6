using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OneForm.Admission;
using OneForm.Data;
using OneForm.Organization;
using OneForm.Registry;
using OneForm.Reports;
using OneForm.Sharing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Web;

/// <summary>Every role's home page shows its to-do: a card per kind of work with its count, the whole card a link to it.</summary>
[Collection(nameof(AppsCollection))]
public sealed partial class HomeToDoTests(Apps apps)
{
    /// <summary>The card with this id on a home page: where it leads and the count it shows (0 when it says there is none).</summary>
    private static (string Href, int Count, string Text) Card(string html, string id)
    {
        var card = Regex.Match(html, $"<a class=\"todo-card[^\"]*\" href=\"([^\"]*)\" data-testid=\"todo-{id}\">(.*?)</a>", RegexOptions.Singleline);
        Assert.True(card.Success, $"the home page has no {id} card");
        var count = Regex.Match(card.Groups[2].Value, "class=\"todo-count\" data-testid=\"todo-count\">(\\d+)<");
        var text = Regex.Replace(card.Groups[2].Value, "<[^>]+>", " ").Trim();
        return (System.Net.WebUtility.HtmlDecode(card.Groups[1].Value), count.Success ? int.Parse(count.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0,
            System.Net.WebUtility.HtmlDecode(Regex.Replace(text, "\\s+", " ")));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_department_sees_its_grant_requests_exports_and_reports_counted_and_an_empty_card_says_so(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var code = "T" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var department = await app.WithDbAsync(async db =>
        {
            var d = new Department { Code = code, Name = "测试局" + code };
            db.Departments.Add(d);
            await db.SaveChangesAsync();
            return d;
        });
        var user = await app.CreateUserAsync(Role.Department, departmentCode: code);
        var session = await PageSession.SignedInAsync(app, user.UserName!);

        // Nothing yet: every card is there and says there is nothing, and no card shows the department's code.
        var empty = await session.GetHtmlAsync("/");
        Assert.Equal((0, "/Grants"), (Card(empty, "grants-to-decide").Count, Card(empty, "grants-to-decide").Href));
        Assert.Contains("没有待审批的申请", Card(empty, "grants-to-decide").Text);
        Assert.Contains("没有可下载的导出文件", Card(empty, "exports-ready").Text);
        Assert.DoesNotContain(">" + code + "<", empty);
        Assert.Contains("测试局" + code, empty);

        await app.WithDbAsync(async db =>
        {
            var other = await db.Departments.SingleAsync(d => d.Code == "MZJ");
            db.DataGrants.Add(new DataGrant
            {
                GranteeDepartmentId = other.Id, OwnerDepartmentId = department.Id, Purpose = "测试", RequestedBy = "test", State = GrantState.Requested,
                FromYear = 2026, ToYear = 2026, PeriodFrom = "2026", PeriodUntil = "2027",
            });
            db.DataGrants.Add(new DataGrant
            {
                GranteeDepartmentId = other.Id, OwnerDepartmentId = department.Id, Purpose = "已批", RequestedBy = "test", State = GrantState.Approved,
                FromYear = 2026, ToYear = 2026, PeriodFrom = "2026", PeriodUntil = "2027",
            });
            db.ExportJobs.Add(new ExportJob { RequestedBy = user.Id, Role = Role.Department, DepartmentId = department.Id, Query = "{}", FileName = "名单.xlsx", State = ExportState.Done });
            db.ExportJobs.Add(new ExportJob { RequestedBy = user.Id, Role = Role.Department, DepartmentId = department.Id, Query = "{}", FileName = "名单2.xlsx", State = ExportState.Done });
            db.ExportJobs.Add(new ExportJob { RequestedBy = user.Id, Role = Role.Department, DepartmentId = department.Id, Query = "{}", FileName = "失败.xlsx", State = ExportState.Failed });
            db.Reports.Add(new Report
            {
                FormTitle = "未准入表", SentBy = "测试局", GroupKey = "未准入表" + code, ReporterUserId = "test", State = ReportState.Substantiated,
                ResponsibleDepartmentId = department.Id,
            });
            return await db.SaveChangesAsync();
        });

        var home = await session.GetHtmlAsync("/");
        Assert.Equal((1, "/Grants"), (Card(home, "grants-to-decide").Count, Card(home, "grants-to-decide").Href));
        Assert.Equal((2, "/Exports"), (Card(home, "exports-ready").Count, Card(home, "exports-ready").Href));
        Assert.Equal((1, "/Reports"), (Card(home, "reports-about-forms").Count, Card(home, "reports-about-forms").Href));
        // The grant the card counts waits on a button that says what it does to a grant request.
        var grants = await session.GetHtmlAsync("/Grants");
        Assert.Contains(">拒绝申请</button>", grants);
        Assert.DoesNotContain(">不予准入</button>", grants);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_gatekeeper_sees_admissions_waiting_reports_to_handle_and_overdue_rectifications(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var gatekeeper = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Gatekeeper, departmentCode: "ZZB")).UserName!);
        var key = Guid.NewGuid().ToString("N")[..8];
        await app.WithDbAsync(async db =>
        {
            var department = await db.Departments.SingleAsync(d => d.Code == "MZJ");
            db.AdmissionRequests.Add(new AdmissionRequest { DepartmentId = department.Id, Title = "待审表" + key, CreatedBy = "test", State = AdmissionState.Submitted });
            db.Reports.Add(new Report { FormTitle = "新举报" + key, SentBy = "某局", GroupKey = "a" + key, ReporterUserId = "test", State = ReportState.Received });
            db.Reports.Add(new Report
            {
                FormTitle = "逾期整改" + key, SentBy = "某局", GroupKey = "b" + key, ReporterUserId = "test", State = ReportState.Substantiated,
                RectificationDue = new DateOnly(2020, 1, 31),
            });
            return await db.SaveChangesAsync();
        });
        var (admissions, reports, overdue) = await app.WithDbAsync(async db => (
            await db.AdmissionRequests.CountAsync(r => r.State == AdmissionState.Submitted),
            await db.Reports.CountAsync(r => r.State == ReportState.Received || r.State == ReportState.Investigating),
            (await db.Reports.AsNoTracking().ToListAsync()).Count(r => r.IsOverdue(DateOnly.FromDateTime(DateTime.UtcNow)))));

        var home = await gatekeeper.GetHtmlAsync("/");
        Assert.Equal((admissions, "/Admission"), (Card(home, "admissions-waiting").Count, Card(home, "admissions-waiting").Href));
        Assert.Equal((reports, "/Reports"), (Card(home, "reports-to-handle").Count, Card(home, "reports-to-handle").Href));
        Assert.Equal((overdue, "/Reports?overdue=true"), (Card(home, "rectifications-overdue").Count, Card(home, "rectifications-overdue").Href));
        Assert.True(overdue >= 1 && reports >= 1 && admissions >= 1);
        Assert.Contains("逾期整改" + key, await gatekeeper.GetHtmlAsync("/Reports?overdue=true"));
        Assert.DoesNotContain(">ZZB<", home);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_administrator_sees_a_failed_import_until_one_of_its_kind_completes(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var admin = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Administrator)).UserName!);
        var kind = "T" + Guid.NewGuid().ToString("N")[..8];
        var before = Card(await admin.GetHtmlAsync("/"), "failed-imports").Count;
        var now = DateTimeOffset.UtcNow;
        var failed = await app.WithDbAsync(async db =>
        {
            var batch = new ImportBatch { Kind = kind, FileName = "人口.csv", StartedBy = "test", StartedAt = now, UpdatedAt = now, State = BatchState.Failed, Problem = "文件损坏" };
            db.ImportBatches.Add(batch);
            await db.SaveChangesAsync();
            return batch.Id;
        });

        var home = await admin.GetHtmlAsync("/");
        Assert.Equal(before + 1, Card(home, "failed-imports").Count);
        Assert.StartsWith("/Registry/Imports", Card(home, "failed-imports").Href);

        await app.WithDbAsync(async db =>
        {
            db.ImportBatches.Add(new ImportBatch { Kind = kind, FileName = "人口.csv", StartedBy = "test", StartedAt = now, UpdatedAt = now, State = BatchState.Completed });
            return await db.SaveChangesAsync();
        });
        Assert.Equal(before, Card(await admin.GetHtmlAsync("/"), "failed-imports").Count);
        Assert.True(failed > 0);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_reviewer_sees_sheets_to_review_and_units_not_started_and_one_tap_lists_those_units(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var reviewer = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Reviewer, "652301004000")).UserName!);
        var home = await reviewer.GetHtmlAsync("/");
        var review = Card(home, "to-review-count");
        var notStarted = Card(home, "not-started");
        Assert.Equal("/Collection/Review?notStarted=true", notStarted.Href);
        Assert.True(review.Href.StartsWith("/Collection/", StringComparison.Ordinal), review.Href);

        // The review page lists as many units as the card counts, each a link to a sheet of it not started.
        var list = await reviewer.GetHtmlAsync(notStarted.Href);
        var units = Regex.Match(list, "data-testid=\"units-not-started\">(.*?)</ul>", RegexOptions.Singleline);
        Assert.True(units.Success);
        Assert.Equal(notStarted.Count, Regex.Matches(units.Groups[1].Value, "<li>").Count);
        var expected = await app.WithDbAsync(async db =>
        {
            var root = await db.OrgUnits.SingleAsync(u => u.Code == "652301004000");
            return (await OneForm.Collection.UnitsNotStarted.BelowAsync(db, root)).Count;
        });
        Assert.Equal(expected, notStarted.Count);
    }
}
