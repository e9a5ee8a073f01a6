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

    /// <summary>After a recording that sent forms back to the unit: which.</summary>
    [TempData]
    public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var scope = User.Scope();
        if (scope.OrgUnitId is not { } own || scope.Role is not (Role.Cadre or Role.UnitHead or Role.Reviewer))
        {
            return Forbid();
        }
        var unit = await OrgUnitQueries.ByIdAsync(db, own);
        Timeline = await activities.TimelineAsync(scope, unit);
        Records = scope.CanFillFor(unit);
        if (Records)
        {
            Inbox = await activities.InboxAsync(own, take: 50);
        }
        return Page();
    }

    /// <summary>Attaches a photo of the inbox to one of the unit's activities.</summary>
    public async Task<IActionResult> OnPostAttachAsync(int photo, int activity) =>
        await activities.AttachAsync(User.Scope(), photo, activity) is null ? NotFound() : Redirect($"/Activities#a{activity}");
}
