using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Reports;

public sealed record EvidenceView(int Id, string FileName, string ContentType, long Length);

public sealed record ReportView(int Id, string FormTitle, string? ClaimedCode, string SentBy, string Channel, DateOnly ReceivedOn, string Details,
    string State, string? ReporterName, string? ReporterUnit, bool RevealReporter, string? ResponsibleDepartment, string? ResponsibleDesigner,
    bool IssuedWithoutAdmission, string? Finding, DateOnly? DecidedOn, DateOnly? InterviewOn, string? InterviewNote, DateOnly? RectificationDue,
    DateOnly? RectifiedOn, DateOnly? ClosedOn, bool Overdue, int ReportsAboutTheSameForm, IReadOnlyList<EvidenceView> Evidence);

internal static class ReportsApi
{
    public static void MapReportsApi(this IEndpointRouteBuilder routes)
    {
        var reports = routes.MapGroup("/api/v1/reports").WithTags("Reports");
        reports.MapPost("/", FileAsync).DisableAntiforgery()
            .WithSummary("Report a form pushed on your unit without admission (multipart: formTitle, claimedCode, sentBy, sentByDepartment, channel, receivedOn, details, revealReporter, files).")
            .Allow(Operations.ReportsFile);
        reports.MapGet("/", ListAsync).WithSummary("Reports: your own; for the gatekeeper all (overdue=true for overdue rectifications); for a department the substantiated ones against it.")
            .Allow(Operations.ReportsRead);
        reports.MapGet("/{id:int}", GetAsync).WithSummary("One report, its finding and actions; the reporter is named only to those allowed.")
            .Allow(Operations.ReportsRead);
        reports.MapGet("/{id:int}/evidence/{evidenceId:int}", EvidenceAsync).WithSummary("A file or photo of the report (the reporter and the gatekeeper).")
            .Allow(Operations.ReportsRead);
        Step(reports, "investigate", "Take the report up (gatekeeper).", (w, r, _) => Task.FromResult(w.Investigate(r)));
        Step<FindingBody>(reports, "substantiate", "Substantiated: the responsible department, designer, whether the form had no admission; deductions follow.",
            (w, r, b) => w.SubstantiateAsync(r, b));
        Step<NoteBody>(reports, "dismiss", "Not substantiated, with the reason the reporter reads.", (w, r, b) => Task.FromResult(w.Dismiss(r, b)));
        Step<InterviewBody>(reports, "interview", "Record the interview (约谈) of the responsible department.", (w, r, b) => Task.FromResult(w.Interview(r, b)));
        Step<RectificationBody>(reports, "rectification", "Order a rectification (限期整改) by a deadline.", (w, r, b) => Task.FromResult(w.OrderRectification(r, b)));
        Step<DateBody>(reports, "rectified", "Record that the rectification was done.", (w, r, b) => Task.FromResult(w.Rectified(r, b)));
        Step(reports, "close", "Close the case.", (w, r, _) => Task.FromResult(w.Close(r)));

        var assessment = routes.MapGroup("/api/v1/assessment").WithTags("Reports");
        assessment.MapGet("/{year:int}", async (int year, Assessment a) => TypedResults.Ok(await a.ForYearAsync(year)))
            .WithSummary("Each department's deductions and score for the year, each deduction linked to its report.")
            .Allow(Operations.OversightRead);
        assessment.MapGet("/{year:int}.xlsx", async (int year, Assessment a, IStringLocalizer<SharedResource> l) =>
                TypedResults.File(await a.XlsxAsync(year, l), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"assessment-{year}.xlsx"))
            .WithSummary("The year's assessment as xlsx.")
            .Allow(Operations.OversightRead);

        var burden = routes.MapGroup("/api/v1/burden").WithTags("Reports");
        burden.MapGet("/", async (BurdenDashboard dashboard, DisplayTime time) => TypedResults.Ok(await dashboard.ComputeAsync(time.Today)))
            .WithSummary("The burden dashboard's figures: catalogue and compression, load per level and per unit, admissions, reports, departments, trend.")
            .Allow(Operations.OversightRead);
        burden.MapGet("/xlsx", async (BurdenDashboard dashboard, DisplayTime time, IStringLocalizer<SharedResource> l) =>
                TypedResults.File(BurdenXlsx(await dashboard.ComputeAsync(time.Today), l), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "burden.xlsx"))
            .WithSummary("Every figure of the dashboard as xlsx, one sheet each.")
            .Allow(Operations.OversightRead);
    }

