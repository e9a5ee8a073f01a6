using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Dictionary.Validation;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Pages.Dictionary;

/// <summary>
/// The validation run: which units' values for a period break which checks across fields, over the caller's scope
/// (a reviewer's subtree, a department's own and granted elements).
/// </summary>
public sealed class CheckRunModel(OneFormDbContext db, IHeldValues held, DisplayTime time, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Period { get; set; }
    [BindProperty(SupportsGet = true)] public string? Unit { get; set; }

    public ValidationRunResponse? Run { get; private set; }
    public string? Problem { get; private set; }

    public async Task OnGetAsync()
    {
        Period = string.IsNullOrWhiteSpace(Period) ? OneForm.Common.Period.Containing(ReportingCycle.Quarterly, time.Today).ToString() : Period.Trim();
        if (!OneForm.Common.Period.TryParse(Period, out _))
        {
            Problem = l["'{0}' is not a period such as 2026M03, 2026Q1, 2026H1 or 2026.", Period];
            return;
        }
        Run = await ValidationRulesApi.CheckAsync(await ValidationRules.LoadAsync(db, l), Period, Unit, User.Scope(), db, held, l);
        if (Run is null)
        {
            Problem = l["No unit with the code {0} is in your scope.", Unit ?? ""];
        }
    }
}
