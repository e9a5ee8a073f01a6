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

/// <summary>A cadre or unit head reports a form pushed on the unit without admission, with photos from the phone.</summary>
public sealed class NewModel(OneFormDbContext db, ReportWorkflow workflow, DisplayTime time) : PageModel
{
    public sealed class Input
    {
        public string FormTitle { get; set; } = "";
        public string? ClaimedCode { get; set; }
        public string SentBy { get; set; } = "";
        public string? SentByDepartment { get; set; }
        public ReportChannel Channel { get; set; } = ReportChannel.ChatMessage;
        public DateOnly ReceivedOn { get; set; }
        public string? Details { get; set; }
        public bool RevealReporter { get; set; }
    }

    [BindProperty] public Input Report { get; set; } = new();
    public List<Department> Departments { get; private set; } = [];
    public Dictionary<string, string[]> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string? code)
    {
        if (!ReportWorkflow.MayFile(User.Scope()))
        {
            return Forbid();
        }
        Report = new Input { ClaimedCode = code, ReceivedOn = time.Today };
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(List<IFormFile> files)
    {
        var scope = User.Scope();
        if (!ReportWorkflow.MayFile(scope))
        {
            return Forbid();
        }
        var evidence = new List<EvidenceFile>();
        foreach (var file in files.Where(f => f.Length > 0))
        {
            if (file.Length > ReportWorkflow.MaxFileBytes)
            {
                evidence.Add(new EvidenceFile(file.FileName, file.ContentType, new byte[ReportWorkflow.MaxFileBytes + 1]));
                continue;
            }
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer);
            evidence.Add(new EvidenceFile(file.FileName, file.ContentType, buffer.ToArray()));
        }
        var (report, errors) = await workflow.FileAsync(new ReportFiling(Report.FormTitle, Report.ClaimedCode, Report.SentBy, Report.SentByDepartment,
            Report.Channel, Report.ReceivedOn, Report.Details, Report.RevealReporter), evidence, scope, User.ActorId());
        if (report is null)
        {
            Errors = errors;
            await LoadAsync();
            return Page();
        }
        TempData["Notice"] = "filed";
        return Redirect($"/Reports/{report.Id}");
    }

    private async Task LoadAsync() => Departments = await DepartmentQueries.AllAsync(db);
}