    private static byte[] BurdenXlsx(Burden b, IStringLocalizer l)
    {
        var sheets = new Dictionary<string, object>
        {
            [l["Catalogue"]] = new[] { new Dictionary<string, object?> { [l["Forms in force"]] = b.Catalogue.FormsInForce, [l["Legacy forms"]] = b.Catalogue.Baseline, [l["Compression"]] = Math.Round(b.Catalogue.CompressionRate, 3) } },
            [l["By category"]] = b.ByCategory.Select(c => new Dictionary<string, object?> { [l["Category"]] = c.Key, [l["Forms"]] = c.Count }).ToList(),
            [l["By cycle"]] = b.ByCycle.Select(c => new Dictionary<string, object?> { [l["Cycle"]] = c.Key, [l["Forms"]] = c.Count }).ToList(),
            [l["Per level"]] = b.Levels.Select(x => new Dictionary<string, object?>
            {
                [l["Level"]] = OrgUnitLevels.Name(x.Level, l), [l["Unit groups"]] = string.Join("、", x.Groups), [l["Units"]] = x.Units, [l["Tasks a year"]] = x.TasksPerYear, [l["Values a year"]] = x.ValuesPerYear,
                [l["Derived a year"]] = x.DerivedPerYear, [l["To type a year"]] = x.ToTypePerYear, [l["Hours a year"]] = x.HoursPerYear, [l["Share filled by OneForm"]] = x.SharePrefilled,
                [l["From ledgers"]] = x.Origins.Ledger, [l["From other periods"]] = x.Origins.OverTime, [l["By formula"]] = x.Origins.Formula,
                [l["Carried forward"]] = x.Origins.CarriedForward, [l["Typed with each form on its own"]] = x.LegacyPerYear,
                [l["Hours with each form on its own"]] = x.LegacyHoursPerYear,
            }).ToList(),
            [l["Per unit"]] = b.Units.Select(u => new Dictionary<string, object?>
            {
                [l["Code"]] = u.Code, [l["Unit"]] = u.Name, [l["Tasks"]] = u.Tasks, [l["Typed"]] = u.Typed, [l["Prefilled"]] = u.Prefilled,
                [l["Hours"]] = u.Hours, [l["Share prefilled"]] = u.SharePrefilled, [l["Filled from the registry"]] = u.Origins.Registry,
                [l["From ledgers"]] = u.Origins.Ledger, [l["From other periods"]] = u.Origins.OverTime, [l["By formula"]] = u.Origins.Formula,
                [l["Carried forward"]] = u.Origins.CarriedForward, [l["Typed with each form on its own"]] = u.Legacy, [l["Hours with each form on its own"]] = u.LegacyHours,
            }).ToList(),
            [l["Departments"]] = b.Departments.Select(d => new Dictionary<string, object?>
            {
                [l["Department"]] = d.Name, [l["Forms in force"]] = d.FormsInForce, [l["Waiting for review"]] = d.PendingAdmissions,
                [l["Substantiated reports"]] = d.ReportsAgainst, [l["Points"]] = d.Deductions,
            }).ToList(),
            [l["Trend"]] = b.Trend.Select(t => new Dictionary<string, object?> { [l["Month"]] = t.Month, [l["Forms in force"]] = t.FormsInForce }).ToList(),
        };
        using var stream = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(stream, sheets);
        return stream.ToArray();
    }

