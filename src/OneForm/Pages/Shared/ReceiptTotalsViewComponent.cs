using Microsoft.AspNetCore.Mvc;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Pages.Shared;

/// <summary>
/// The signed-in cadre's or unit head's burden receipts (减负账单) for this quarter and this year, for the home page:
/// <c>@await Component.InvokeAsync("ReceiptTotals")</c>. Renders nothing for anyone who does not fill for a unit.
/// </summary>
public sealed class ReceiptTotalsViewComponent(OneFormDbContext db, DisplayTime time, IConfiguration configuration) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        var scope = CallerScope.From(UserClaimsPrincipal);
        if (scope?.OrgUnitId is not { } unit || !scope.Admits(Operations.TasksFill))
        {
            return Content("");
        }
        var totals = await BurdenReceipt.TotalsAsync(db, unit, time.Today, BurdenReceipt.MinutesPerField(configuration));
        return totals is null ? Content("") : View("/Pages/Shared/_ReceiptTotals.cshtml", totals);
    }
}
