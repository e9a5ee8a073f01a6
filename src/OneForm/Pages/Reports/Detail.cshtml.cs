using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;
using OneForm.Reports;

namespace OneForm.Pages.Reports;

/// <summary>One report: what was reported, its evidence, and for the gatekeeper each step of the case.</summary>
public sealed class DetailModel(OneFormDbContext db, ReportWorkflow workflow, DisplayTime time) : PageModel
{
    public Report Report { get; private set; } = null!;
    public bool KeepsReports { get; private set; }
    public bool SeesReporter { get; private set; }
    public bool SeesEvidence { get; private set; }
    public int SameForm { get; private set; }
    public List<Department> Departments { get; private set; } = [];
    public string? Problem { get; private set; }
    public DateOnly Today => time.Today;

    [BindProperty] public string? Department { get; set; }
    [BindProperty] public string? Designer { get; set; }
    [BindProperty] public bool WithoutAdmission { get; set; }
    [BindProperty] public string? Note { get; set; }
    [BindProperty] public DateOnly? On { get; set; }

    public async Task<IActionResult> OnGetAsync(int id) => await LoadAsync(id) ?? Page();

    public Task<IActionResult> OnPostInvestigateAsync(int id) => StepAsync(id, r => Task.FromResult(workflow.Investigate(r)));

    public Task<IActionResult> OnPostSubmitFindingAsync(int id) =>
        StepAsync(id, r => workflow.SubstantiateAsync(r, new FindingBody(Department, Designer, WithoutAdmission, Note)));

    public Task<IActionResult> OnPostDismissAsync(int id) => StepAsync(id, r => Task.FromResult(workflow.Dismiss(r, new NoteBody(Note))));

    public Task<IActionResult> OnPostInterviewAsync(int id) =>
        StepAsync(id, r => Task.FromResult(workflow.Interview(r, new InterviewBody(On ?? Today, Note))));

    public Task<IActionResult> OnPostRectificationAsync(int id) =>
        StepAsync(id, r => Task.FromResult(On is { } due ? workflow.OrderRectification(r, new RectificationBody(due)) : "—"));

    public Task<IActionResult> OnPostRectifiedAsync(int id) => StepAsync(id, r => Task.FromResult(workflow.Rectified(r, new DateBody(On ?? Today))));

    public Task<IActionResult> OnPostCloseAsync(int id) => StepAsync(id, r => Task.FromResult(workflow.Close(r)));

    private async Task<IActionResult> StepAsync(int id, Func<Report, Task<string?>> step)
    {
        if (await LoadAsync(id) is { } refusal)
        {
            return refusal;
        }
        if (!KeepsReports)
        {
            return Forbid();
        }
        Problem = await step(Report);
        if (Problem is not null)
        {
            return Page();
        }
        await db.SaveChangesAsync();
        return Redirect($"/Reports/{id}");
    }

    private async Task<IActionResult?> LoadAsync(int id)
    {
        var scope = User.Scope();
        var userId = User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
        if (await workflow.FindAsync(id) is not { } report || !await ReportWorkflow.Visible(db.Reports, scope, userId).AnyAsync(r => r.Id == id))
        {
            return NotFound();
        }
        Report = report;
        KeepsReports = ReportWorkflow.KeepsReports(scope);
        SeesReporter = ReportWorkflow.SeesReporter(report, scope, userId);
        SeesEvidence = KeepsReports || report.ReporterUserId == userId;
        if (KeepsReports)
        {
            SameForm = await db.Reports.CountAsync(r => r.GroupKey == report.GroupKey && r.Id != id);
            Departments = await DepartmentQueries.AllAsync(db);
        }
        return null;
    }
}
