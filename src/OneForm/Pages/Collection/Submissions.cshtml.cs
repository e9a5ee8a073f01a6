using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OneForm.Catalog;
using OneForm.Collection;
using OneForm.Data;
using Microsoft.Extensions.Localization;
using OneForm.Localization;
using OneForm.Pages.Shared;
using OneForm.Organization;
using OneForm.Sharing;

namespace OneForm.Pages.Collection;

/// <summary>
/// A department's view of its forms (表格即视图): for one form and period, which units below a unit have submitted it,
/// and each unit's form to download in its own layout with the values the department may read (<see cref="FormViews"/>).
/// </summary>
public sealed class SubmissionsModel(OneFormDbContext db, DisplayTime time, FormViews views, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Form { get; set; }
    [BindProperty(SupportsGet = true)] public string? Period { get; set; }
    [BindProperty(SupportsGet = true)] public string? Unit { get; set; }

    public OrgUnit Root { get; private set; } = null!;
    public List<Form> Forms { get; private set; } = [];
    public Form? Selected { get; private set; }
    public List<TaskProgress.Row> Rows { get; private set; } = [];
    public DateOnly Today => time.Today;
    public UnitLookup UnitLookup { get; private set; } = UnitLookup.Empty;
    public List<Period> Offered { get; private set; } = [];
    public string? PeriodProblem { get; private set; }
    /// <summary>The unit or the period did not read: the page names what was typed and lists no unit's progress.</summary>
    public bool Unsettled => UnitLookup.Unsettled() || PeriodProblem is not null;
    public int Done => Rows.Count(r => r.Task.Status is TaskState.Submitted or TaskState.Accepted);

    public async Task<IActionResult> OnGetAsync()
    {
        var scope = User.Scope();
        UnitLookup = await this.ReadUnitAsync(db, "unit", Unit);
        var root = UnitLookup.Unit ?? await OrgUnitQueries.TopAsync(db);
        if (root is null || !scope.CanSeeUnit(root))
        {
            return NotFound();
        }
        Root = root;
        Unit = root.Code;
        Forms = await views.FormsAsync(scope);
        Selected = Forms.FirstOrDefault(f => f.Code == Form) ?? Forms.FirstOrDefault();
        if (Selected is null || !FormViews.MaySeeSubmissions(scope, Selected))
        {
            Selected = null;
            return Page();
        }
        Form = Selected.Code;
        var current = TaskOpener.PeriodFor(Selected, Today);
        Offered = PickerReading.Recent(Selected.Cycle, Today);
        if (!Offered.Contains(current))
        {
            Offered.Insert(0, current);
        }
        if (string.IsNullOrWhiteSpace(Period))
        {
            Period = current.ToString();
        }
        else if (PickerReading.ReadPeriod(Period, Selected.Cycle, Offered, l, out var problem) is { } chosen)
        {
            Period = chosen.ToString();
        }
        else
        {
            PeriodProblem = problem;
        }
        if (Unsettled)
        {
            return Page();
        }
        Rows = [.. (await TaskProgress.BelowAsync(db, root, Selected.Id, Period)).OrderBy(r => r.Task.OrgUnit!.Path, StringComparer.Ordinal)];
        return Page();
    }
}
