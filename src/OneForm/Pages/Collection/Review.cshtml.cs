using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OneForm.Accounts;
using OneForm.Catalog;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;
using OneForm.Pages.Shared;

namespace OneForm.Pages.Collection;

/// <summary>
/// A reviewer's work: the category sheets of the units below waiting for review, then one form and period over its
/// units (each unit's state and progress, overdue first) and the live totals of the subtree.
/// </summary>
public sealed class ReviewModel(OneFormDbContext db, ReadDatabase read, DisplayTime time, SheetFilling filling,
    Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> l) : PageModel
{
    /// <summary>The category sheets below that wait on the reviewer (signed off) or on their unit head, due soonest first.</summary>
    public List<CategorySheets.Sheet> Waiting { get; private set; } = [];

    public SheetFilling Filling => filling;

    /// <summary>What the reviewer just did on a sheet (accepted, returned): it comes back here for the next sheet waiting.</summary>
    [TempData]
    public string? Notice { get; set; }

    [BindProperty(SupportsGet = true)] public string? Form { get; set; }
    [BindProperty(SupportsGet = true)] public string? Period { get; set; }
    [BindProperty(SupportsGet = true)] public string? Unit { get; set; }
    [BindProperty(SupportsGet = true)] public bool AcceptedOnly { get; set; }

    /// <summary>Show the units below that have not started a sheet (the home page's "units not started" card).</summary>
    [BindProperty(SupportsGet = true)] public bool NotStarted { get; set; }

    /// <summary>The units below with a sheet nobody has touched yet, each with those sheets.</summary>
    public List<IGrouping<OrgUnit, UnitsNotStarted.Untouched>> Untouched { get; private set; } = [];

    /// <summary>
    /// Where the reviewer goes on after accepting or returning (下一个单位): the next signed-off sheet waiting, else the
    /// next unit of the chosen form whose submission waits.
    /// </summary>
    public (string Name, string Href)? NextUnit { get; private set; }

    /// <summary>The periods offered by name: the form's current one and the seven before.</summary>
    public List<Period> Offered { get; private set; } = [];
    public string? PeriodProblem { get; private set; }

    public OrgUnit Root { get; private set; } = null!;
    public List<Form> Forms { get; private set; } = [];
    public Form? Selected { get; private set; }
    public List<TaskProgress.Row> Rows { get; private set; } = [];
    public List<RollUpRow> Totals { get; private set; } = [];
    public DateOnly Today => time.Today;
    public int Done => Rows.Count(r => r.Task.Status is TaskState.Submitted or TaskState.Accepted);
    public int Reopened => Rows.Count(r => r.Task.Status == TaskState.Reopened);

    public async Task<IActionResult> OnGetAsync()
    {
        var scope = User.Scope();
        var root = Unit is { Length: > 0 }
            ? await OrgUnitQueries.ByCodeAsync(db, Unit)
            : scope.OrgUnitId is { } own
                ? await OrgUnitQueries.ByIdAsync(db, own)
                : await OrgUnitQueries.TopAsync(db);
        if (root is null || !scope.CanSeeTasksOf(root) || !scope.Admits(Operations.SubtreeRead))
        {
            return NotFound();
        }
        Root = root;
        Waiting = await CategorySheets.SubmittedBelowAsync(db, root);
        Untouched = NotStarted ? await UnitsNotStarted.BelowAsync(db, root) : [];
        Forms = await FormQueries.AdmittedAsync(db);
        Selected = await FormQueries.AdmittedWithFieldsAsync(db, Form);
        if (Waiting.FirstOrDefault(s => s.SignedOff) is { } next)
        {
            NextUnit = (next.Unit.Name, $"/Collection/Sheet/{next.RouteKey}");
        }
        if (Selected is null)
        {
            return Page();
        }
        Form = Selected.Code;
        var current = TaskOpener.PeriodFor(Selected, Today);
        Offered = [current];
        while (Offered.Count < 8 && Selected.Cycle != ReportingCycle.OneOff)
        {
            Offered.Add(Offered[^1].Previous);
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
            // Never replaced silently: the page names what was typed and shows no unit's progress until it is fixed.
            PeriodProblem = problem;
            Selected = null;
            return Page();
        }

        Rows = (await TaskProgress.BelowAsync(db, root, Selected.Id, Period))
            .OrderByDescending(r => r.Task.IsOverdue(Today))
            .ThenByDescending(r => r.Task.Status == TaskState.Reopened)
            .ThenByDescending(r => r.Task.Status == TaskState.Submitted)
            .ThenBy(r => r.Task.OrgUnit!.Path)
            .ToList();
        if (NextUnit is null && Rows.FirstOrDefault(r => r.Task.Status == TaskState.Submitted && r.Task.SignedOffBy is not null) is { } waiting)
        {
            NextUnit = (waiting.Task.OrgUnit!.Name, $"/Collection/Task/{waiting.Task.Id}");
        }
        // The sums over the subtree read from the read replica when there is one; the progress above stays on the primary.
        Totals = await CollectionApi.RollUpRowsAsync(read.Db, Root, Period, Selected, AcceptedOnly);
        return Page();
    }
}
