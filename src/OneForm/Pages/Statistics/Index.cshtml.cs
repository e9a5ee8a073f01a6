using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OneForm.Accounts;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Localization;
using OneForm.Organization;
using OneForm.Sharing;

namespace OneForm.Pages.Statistics;

/// <summary>A department takes its figures itself: owned or granted elements, for the units of a level below a unit, by period.</summary>
public sealed class IndexModel(OneForm.Sharing.Statistics statistics, DisplayTime time) : PageModel
{
    [BindProperty(SupportsGet = true)] public List<string> Elements { get; set; } = [];
    [BindProperty(SupportsGet = true)] public string? Unit { get; set; }
    [BindProperty(SupportsGet = true)] public OrgUnitLevel Level { get; set; } = OrgUnitLevel.Village;
    [BindProperty(SupportsGet = true)] public string? Periods { get; set; }
    [BindProperty(SupportsGet = true)] public bool ByValue { get; set; }

    public List<DataElement> Choosable { get; private set; } = [];
    public List<string> RecentPeriods { get; private set; } = [];
    public StatisticsTable? Table { get; private set; }
    public string QueryString { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync()
    {
        var scope = User.Scope();
        if (scope.Role is not (Role.Department or Role.Gatekeeper or Role.Administrator))
        {
            return Forbid();
        }
        Choosable = await statistics.ChoosableAsync(scope);
        var today = time.Today;
        RecentPeriods = [.. Enumerable.Range(0, 8).Select(i => Period.Containing(OneForm.Catalog.ReportingCycle.Quarterly, today.AddMonths(-3 * i)).ToString())];
        Periods ??= RecentPeriods[0];
        var periods = Periods.Split([',', '，', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        if (Elements.Count > 0)
        {
            Table = await statistics.RunAsync(scope, new StatisticsQuery(Elements, Unit, Level, periods, ByValue));
            if (Table is null)
            {
                return NotFound();
            }
            QueryString = $"elements={Uri.EscapeDataString(string.Join(',', Elements))}&unit={Uri.EscapeDataString(Unit ?? "")}&level={Level}&periods={Uri.EscapeDataString(string.Join(',', periods))}&byValue={ByValue}";
        }
        return Page();
    }
}