    private static void Step(RouteGroupBuilder reports, string name, string summary, Func<ReportWorkflow, Report, object?, Task<string?>> step) =>
        reports.MapPost($"/{{id:int}}/{name}", (int id, ClaimsPrincipal user, ReportWorkflow workflow, OneFormDbContext db, ActorNames names, DisplayTime time) =>
                RunAsync(id, user, workflow, db, names, time, r => step(workflow, r, null)))
            .WithSummary(summary)
            .Allow(Operations.ReportsHandle)
            .ProducesProblem(StatusCodes.Status409Conflict);

    private static void Step<T>(RouteGroupBuilder reports, string name, string summary, Func<ReportWorkflow, Report, T, Task<string?>> step) =>
        reports.MapPost($"/{{id:int}}/{name}", (int id, T body, ClaimsPrincipal user, ReportWorkflow workflow, OneFormDbContext db, ActorNames names, DisplayTime time) =>
                RunAsync(id, user, workflow, db, names, time, r => step(workflow, r, body)))
            .WithSummary(summary)
            .Allow(Operations.ReportsHandle)
            .ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<IResult> RunAsync(int id, ClaimsPrincipal user, ReportWorkflow workflow, OneFormDbContext db, ActorNames names, DisplayTime time,
        Func<Report, Task<string?>> step)
    {
        if (await workflow.FindAsync(id) is not { } report)
        {
            return TypedResults.NotFound();
        }
        if (await step(report) is { } problem)
        {
            return TypedResults.Problem(problem, statusCode: StatusCodes.Status409Conflict);
        }
        await db.SaveChangesAsync();
        return TypedResults.Ok(await ViewAsync(report, user.Scope(), UserId(user), db, names, time.Today));
    }

