using Microsoft.AspNetCore.Mvc.RazorPages;
using OneForm.Localization;
using OneForm.Reports;

namespace OneForm.Pages.Oversight.Burden;

/// <summary>The burden dashboard for the gatekeeper and leaders: every figure computed from the data, and downloadable.</summary>
public sealed class IndexModel(BurdenDashboard dashboard, DisplayTime time) : PageModel
{
    public OneForm.Reports.Burden Figures { get; private set; } = null!;

    public async Task OnGetAsync() => Figures = await dashboard.ComputeAsync(time.Today);
}
