using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OneForm.Localization;
using OneForm.Reports;

namespace OneForm.Pages.Oversight.Assessment;

/// <summary>The departments' annual assessment on form burden, for the gatekeeper: deductions, each linked to its report.</summary>
public sealed class IndexModel(OneForm.Reports.Assessment assessment, DisplayTime time) : PageModel
{
    [BindProperty(SupportsGet = true)] public int? Year { get; set; }

    public IReadOnlyList<AssessmentRow> Rows { get; private set; } = [];
    public decimal BaseScore => assessment.BaseScore;

    public async Task OnGetAsync()
    {
        Year ??= time.Today.Year;
        Rows = await assessment.ForYearAsync(Year.Value);
    }
}
