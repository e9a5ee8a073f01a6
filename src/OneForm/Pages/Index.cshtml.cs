using System.Security.Claims;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OneForm.Accounts;
using OneForm.Collection;
using OneForm.Localization;
using OneForm.Data;
using OneForm.Organization;

namespace OneForm.Pages;

/// <summary>Every role lands here and sees its scope: its unit and place in the tree, or its department.</summary>
public sealed class IndexModel(OneFormDbContext db, DisplayTime time) : PageModel
{
    public List<TaskProgress.Row> Tasks { get; private set; } = [];
    public DateOnly Today => time.Today;

    public CallerScope Scope { get; private set; } = null!;
    public string DisplayName { get; private set; } = "";
    public OrgUnit? Unit { get; private set; }
    public List<OrgUnit> Ancestors { get; private set; } = [];
    public Department? Department { get; private set; }
    public int UnitsBelow { get; private set; }
    public int UnitCount { get; private set; }
    public int AccountCount { get; private set; }
    public int DepartmentCount { get; private set; }

    public async Task OnGetAsync()
    {
        Scope = User.Scope();
        DisplayName = User.FindFirstValue(ScopeClaims.DisplayName) is { Length: > 0 } name ? name : User.Identity!.Name!;
        if (Scope.OrgUnitId is { } unitId)
        {
            Unit = await OrgUnitQueries.ByIdAsync(db, unitId);
            var codes = Unit.PathCodes.SkipLast(1).ToList();
            Ancestors = await OrgUnitQueries.ByCodesAsync(db, codes);
            UnitsBelow = await OrgUnitQueries.IdsInSubtree(db, Unit.Path).CountAsync() - 1;
            if (Scope.CanFillFor(Unit))
            {
                // Tasks of the unit, overdue first, then by deadline; accepted ones only while their period is recent.
                var recent = Today.AddMonths(-3);
                Tasks = (await TaskProgress.OfUnitAsync(db, unitId, recent))
                    .OrderByDescending(r => r.Task.IsOverdue(Today)).ThenBy(r => r.Task.Status == TaskState.Accepted).ThenBy(r => r.Task.Deadline)
                    .ToList();
            }
        }
        if (Scope.DepartmentId is { } departmentId)
        {
            Department = await DepartmentQueries.ByIdAsync(db, departmentId);
        }
        if (Scope.CanAdminister)
        {
            UnitCount = await OrgUnitQueries.CountAsync(db);
            AccountCount = await AccountQueries.CountAsync(db);
            DepartmentCount = await DepartmentQueries.CountAsync(db);
        }
    }
}
