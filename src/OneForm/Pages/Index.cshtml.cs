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
public sealed class IndexModel(OneFormDbContext db, DisplayTime time, SheetFilling filling) : PageModel
{
    /// <summary>The unit's category sheets by deadline, overdue deadlines first (a cadre's and a head's to-do).</summary>
    public List<IGrouping<DateOnly, CategorySheets.Sheet>> Due { get; private set; } = [];

    /// <summary>The sheets waiting for the head's signature.</summary>
    public List<CategorySheets.Sheet> ToSign { get; private set; } = [];

    /// <summary>The sheets of the units below waiting for the reviewer, by unit.</summary>
    public List<IGrouping<OrgUnit, CategorySheets.Sheet>> ToReview { get; private set; } = [];

    public SheetFilling Filling => filling;
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
                // The unit's sheets by deadline, a deadline with overdue sheets first; accepted ones only while recent.
                var sheets = await CategorySheets.OfUnitAsync(db, unitId, Today.AddMonths(-1));
                Due = [.. sheets.GroupBy(s => s.Deadline)
                    .OrderByDescending(g => g.Any(s => s.IsOverdue(Today))).ThenBy(g => g.All(s => s.State == TaskState.Accepted)).ThenBy(g => g.Key)];
                ToSign = Scope.Admits(Operations.TasksSignOff) ? [.. sheets.Where(s => s.State == TaskState.Submitted && !s.SignedOff)] : [];
            }
            if (Scope.Role == Role.Reviewer)
            {
                ToReview = [.. (await CategorySheets.SubmittedBelowAsync(db, Unit)).Where(s => s.SignedOff).GroupBy(s => s.Unit)];
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
