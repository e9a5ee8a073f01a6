using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Dictionary.Validation;
using OneForm.Localization;
using OneForm.Organization;
using OneForm.Pages.Shared;

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
    public string? PeriodProblem { get; private set; }
    public UnitLookup UnitLookup { get; private set; } = UnitLookup.Empty;
    public List<Period> Offered { get; private set; } = [];

    public async Task OnGetAsync()
    {
        Offered = PickerReading.Recent(time.Today);
        Period = string.IsNullOrWhiteSpace(Period) ? Offered[0].ToString() : Period.Trim();
        // A code (2026Q4) or a name (2026年第四季度) of any cycle.
        if (PickerReading.ReadPeriod(Period, null, Offered, l, out var problem) is { } period)
        {
            Period = period.ToString();
        }
        else
        {
            PeriodProblem = problem;
        }
        UnitLookup = await this.ReadUnitAsync(db, nameof(Unit), Unit);
        if (PeriodProblem is not null || UnitLookup.Unsettled())
        {
            return;
        }
        Unit = UnitLookup.Unit?.Code;
        Run = await ValidationRulesApi.CheckAsync(await ValidationRules.LoadAsync(db, l), Period, Unit, User.Scope(), db, held, l);
        if (Run is null)
        {
            Problem = l["No unit with the code {0} is in your scope.", UnitLookup.ShownAs];
        }
    }
}
