using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Dictionary.Validation;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Pages.Collection;

/// <summary>
/// A category sheet (一类工作一张表): everything one category of work asks of the unit for the periods that end on one
/// day, each element once, by topic, with what OneForm filled shown as filled and from where. The cadre saves as it
/// goes and submits once; the head signs once; the reviewer accepts, or returns with comments on single fields. The
/// forms departments receive are views of it, listed at the end. Plain form posts: no script needed.
/// </summary>
public sealed class SheetModel(OneFormDbContext db, SheetFilling filling, TaskWorkflow workflow, DisplayTime time,
    IStringLocalizer<SharedResource> l, ActorNames names, IConfiguration configuration) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Unit { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Category { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? End { get; set; }

    /// <summary>What the person typed, by element code.</summary>
    [BindProperty]
    public Dictionary<string, string?> Typed { get; set; } = [];

    /// <summary>The values the page showed, by element code, to tell what the person changed.</summary>
    [BindProperty]
    public Dictionary<string, string?> Shown { get; set; } = [];

    /// <summary>The versions of the values the page showed, to refuse overwriting someone else's change.</summary>
    [BindProperty]
    public Dictionary<string, uint> Versions { get; set; } = [];

    /// <summary>The previous period's values the page offered (上期值), by element code: kept unchanged, they are stored as carried forward.</summary>
    [BindProperty]
    public Dictionary<string, string?> Offered { get; set; } = [];

    /// <summary>Roster cells as typed and as shown, by <c>residentId:elementCode</c>.</summary>
    [BindProperty]
    public Dictionary<string, string?> RosterTyped { get; set; } = [];

    [BindProperty]
    public Dictionary<string, string?> RosterShown { get; set; } = [];

    /// <summary>The cadre's reasons for the warnings it confirms on submitting, by rule id.</summary>
    [BindProperty]
    public Dictionary<int, string?> Reasons { get; set; } = [];

    /// <summary>The general comment of a return (reviewer, or head to the cadre).</summary>
    [BindProperty]
    public string? Comment { get; set; }

    /// <summary>The reviewer's comments on single fields, by element code.</summary>
    [BindProperty]
    public Dictionary<string, string?> FieldNotes { get; set; } = [];

    [TempData]
    public string? Notice { get; set; }

    public CategorySheets.Sheet Sheet { get; private set; } = null!;

    /// <summary>After a reopening: the values that changed since the sheet's forms were handed in, and through what.</summary>
    public List<TaskChange> ChangesSinceSubmission { get; private set; } = [];
    public CallerScope Scope { get; private set; } = null!;
    public List<SheetCell> Cells { get; private set; } = [];
    public List<string> Problems { get; private set; } = [];

    /// <summary>The heading over <see cref="Problems"/>: a refused save saved nothing; a refused step says it is not done.</summary>
    public string? ProblemHeading { get; private set; }
    public Dictionary<string, string> FieldProblems { get; private set; } = [];
    public IReadOnlyList<RuleViolation> Checks { get; private set; } = [];
    public List<TaskModel.RosterView> RosterSections { get; private set; } = [];
    public string Name { get; private set; } = "";
    public string PeriodsName { get; private set; } = "";
    public DisplayTime Time => time;

    /// <summary>After the submission: what the unit typed for this sheet's forms, what OneForm filled and how, the time saved.</summary>
    public Receipt? Receipt { get; private set; }
    public bool SeveralPeriods => Sheet.Tasks.Select(t => t.PeriodCode).Distinct().Count() > 1;

    public bool CanFill => SheetFilling.CanFill(Sheet, Scope);
    public bool CanSignOff => Scope.Admits(Operations.TasksSignOff) && Scope.CanFillFor(Sheet.Unit) && Sheet.State == TaskState.Submitted && !Sheet.SignedOff;
    public bool CanReturnToCadre => Scope.Admits(Operations.TasksSignOff) && Scope.CanFillFor(Sheet.Unit) && Sheet.State == TaskState.Submitted;
    public bool CanWithdraw => Scope.Admits(Operations.TasksFill) && Scope.CanFillFor(Sheet.Unit) && Sheet.State == TaskState.Submitted;
    public bool CanReview => Scope.CanReview(Sheet.Unit) && Sheet.State == TaskState.Submitted;

    public async Task<IActionResult> OnGetAsync()
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }
        await ShowAsync(null);
        return Page();
    }

    public Task<IActionResult> OnPostSaveAsync() => WriteAsync(submit: false);

    public Task<IActionResult> OnPostSubmitAsync() => WriteAsync(submit: true);

    private async Task<IActionResult> WriteAsync(bool submit)
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }
        if (!CanFill)
        {
            return Forbid();
        }
        var inputs = Sheet.Cells.Select(c => c.Element.Code).Where(Typed.ContainsKey)
            .Select(code => new ValueInput(code, Typed[code], Shown.GetValueOrDefault(code), Versions.GetValueOrDefault(code),
                CarriedForward: Offered.TryGetValue(code, out var offered) && offered is { Length: > 0 } && offered == Typed[code]?.Trim()))
            .ToList();
        var (roster, rosterProblems) = await filling.RosterChangesAsync(Sheet, RosterCorrections.Changed(RosterTyped, RosterShown), skipUnlisted: true);
        if (rosterProblems.Count > 0)
        {
            Problems = [.. rosterProblems.Select(p => p.Message)];
            await ShowAsync(null);
            return Page();
        }
        var reasons = Reasons.Where(r => !string.IsNullOrWhiteSpace(r.Value)).ToDictionary(r => r.Key, r => r.Value!);
        var result = await filling.SaveAsync(Sheet, inputs, User.ActorId(), ValueSource.Entered, null, submit, reasons, roster);
        if (!result.Saved)
        {
            Problems = [.. result.Problems.Select(p => p.Message), .. result.Conflicts.Select(c => c.Message)];
            FieldProblems = result.Problems.Concat(result.Conflicts.Select(c => new FieldProblem(c.ElementCode, c.Message)))
                .Where(p => p.ElementCode.Length > 0).GroupBy(p => p.ElementCode).ToDictionary(g => g.Key, g => g.First().Message);
            await ShowAsync(result);
            return Page();
        }
        Notice = submit ? l["The sheet was submitted: the unit head signs it next."] : l["Draft saved: {0} values changed.", result.Changed];
        Notice = $"{Notice} {Reopening.Notice(result.Reopened, l)}".TrimEnd();
        return Redirect(Url.Content($"~/Collection/Sheet/{Sheet.RouteKey}"));
    }

    public IReadOnlyList<OneForm.Collection.Files.RejectedCell> RejectedCells { get; private set; } = [];
    public bool OfferValidCells { get; private set; }

    /// <summary>A filled file of this sheet: checked cell by cell; with errors, saved only when the person confirms saving the valid cells.</summary>
    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file, bool saveValidCells)
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }
        if (!CanFill)
        {
            return Forbid();
        }
        if (file is null || file.Length == 0)
        {
            Problems = [l["Choose an xlsx or CSV file to import."]];
            await ShowAsync(null);
            return Page();
        }
        var result = await filling.ImportAsync(Sheet, file, User.ActorId(), saveValidCells);
        if (result.Refused || result.NeedsConfirmation)
        {
            Problems = result.FileProblem is null ? [] : [result.FileProblem];
            RejectedCells = result.Rejected;
            OfferValidCells = result.NeedsConfirmation;
            await LoadAsync();
            await ShowAsync(null);
            return Page();
        }
        Notice = result.Rejected.Count == 0
            ? l["The file was loaded: {0} values changed.", result.Saved]
            : l["The valid cells were loaded ({0} values changed); {1} cells were rejected.", result.Saved, result.Rejected.Count];
        return Redirect(Url.Content($"~/Collection/Sheet/{Sheet.RouteKey}"));
    }

    public Task<IActionResult> OnPostSignOffAsync() =>
        StepAsync(() => workflow.SignOffAsync(Sheet.Tasks, Scope, User.ActorId()), l["Signed off: the sheet goes to the reviewer."]);

    public Task<IActionResult> OnPostAcceptAsync() =>
        StepAsync(() => workflow.AcceptAsync(Sheet.Tasks, Scope, User.ActorId()), l["Accepted."]);

    public Task<IActionResult> OnPostReturnAsync() =>
        StepAsync(() => workflow.ReturnAsync(Sheet.Tasks, Scope, User.ActorId(), Comment, SheetFilling.FieldComments(Sheet, FieldNotes)),
            l["Returned to the unit with your comment."]);

    public Task<IActionResult> OnPostReturnToCadreAsync() =>
        StepAsync(() => workflow.ReturnToCadreAsync(Sheet.Tasks, Scope, User.ActorId(), Comment), l["Returned to the cadre with your comment."]);

    public Task<IActionResult> OnPostWithdrawAsync() =>
        StepAsync(() => workflow.WithdrawAsync(Sheet.Tasks, Scope), l["The submission was withdrawn; the sheet is a draft again."]);

    private async Task<IActionResult> StepAsync(Func<Task<string?>> step, string done)
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }
        if (await step() is { } problem)
        {
            // A step that did not happen saved nothing either, but says what it needs rather than "nothing was saved".
            Problems = [problem];
            ProblemHeading = l["Not done yet:"];
            await LoadAsync();
            await ShowAsync(null);
            return Page();
        }
        Notice = done;
        // A reviewer goes on to the next sheet waiting; everyone else stays with this one.
        return Scope.Role == Role.Reviewer ? RedirectToPage("/Collection/Review") : Redirect(Url.Content($"~/Collection/Sheet/{Sheet.RouteKey}"));
    }

    private async Task<bool> LoadAsync()
    {
        Scope = User.Scope();
        var sheet = await filling.LoadAsync(Unit, Category, End, Scope);
        if (sheet is null)
        {
            return false;
        }
        Sheet = sheet;
        return true;
    }

    private async Task ShowAsync(SaveResult? failed)
    {
        var culture = CultureInfo.CurrentUICulture;
        Name = filling.Name(Sheet);
        PeriodsName = filling.PeriodsName(Sheet);
        Cells = await filling.CellsAsync(Sheet);
        await names.LoadAsync([.. Sheet.Cells.Select(c => c.Value?.UpdatedBy), .. Sheet.Tasks.Select(t => t.ReviewedBy)]);
        var periods = Sheet.Tasks.Select(t => t.PeriodCode).Distinct().ToList();
        Checks = failed?.Notices ?? await ValueChecks.CheckAsync(db, l, Sheet.Key.UnitId, periods, [.. Sheet.Cells.Select(c => c.Element.Id)]);
        Receipt = Sheet.State is TaskState.Submitted or TaskState.Accepted
            ? await BurdenReceipt.ForAsync(db, Sheet.Key.UnitId, periods.Select(Period.Parse), [.. Sheet.Tasks.SelectMany(t => t.Form!.Fields).Select(f => f.DataElementId).Distinct()],
                BurdenReceipt.MinutesPerField(configuration))
            : null;
        ChangesSinceSubmission = [];
        foreach (var task in Sheet.Tasks.Where(t => t.Status == TaskState.Reopened))
        {
            ChangesSinceSubmission.AddRange(await Reopening.ChangesSinceSubmissionAsync(db, task));
        }
        ChangesSinceSubmission = [.. ChangesSinceSubmission.DistinctBy(c => (c.Element, c.ChangedAt, c.NewValue))];
        RosterSections = [];
        foreach (var (task, section) in filling.RosterSections(Sheet))
        {
            RosterSections.Add(new TaskModel.RosterView(section.DisplayTitle(culture), [.. section.Fields.OrderBy(f => f.Order).Select(f => f.DataElement!)],
                await OneForm.Registry.Rosters.ForAsync(db, section.Roster(), Sheet.Key.UnitId, Period.Parse(task.PeriodCode).End)));
        }
    }

    /// <summary>The value a cell shows: after a refused save, the person's own typing; otherwise what is stored, or the offered 上期值.</summary>
    public string? Shows(SheetCell cell) =>
        FieldProblems.Count + Problems.Count > 0 && Typed.TryGetValue(cell.Cell.Element.Code, out var typed) ? typed : cell.Cell.Value?.Value ?? cell.Offer;

    /// <summary>Where a held value came from, for a typed cell: who typed it, through which form or file, or 上期值.</summary>
    public string? Provenance(SheetCell cell) => cell.Cell.Value switch
    {
        null when cell.Offer is not null => l["Last period's value: keep it or change it"].Value,
        null => null,
        { Source: ValueSource.CarriedForward } value => l["Last period's value, kept by {0} at {1}", Who(value.UpdatedBy), time.Format(value.UpdatedAt)].Value,
        { Source: ValueSource.Imported } value => l["Imported from a file by {0} at {1}", Who(value.UpdatedBy), time.Format(value.UpdatedAt)].Value,
        var value => l["Typed by {0} at {1}", Who(value.UpdatedBy), time.Format(value.UpdatedAt)].Value,
    };

    /// <summary>Who did something, as a cadre knows them: the account's display name where it has one.</summary>
    public string Who(string? actor) => actor is null ? "" : names.DisplayName(actor) ?? names[actor];

    /// <summary>The text shown for a stored value in read-only views.</summary>
    public string Display(DataElement element, string? value) => ValueRules.Display(element, value, l);
}
