using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OneForm.Messages;
using OneForm.Organization;

namespace OneForm.Pages.Messages;

/// <summary>What the review page's 催报 button needs: the form and period shown, the unit reviewed, how many have not started.</summary>
public sealed record UrgeButton(string Form, string Period, string Unit, int NotStarted);

/// <summary>
/// The review page's 催报 button posts here: the units below that have not started are reminded (each at most once a
/// day), and the reviewer goes back to the same review with what happened in words.
/// </summary>
public sealed class UrgeModel(Urging urging) : PageModel
{
    [BindProperty] public string Form { get; set; } = "";
    [BindProperty] public string? Period { get; set; }
    [BindProperty] public string? Unit { get; set; }

    /// <summary>Shown by the review page it returns to.</summary>
    [TempData] public string? Notice { get; set; }

    public IActionResult OnGet() => LocalRedirect("/Collection/Review");

    public async Task<IActionResult> OnPostAsync()
    {
        var outcome = await urging.UrgeAsync(User.Scope(), User.ActorId(), Form, Period, Unit);
        if (outcome is null)
        {
            return NotFound();
        }
        Notice = outcome.Message;
        return LocalRedirect("/Collection/Review" + QueryString.Create(new Dictionary<string, string?> { ["form"] = Form, ["period"] = Period, ["unit"] = Unit }));
    }
}
