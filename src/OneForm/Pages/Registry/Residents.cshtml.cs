using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Organization;
using OneForm.Pages.Shared;
using OneForm.Registry;

namespace OneForm.Pages.Registry;

/// <summary>A unit's residents from the registry, identity numbers masked; a permitted person may see one in full, with a reason.</summary>
public sealed class ResidentsModel(OneFormDbContext db, Unmasking unmasking) : PageModel
{
    public const int PageSize = 200;

    [BindProperty(SupportsGet = true)] public string? Unit { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int PageNumber { get; set; } = 1;

    public OrgUnit? Target { get; private set; }
    public List<Resident> Residents { get; private set; } = [];
    public int Total { get; private set; }
    public bool MayUnmask => User.FindFirst(ScopeClaims.MayUnmask)?.Value == "true";
    public (long Id, string Number)? Unmasked { get; private set; }
    public string? Problem { get; private set; }
    public UnitLookup UnitLookup { get; private set; } = UnitLookup.Empty;

    public async Task<IActionResult> OnGetAsync()
    {
        var scope = User.Scope();
        UnitLookup = await this.ReadUnitAsync(db, "unit", Unit);
        if (UnitLookup.Choices.Count > 0 || (UnitLookup.NotFound && !UnitLookup.Typed.All(char.IsAsciiDigit)))
        {
            // A name that matches several units or none: the page says so, naming what was typed.
            return Page();
        }
        Target = UnitLookup.Unit ?? (UnitLookup.IsEmpty && scope.OrgUnitId is { } own ? await OrgUnitQueries.ByIdAsync(db, own) : null);
        if (Target is null)
        {
            return UnitLookup.IsEmpty ? Page() : NotFound();
        }
        if (!scope.CanSeeTasksOf(Target))
        {
            return NotFound();
        }
        var ids = OrgUnitQueries.IdsInSubtree(db, Target.Path);
        var residents = db.Residents.AsNoTracking().Where(r => ids.Contains(r.OrgUnitId));
        Total = await residents.CountAsync();
        Residents = await residents.OrderBy(r => r.HouseholdNumber).ThenBy(r => r.Id)
            .Skip(OneForm.Common.Paging.Skip(PageNumber, PageSize)).Take(PageSize).ToListAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostUnmaskAsync(long id, string? reason)
    {
        var (outcome, number, problem) = await unmasking.UnmaskAsync(id, User, reason);
        if (outcome == Unmasking.Outcome.NotFound)
        {
            return NotFound();
        }
        // Shown in this answer only: the full number is never put in a link or kept on the page.
        Unmasked = number is null ? null : (id, number);
        Problem = problem;
        return await OnGetAsync();
    }
}
