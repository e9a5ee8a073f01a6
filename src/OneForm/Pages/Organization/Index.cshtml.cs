using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Organization;

namespace OneForm.Pages.Organization;

/// <summary>Browse the tree one level at a time, or find a unit by name or code, within the caller's scope.</summary>
public sealed class IndexModel(OneFormDbContext db) : PageModel
{
    public const int MaxResults = 100;

    public sealed record Child(OrgUnit Unit, int ChildCount);

    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    public CallerScope Scope { get; private set; } = null!;
    public OrgUnit? Unit { get; private set; }
    public List<OrgUnit> Ancestors { get; private set; } = [];
    public List<Child> Children { get; private set; } = [];
    public int SubtreeSize { get; private set; }
    public List<OrgUnit> Results { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        Scope = User.Scope();
        var visible = Scope.VisibleUnits(db.OrgUnits.AsNoTracking());
        Q = string.IsNullOrWhiteSpace(Q) ? null : Q.Trim();
        if (Q is not null)
        {
            Results = await visible.Where(u => u.Name.Contains(Q) || u.Code.StartsWith(Q))
                .OrderBy(u => u.Path).Take(MaxResults).ToListAsync();
            return Page();
        }

        Unit = string.IsNullOrWhiteSpace(Code)
            ? await visible.OrderBy(u => u.Depth).ThenBy(u => u.Path).FirstOrDefaultAsync()
            : await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(u => u.Code == Code);
        if (Unit is null)
        {
            return string.IsNullOrWhiteSpace(Code) ? Page() : NotFound();
        }
        if (!Scope.CanSeeUnit(Unit))
        {
            return NotFound();
        }

        var codes = Unit.PathCodes.SkipLast(1).ToList();
        Ancestors = await db.OrgUnits.AsNoTracking().Where(u => codes.Contains(u.Code)).OrderBy(u => u.Depth).ToListAsync();
        SubtreeSize = await visible.InSubtree(Unit.Path).CountAsync();
        var unitId = Unit.Id;
        Children = await visible.Where(u => u.ParentId == unitId).OrderBy(u => u.Code)
            .Select(u => new Child(u, db.OrgUnits.Count(c => c.ParentId == u.Id)))
            .ToListAsync();
        return Page();
    }
}
