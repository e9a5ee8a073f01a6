using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OneForm.Catalog;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;
using OneForm.Sharing;

namespace OneForm.Pages.Collection;

/// <summary>
/// A department's view of its forms (表格即视图): for one form and period, which units below a unit have submitted it,
/// and each unit's form to download in its own layout with the values the department may read (<see cref="FormViews"/>).
/// </summary>
public sealed class SubmissionsModel(OneFormDbContext db, DisplayTime time, FormViews views) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Form { get; set; }
    [BindProperty(SupportsGet = true)] public string? Period { get; set; }
    [BindProperty(SupportsGet = true)] public string? Unit { get; set; }

    public OrgUnit Root { get; private set; } = null!;
    public List<Form> Forms { get; private set; } = [];
    public Form? Selected { get; private set; }
    public List<TaskProgress.Row> Rows { get; private set; } = [];
    public DateOnly Today => time.Today;
    public int Done => Rows.Count(r => r.Task.Status is TaskState.Submitted or TaskState.Accepted);

    public async Task<IActionResult> OnGetAsync()
    {
        var scope = User.Scope();
        var root = Unit is { Length: > 0 } ? await OrgUnitQueries.ByCodeAsync(db, Unit) : await OrgUnitQueries.TopAsync(db);
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
        Period = OneForm.Common.Period.TryParse(Period, out var chosen) ? chosen.ToString() : TaskOpener.PeriodFor(Selected, Today).ToString();
        Rows = [.. (await TaskProgress.BelowAsync(db, root, Selected.Id, Period)).OrderBy(r => r.Task.OrgUnit!.Path, StringComparer.Ordinal)];
        return Page();
    }
}
