using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Media;
using OneForm.Organization;

namespace OneForm.Pages.Activities;

/// <summary>A unit's activity records (活动记录), newest first, for the unit and the reviewers above it; the unit's photo inbox.</summary>
public sealed class IndexModel(OneFormDbContext db, OneForm.Media.Activities activities) : PageModel
{
    public List<Activity> Timeline { get; private set; } = [];
    public List<Photo> Inbox { get; private set; } = [];
    public bool Records { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var scope = User.Scope();
        if (scope.OrgUnitId is not { } own || scope.Role is not (Role.Cadre or Role.UnitHead or Role.Reviewer))
        {
            return Forbid();
        }
        var unit = await db.OrgUnits.AsNoTracking().SingleAsync(u => u.Id == own);
        Timeline = await activities.TimelineAsync(scope, unit);
        Records = scope.CanFillFor(unit);
        if (Records)
        {
            Inbox = await db.Photos.AsNoTracking().Where(p => p.OrgUnitId == own && p.ActivityId == null).OrderByDescending(p => p.Id).Take(50).ToListAsync();
        }
        return Page();
    }

    /// <summary>Attaches a photo of the inbox to one of the unit's activities.</summary>
    public async Task<IActionResult> OnPostAttachAsync(int photo, int activity)
    {
        var scope = User.Scope();
        var waiting = await db.Photos.Include(p => p.OrgUnit).SingleOrDefaultAsync(p => p.Id == photo);
        var target = await activities.FindAsync(scope, activity);
        if (waiting is null || target is null || !scope.CanFillFor(waiting.OrgUnit!) || target.OrgUnitId != waiting.OrgUnitId)
        {
            return NotFound();
        }
        waiting.ActivityId = target.Id;
        await db.SaveChangesAsync();
        return Redirect($"/Activities#a{target.Id}");
    }
}