    private static string UserId(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";

    public static async Task<ReportView> ViewAsync(Report r, CallerScope scope, string userId, OneFormDbContext db, ActorNames names, DateOnly today)
    {
        var named = ReportWorkflow.SeesReporter(r, scope, userId);
        var keeper = ReportWorkflow.KeepsReports(scope);
        var same = keeper ? await db.Reports.CountAsync(x => x.GroupKey == r.GroupKey && x.Id != r.Id) : 0;
        return new ReportView(r.Id, r.FormTitle, r.ClaimedCode, r.SentBy, r.Channel.ToString(), r.ReceivedOn, r.Details, r.State.ToString(),
            named ? await names.NameAsync(r.ReporterUserId) : null, named ? r.ReporterUnit?.Name : null, r.RevealReporter, r.ResponsibleDepartment?.Code, r.ResponsibleDesigner,
            r.IssuedWithoutAdmission, r.Finding, r.DecidedOn, r.InterviewOn, r.InterviewNote, r.RectificationDue, r.RectifiedOn, r.ClosedOn,
            r.IsOverdue(today), same,
            keeper || r.ReporterUserId == userId ? [.. r.Evidence.Select(e => new EvidenceView(e.Id, e.FileName, e.ContentType, e.Length))] : []);
    }

    private static async Task<IResult> FileAsync(HttpRequest request, ClaimsPrincipal user, ReportWorkflow workflow, OneFormDbContext db, ActorNames names,
        DisplayTime time, IStringLocalizer<SharedResource> l)
    {
        var scope = user.Scope();
        if (!ReportWorkflow.MayFile(scope))
        {
            return TypedResults.Forbid();
        }
        if (!request.HasFormContentType)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [l["Send the report as a form (multipart/form-data)."]] });
        }
        var form = await request.ReadFormAsync();
        var errors = new Dictionary<string, string[]>();
        var channel = ReportChannel.Other;
        if (form["channel"].ToString() is { Length: > 0 } named && (!Enum.TryParse(named, true, out channel) || !Enum.IsDefined(channel)))
        {
            errors["channel"] = [l["'{0}' is not a way a form comes: use {1}.", named, string.Join(", ", Enum.GetNames<ReportChannel>())]];
        }
        if (!DateOnly.TryParseExact(form["receivedOn"].ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var received))
        {
            errors["receivedOn"] = [l["The date '{0}' is not a date such as 2026-10-15.", form["receivedOn"].ToString()]];
        }
        var files = new List<EvidenceFile>();
        foreach (var file in form.Files)
        {
            if (file.Length > ReportWorkflow.MaxFileBytes)
            {
                errors["files"] = [l["{0} is larger than {1} MB.", file.FileName, ReportWorkflow.MaxFileBytes / 1024 / 1024]];
                continue;
            }
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer);
            files.Add(new EvidenceFile(file.FileName, file.ContentType, buffer.ToArray()));
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var filing = new ReportFiling(form["formTitle"].ToString(), form["claimedCode"], form["sentBy"].ToString(), form["sentByDepartment"], channel,
            received, form["details"], form["revealReporter"] is var reveal && bool.TryParse(reveal, out var r) && r);
        var (report, problems) = await workflow.FileAsync(filing, files, scope, user.ActorId());
        if (report is null)
        {
            return TypedResults.ValidationProblem(problems);
        }
        var saved = (await workflow.FindAsync(report.Id))!;
        return TypedResults.Created($"/api/v1/reports/{report.Id}", await ViewAsync(saved, scope, UserId(user), db, names, time.Today));
    }

    private static async Task<Ok<List<ReportView>>> ListAsync(ClaimsPrincipal user, OneFormDbContext db, ActorNames names, DisplayTime time, bool? overdue)
    {
        var scope = user.Scope();
        var today = time.Today;
        var reports = await ReportWorkflow.Visible(db.Reports.AsNoTracking().Include(r => r.ReporterUnit).Include(r => r.ResponsibleDepartment), scope, UserId(user))
            .OrderByDescending(r => r.Id).ToListAsync();
        reports = [.. reports.Where(r => overdue != true || r.IsOverdue(today))];
        // The reporters this caller may see, looked up at once rather than one query per report.
        await names.LoadAsync(reports.Where(r => ReportWorkflow.SeesReporter(r, scope, UserId(user))).Select(r => r.ReporterUserId));
        var views = new List<ReportView>();
        foreach (var report in reports)
        {
            views.Add(await ViewAsync(report, scope, UserId(user), db, names, today));
        }
        return TypedResults.Ok(views);
    }

    private static async Task<Results<Ok<ReportView>, NotFound>> GetAsync(int id, ClaimsPrincipal user, ReportWorkflow workflow, OneFormDbContext db, ActorNames names,
        DisplayTime time)
    {
        var scope = user.Scope();
        var report = await workflow.FindAsync(id);
        if (report is null || !await ReportWorkflow.Visible(db.Reports, scope, UserId(user)).AnyAsync(r => r.Id == id))
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok(await ViewAsync(report, scope, UserId(user), db, names, time.Today));
    }

    /// <summary>Serves a report's file from the store; each download is in the audit trail, as evidence may show who reported.</summary>
    private static async Task<Results<FileStreamHttpResult, NotFound>> EvidenceAsync(int id, int evidenceId, ClaimsPrincipal user, OneFormDbContext db,
        IFileStore store, AuditActor actor)
    {
        var scope = user.Scope();
        var userId = UserId(user);
        var keeper = ReportWorkflow.KeepsReports(scope);
        var evidence = await db.ReportEvidence.AsNoTracking()
            .Where(e => e.Id == evidenceId && e.ReportId == id)
            .Where(e => keeper || db.Reports.Any(r => r.Id == id && r.ReporterUserId == userId))
            .SingleOrDefaultAsync();
        if (evidence is null || await store.OpenAsync(evidence.StoredKey) is not { } file)
        {
            return TypedResults.NotFound();
        }
        var unit = await db.Reports.Where(r => r.Id == id).Select(r => r.ReporterUnitId).SingleAsync();
        db.AuditEntries.Add(actor.Entry("ReportEvidence.Downloaded", nameof(ReportEvidence), evidence.Id.ToString(CultureInfo.InvariantCulture), unit, null,
            $"report {id}: {evidence.FileName}"));
        await db.SaveChangesAsync();
        return TypedResults.Stream(file, evidence.ContentType, evidence.FileName);
    }
}
