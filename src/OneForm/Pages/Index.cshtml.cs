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
            Unit = await db.OrgUnits.AsNoTracking().SingleAsync(u => u.Id == unitId);
            var codes = Unit.PathCodes.SkipLast(1).ToList();
            Ancestors = await db.OrgUnits.AsNoTracking().Where(u => codes.Contains(u.Code)).OrderBy(u => u.Depth).ToListAsync();
            UnitsBelow = await db.OrgUnits.InSubtree(Unit.Path).CountAsync() - 1;
            if (Scope.CanFillFor(Unit))
            {
                // Tasks of the unit, overdue first, then by deadline; accepted ones only while their period is recent.
                var recent = Today.AddMonths(-3);
                var tasks = await db.FillingTasks.AsNoTracking().Include(t => t.Form).Include(t => t.OrgUnit)
                    .Where(t => t.OrgUnitId == unitId && (t.Status != TaskState.Accepted || t.Deadline >= recent))
                    .ToListAsync();
                Tasks = (await TaskProgress.ForAsync(db, tasks))
                    .OrderByDescending(r => r.Task.IsOverdue(Today)).ThenBy(r => r.Task.Status == TaskState.Accepted).ThenBy(r => r.Task.Deadline)
                    .ToList();
            }
        }
        if (Scope.DepartmentId is { } departmentId)
        {
            Department = await db.Departments.AsNoTracking().SingleAsync(d => d.Id == departmentId);
        }
        if (Scope.CanAdminister)
        {
            UnitCount = await db.OrgUnits.CountAsync();
            AccountCount = await db.Users.CountAsync();
            DepartmentCount = await db.Departments.CountAsync();
        }
    }
}
