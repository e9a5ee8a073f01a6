using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Media;
using OneForm.Organization;

namespace OneForm.Pages.Activities;

/// <summary>
/// Records an activity on a phone. With script, the page sends the record first and then each photo on its own,
/// scaled down on the phone and retried until it arrives; without, the photos go with the form and are scaled here.
/// </summary>
[RequestSizeLimit(200 * 1024 * 1024)]
public sealed class NewModel(OneFormDbContext db, OneForm.Media.Activities activities, Photos photos, DisplayTime time,
    IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty] public ActivityKind Kind { get; set; } = ActivityKind.BranchCommittee;
    [BindProperty] public string? Title { get; set; }
    [BindProperty] public DateOnly OccurredOn { get; set; }
    [BindProperty] public TimeOnly? StartsAt { get; set; }
    [BindProperty] public TimeOnly? EndsAt { get; set; }
    [BindProperty] public int? Participants { get; set; }
    [BindProperty] public string? Minutes { get; set; }

    public Dictionary<string, string[]> Errors { get; private set; } = [];
    public List<string> PhotoProblems { get; } = [];
    public DateOnly Today => time.Today;

    /// <summary>A meeting recorded late changed a count of a submitted or accepted form, which went back to the unit: the records page says which.</summary>
    private void Tell(IReadOnlyList<OneForm.Collection.ReopenedTask> reopened) =>
        TempData["Notice"] = OneForm.Collection.Reopening.Notice(reopened, l) is { Length: > 0 } notice ? notice : null;

    public async Task<IActionResult> OnGetAsync()
    {
        if (await OwnUnitAsync() is null)
        {
            return Forbid();
        }
        OccurredOn = time.Today;
        return Page();
    }

    /// <summary>
    /// Without script: the record and its photos in one form. Every photo is checked before the record is kept, so a
    /// refused photo leaves nothing behind and sending the form again cannot record the activity twice.
    /// </summary>
    public async Task<IActionResult> OnPostAsync(List<IFormFile> photoFiles)
    {
        if (await OwnUnitAsync() is not { } unit)
        {
            return Forbid();
        }
        var uploads = new List<byte[]>();
        foreach (var file in photoFiles)
        {
            if (file.Length > photos.MaxBytes)
            {
                PhotoProblems.Add($"{file.FileName}: {photos.TooLargeMessage(file.Length)}");
                continue;
            }
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer);
            var upload = buffer.ToArray();
            if (photos.Refusal(upload, unit) is { } problem)
            {
                PhotoProblems.Add($"{file.FileName}: {problem}");
                continue;
            }
            uploads.Add(upload);
        }
        if (PhotoProblems.Count > 0)
        {
            return Page();
        }
        var (activity, errors, reopened) = await activities.RecordAsync(User.ActorId(), unit, Recorded());
        if (activity is null)
        {
            Errors = errors;
            return Page();
        }
        Tell(reopened);
        foreach (var upload in uploads)
        {
            await photos.AddAsync(User.Scope(), User.ActorId(), unit, activity, upload, null);
        }
        return Redirect($"/Activities#a{activity.Id}");
    }

    /// <summary>With script: the record alone, answered with its id, or the problems by field.</summary>
    public async Task<IActionResult> OnPostRecordAsync()
    {
        if (await OwnUnitAsync() is not { } unit)
        {
            return Forbid();
        }
        var (activity, errors, reopened) = await activities.RecordAsync(User.ActorId(), unit, Recorded());
        Tell(reopened);
        return activity is null ? BadRequest(new { errors }) : new JsonResult(new { id = activity.Id });
    }

    /// <summary>With script: one photo, the body being the image; the same photo again is the same photo.</summary>
    public async Task<IActionResult> OnPostPhotoAsync(int activity)
    {
        var target = await activities.FindAsync(User.Scope(), activity);
        if (target is null)
        {
            return NotFound();
        }
        var (upload, status, problem) = await photos.ReadAsync(Request);
        if (upload is null)
        {
            return StatusCode(status, new { problem });
        }
        var result = await photos.AddAsync(User.Scope(), User.ActorId(), target.OrgUnit!, target, upload, null, HttpContext.RequestAborted);
        return result.Photo is { } photo ? new JsonResult(new { id = photo.Id }) : StatusCode(result.Status, new { problem = result.Problem });
    }

    private ActivityRequest Recorded() => new(Kind, OccurredOn, Title, StartsAt, EndsAt, Participants, Minutes);

    private async Task<OrgUnit?> OwnUnitAsync()
    {
        var scope = User.Scope();
        if (scope.OrgUnitId is not { } own || !scope.Admits(Operations.ActivitiesRecord))
        {
            return null;
        }
        return await OrgUnitQueries.ByIdAsync(db, own);
    }
}
