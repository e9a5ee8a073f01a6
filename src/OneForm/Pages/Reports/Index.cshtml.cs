using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Reports;
using OneForm.Organization;

namespace OneForm.Pages.Reports;

/// <summary>Reports: a reporter's own with their status; for the gatekeeper every case, reports about the same form together, overdue first.</summary>
public sealed class IndexModel(OneFormDbContext db, DisplayTime time) : PageModel
{
    [BindProperty(SupportsGet = true)] public bool Overdue { get; set; }

    public List<IGrouping<string, Report>> Groups { get; private set; } = [];
    public bool KeepsReports { get; private set; }
    public bool MayFile { get; private set; }
    public DateOnly Today => time.Today;

    public async Task<IActionResult> OnGetAsync()
    {
        var scope = User.Scope();
        KeepsReports = ReportWorkflow.KeepsReports(scope);
        MayFile = ReportWorkflow.MayFile(scope);
        if (!KeepsReports && !MayFile && scope.Role != Role.Department)
        {
            return Forbid();
        }
        var reports = await ReportWorkflow.Visible(db.Reports.AsNoTracking().Include(r => r.ResponsibleDepartment), scope,
            User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "").OrderByDescending(r => r.Id).ToListAsync();
        Groups = [.. reports.Where(r => !Overdue || r.IsOverdue(Today)).GroupBy(r => r.GroupKey)
            .OrderByDescending(g => g.Any(r => r.IsOverdue(Today))).ThenByDescending(g => g.Max(r => r.Id))];
        return Page();
    }
}
