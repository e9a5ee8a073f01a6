using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Collection;
using OneForm.Collection.Files;
using OneForm.Catalog;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Pages.Collection;

/// <summary>
/// Filling one task: every field with its current value and where it came from, prefilled from whatever form or
/// file already gave the value for this unit and period. Save and submit are plain form posts (no script needed);
/// the unit head signs off (or returns to the cadre), the cadre may withdraw before the review, and the reviewer accepts
/// or returns on the same page. Before saving, the page names the submitted or accepted forms a change would reopen.
/// </summary>
public sealed class TaskModel(OneFormDbContext db, TaskWorkflow workflow, ValueWriter writer, FormFiles files, DisplayTime time,
    IStringLocalizer<SharedResource> l, ActorNames names, IConfiguration configuration) : PageModel
{
    public sealed record FieldView(DataElement Element, string? Value, uint Version, string? Provenance, string? Problem, string? Conflict);

    public sealed record SectionView(string Title, List<FieldView> Fields);

    [BindProperty(SupportsGet = true)]
    public int Id { get; set; }

    /// <summary>The typed values, by element code.</summary>
    [BindProperty]
    public Dictionary<string, string?> Typed { get; set; } = [];

    /// <summary>The values the page was loaded with, to tell what the person changed.</summary>
    [BindProperty]
    public Dictionary<string, string?> Shown { get; set; } = [];

    /// <summary>The versions the page was loaded with, to refuse overwriting someone else's change.</summary>
    [BindProperty]
    public Dictionary<string, uint> Versions { get; set; } = [];

    /// <summary>Roster cells as typed, by <c>residentId:elementCode</c>, and as the page showed them.</summary>
    [BindProperty]
    public Dictionary<string, string?> RosterTyped { get; set; } = [];

    [BindProperty]
    public Dictionary<string, string?> RosterShown { get; set; } = [];

    [BindProperty]
    public string? Comment { get; set; }

    /// <summary>The cadre's reasons for the warnings it confirms on submitting, by rule id.</summary>
    [BindProperty]
    public Dictionary<int, string?> Reasons { get; set; } = [];

    /// <summary>The checks across fields that the values held (or, after a refused submission, typed) break.</summary>
    public IReadOnlyList<OneForm.Dictionary.Validation.RuleViolation> Checks { get; private set; } = [];

    /// <summary>The warnings confirmed at the last submission, with the cadre's reasons: what the reviewer weighs.</summary>
    public List<ConfirmedWarningResponse> ConfirmedWarnings { get; private set; } = [];

    public sealed record RosterView(string Title, List<DataElement> Columns, List<OneForm.Registry.Rosters.Row> Rows);

    public List<RosterView> RosterSections { get; private set; } = [];

    [TempData]
    public string? Notice { get; set; }

    public FillingTask Task { get; private set; } = null!;
    public CallerScope Scope { get; private set; } = null!;
    public List<SectionView> Sections { get; private set; } = [];
    public List<string> Problems { get; private set; } = [];
    public IReadOnlyList<RejectedCell> RejectedCells { get; private set; } = [];

    /// <summary>Fields computed from the registry, with their rule in words: shown, never typed.</summary>
    public Dictionary<int, string> Derived { get; private set; } = [];

    /// <summary>Fields this period adds up (or takes) from the unit's shorter periods, with where from in words: shown, never typed.</summary>
    public Dictionary<int, string> FromParts { get; private set; } = [];

    /// <summary>Indicators, with their formula in words: shown, never typed.</summary>
    public Dictionary<int, string> Computed { get; private set; } = [];

    /// <summary>Counts a ledger rule fills from the unit's ledger entries or activity records, with where from in words: shown, never typed.</summary>
    public Dictionary<int, string> Counted { get; private set; } = [];

    /// <summary>For each derived element, whom to ask when it is wrong (the owner of its source).</summary>
    public Dictionary<int, string> CorrectionNotes { get; private set; } = [];

    /// <summary>Fields nobody at the unit has to type for this form: computed from the registry or given through another form.</summary>
    public int FromRegistry => Sections.Sum(s => s.Fields.Count(f => Derived.ContainsKey(f.Element.Id)));

    public int FromOtherForms { get; private set; }

    public int FieldCount => Sections.Sum(s => s.Fields.Count);
    public bool OfferValidCells { get; private set; }
    public DisplayTime Time => time;
    public bool CanFill => Scope.CanFillFor(Task.OrgUnit!) && Task.Status != TaskState.Submitted;
    public bool CanSignOff => Scope.Admits(Operations.TasksSignOff) && Scope.CanFillFor(Task.OrgUnit!) && Task.Status == TaskState.Submitted && Task.SignedOffBy is null;
    public bool CanReview => Scope.CanReview(Task.OrgUnit!) && Task.Status == TaskState.Submitted;
    public bool CanReturnToCadre => Scope.Admits(Operations.TasksSignOff) && Scope.CanFillFor(Task.OrgUnit!) && Task.Status == TaskState.Submitted;
    public bool CanWithdraw => Scope.Admits(Operations.TasksFill) && Scope.CanFillFor(Task.OrgUnit!) && Task.Status == TaskState.Submitted;

    /// <summary>The submitted or accepted forms of this unit and period that saving a change here would reopen.</summary>
    public List<ReopenedTask> WouldReopen { get; private set; } = [];

    /// <summary>For a reopened task: what changed since it was submitted, and who changed it through which form.</summary>
    public List<TaskChange> ChangesSinceSubmission { get; private set; } = [];
    public bool Overdue => Task.IsOverdue(time.Today);

    /// <summary>Once submitted: what the unit typed for this form and period and what OneForm filled (减负账单).</summary>
    public Receipt? Receipt { get; private set; }

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
        var inputs = Task.Form!.Fields.Select(f => f.DataElement!.Code)
            .Where(Typed.ContainsKey)
            .Select(code => new ValueInput(code, Typed[code], Shown.GetValueOrDefault(code), Versions.GetValueOrDefault(code)))
            .ToList();
        var rosterSections = Task.Form!.Sections.Where(x => x.Kind == OneForm.Catalog.SectionKind.Roster).Select(x => (Task, x)).ToList();
        var (rosterChanges, rosterProblems) = await RosterCorrections.CheckAsync(db, l, Task.OrgUnitId, rosterSections, RosterCorrections.Changed(RosterTyped, RosterShown), skipUnlisted: true);
        if (rosterProblems.Count > 0)
        {
            Problems = [.. rosterProblems.Select(p => p.Message)];
            await ShowAsync(null);
            return Page();
        }
        var reasons = Reasons.Where(w => !string.IsNullOrWhiteSpace(w.Value)).ToDictionary(w => w.Key, w => w.Value!);
        var result = await writer.SaveAsync(Task, Task.Form, inputs, User.ActorId(), ValueSource.Entered, null, submit, reasons: reasons, roster: rosterChanges);
        if (!result.Saved)
        {
            Problems = [.. result.Problems.Select(p => p.Message), .. result.Conflicts.Select(c => c.Message)];
            await ShowAsync(result);
            return Page();
        }
        Notice = submit ? l["Submitted for review."] : l["Draft saved: {0} values changed.", result.Changed];
        Notice = $"{Notice} {Reopening.Notice(result.Reopened, l)}".TrimEnd();
        return RedirectToPage(new { id = Id });
    }

    /// <summary>A filled file of this form: checked cell by cell; with errors, saved only when the person confirms saving the valid cells.</summary>
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
        await using var stream = new MemoryStream();
        await file.CopyToAsync(stream);
        stream.Position = 0;
        var format = file.FileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? FileFormat.Csv : FileFormat.Xlsx;
        var result = await files.ImportTaskAsync(stream, file.FileName, format, Task, User.ActorId(), saveValidCells);
        if (result.Refused || result.NeedsConfirmation)
        {
            Problems = result.FileProblem is null ? [] : [result.FileProblem];
            RejectedCells = result.Rejected;
            OfferValidCells = result.NeedsConfirmation;
            await ShowAsync(null);
            return Page();
        }
        Notice = result.Rejected.Count == 0
            ? l["The file was loaded: {0} values changed.", result.Saved]
            : l["The valid cells were loaded ({0} values changed); {1} cells were rejected.", result.Saved, result.Rejected.Count];
        Notice = $"{Notice} {Reopening.Notice(result.Reopened, l)}".TrimEnd();
        return RedirectToPage(new { id = Id });
    }

    public async Task<IActionResult> OnPostSignOffAsync() =>
        await StepAsync(() => workflow.SignOffAsync(Task, Scope, User.ActorId()), l["Signed off."]);

    public async Task<IActionResult> OnPostAcceptAsync() =>
        await StepAsync(() => workflow.AcceptAsync(Task, Scope, User.ActorId()), l["Accepted."], review: true);

    public async Task<IActionResult> OnPostReturnAsync() =>
        await StepAsync(() => workflow.ReturnAsync(Task, Scope, User.ActorId(), Comment), l["Returned to the unit with your comment."], review: true);

    public async Task<IActionResult> OnPostReturnToCadreAsync() =>
        await StepAsync(() => workflow.ReturnToCadreAsync(Task, Scope, User.ActorId(), Comment), l["Returned to the cadre with your comment."]);

    public async Task<IActionResult> OnPostWithdrawAsync() =>
        await StepAsync(() => workflow.WithdrawAsync(Task, Scope), l["The submission was withdrawn; the form is a draft again."]);

    private async Task<IActionResult> StepAsync(Func<Task<string?>> step, string done, bool review = false)
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }
        var problem = await step();
        if (problem is not null)
        {
            // A step that did not happen saved nothing either, but says what it needs rather than "nothing was saved".
            Problems = [problem];
            ProblemHeading = l["Not done yet:"];
            await ShowAsync(null);
            return Page();
        }
        Notice = done;
        // A reviewer who accepted or returned goes back to the form's units, where the next unit waiting is offered.
        return review && Scope.Role == Role.Reviewer
            ? RedirectToPage("/Collection/Review", new { form = Task.Form!.Code, period = Task.PeriodCode })
            : RedirectToPage(new { id = Id });
    }

    /// <summary>The heading over <see cref="Problems"/>: a refused save saved nothing; a refused step says it is not done.</summary>
    public string? ProblemHeading { get; private set; }

    private async Task<bool> LoadAsync()
    {
        Scope = User.Scope();
        var task = await workflow.LoadAsync(Id, Scope);
        if (task is null)
        {
            return false;
        }
        Task = task;
        return true;
    }

    private async Task ShowAsync(SaveResult? failed)
    {
        var culture = CultureInfo.CurrentUICulture;
        var elementIds = Task.Form!.Fields.Select(f => f.DataElementId).ToList();
        var stored = await db.DataValues.AsNoTracking()
            .Where(v => v.OrgUnitId == Task.OrgUnitId && v.PeriodCode == Task.PeriodCode && elementIds.Contains(v.DataElementId))
            .ToDictionaryAsync(v => v.DataElementId);
        var formIds = stored.Values.Select(v => v.ThroughFormId).OfType<int>().Distinct().ToList();
        var formNames = await FormQueries.NamesAsync(db, formIds, culture);
        await names.LoadAsync(stored.Values.Select(v => v.UpdatedBy));
        Derived = await OneForm.Registry.Derivation.RuleQueries.DescribedAsync(db, elementIds, l);
        CorrectionNotes = await OneForm.Registry.Derivation.RuleQueries.CorrectionNotesAsync(db, elementIds, l);
        var fields = Task.Form.Fields.Select(f => f.DataElement!).Where(e => !Derived.ContainsKey(e.Id)).ToList();
        // What the writer refuses to take typed (counted from ledgers and activity records) is shown as it is held, as on the sheet.
        Counted = (await writer.NotTypedAsync(fields.Where(e => e.Formula is null).ToList()))
            .Where(o => !Derived.ContainsKey(o.Key)).ToDictionary(o => o.Key, o => o.Value);
        fields = fields.Where(e => !Counted.ContainsKey(e.Id)).ToList();
        // A count with nothing recorded yet is 0, not an empty cell the cadre cannot type (as on the sheet).
        if (Counted.Keys.Where(id => !stored.ContainsKey(id)).Select(id => (id, Task.PeriodCode)).ToList() is { Count: > 0 } empty
            && await writer.FillMissingAsync(Task.OrgUnitId, empty) > 0)
        {
            var counted = Counted.Keys.ToList();
            foreach (var value in await db.DataValues.AsNoTracking()
                .Where(v => v.OrgUnitId == Task.OrgUnitId && v.PeriodCode == Task.PeriodCode && counted.Contains(v.DataElementId)).ToListAsync())
            {
                stored[value.DataElementId] = value;
            }
        }
        FromParts = (await OverTime.MadeOfPartsAsync(db, Task.OrgUnitId, fields, Period.Parse(Task.PeriodCode)))
            .ToDictionary(p => p.Key, p => OverTime.Describe(fields.Single(e => e.Id == p.Key).TimeAggregation, p.Value, l));
        Computed = (await ElementFormulas.DescribedAsync(db, fields.Where(e => e.Formula is not null), culture))
            .ToDictionary(f => f.Key, f => l["Computed by a formula: {0}", f.Value].Value);
        FromOtherForms = stored.Values.Count(v => !Derived.ContainsKey(v.DataElementId) && !Counted.ContainsKey(v.DataElementId)
            && !FromParts.ContainsKey(v.DataElementId) && !Computed.ContainsKey(v.DataElementId)
            && v.ThroughFormId is { } f && f != Task.FormId);
        WouldReopen = CanFill ? await Reopening.PreviewAsync(db, Task) : [];
        ChangesSinceSubmission = Task.Status == TaskState.Reopened ? await Reopening.ChangesSinceSubmissionAsync(db, Task) : [];
        Checks = failed?.Notices ?? await ValueChecks.CheckAsync(db, l, Task.OrgUnitId, [Task.PeriodCode], elementIds);
        ConfirmedWarnings = await CollectionApi.ConfirmedWarningsAsync(db, Task.Id, names);
        Receipt = Task.Status is TaskState.Submitted or TaskState.Accepted
            ? await BurdenReceipt.ForAsync(db, Task.OrgUnitId, [Period.Parse(Task.PeriodCode)], elementIds, BurdenReceipt.MinutesPerField(configuration))
            : null;
        var problems = failed?.Problems.ToDictionary(p => p.ElementCode, p => p.Message) ?? [];
        var conflicts = failed?.Conflicts.Where(c => c.ElementCode.Length > 0).ToDictionary(c => c.ElementCode, c => c.Message) ?? [];

        var periodEnd = Period.Parse(Task.PeriodCode).End;
        RosterSections = [];
        foreach (var roster in Task.Form.Sections.Where(s => s.Kind == OneForm.Catalog.SectionKind.Roster).OrderBy(s => s.Order))
        {
            RosterSections.Add(new RosterView(roster.DisplayTitle(culture), roster.Fields.OrderBy(f => f.Order).Select(f => f.DataElement!).ToList(),
                await OneForm.Registry.Rosters.ForAsync(db, roster.Roster(), Task.OrgUnitId, periodEnd)));
        }
        Sections = Task.Form.Sections.Where(s => s.Kind == OneForm.Catalog.SectionKind.Fields).OrderBy(s => s.Order).Select(section => new SectionView(section.DisplayTitle(culture),
            section.Fields.OrderBy(f => f.Order).Select(field =>
            {
                var element = field.DataElement!;
                stored.TryGetValue(element.Id, out var value);
                // After a refused save the person's own typing stays on the page; versions move to what is stored now.
                var shown = failed is not null && Typed.TryGetValue(element.Code, out var typed) && !conflicts.ContainsKey(element.Code)
                    ? typed
                    : value?.Value;
                return new FieldView(element, shown, value?.RowVersion ?? 0, Provenance(value, formNames),
                    problems.GetValueOrDefault(element.Code), conflicts.GetValueOrDefault(element.Code));
            }).ToList())).ToList();
    }

    private string? Provenance(DataValue? value, Dictionary<int, string> formNames) => value switch
    {
        null => null,
        { Source: ValueSource.Derived } => l["Derived from base data at {0}", time.Format(value.UpdatedAt)].Value,
        // Written by the ledger rules, not by a person: the origin beside the value names the ledger or activity records.
        { Source: ValueSource.Ledger } => l["Counted at {0}", time.Format(value.UpdatedAt)].Value,
        { Source: ValueSource.Imported } => l["Imported from a file by {0} at {1}", names[value.UpdatedBy], time.Format(value.UpdatedAt)].Value,
        { ThroughFormId: { } formId } when formId != Task.FormId && formNames.TryGetValue(formId, out var form) =>
            l["Filled through {0} by {1} at {2}", form, names[value.UpdatedBy], time.Format(value.UpdatedAt)].Value,
        _ => l["Typed here by {0} at {1}", names[value.UpdatedBy], time.Format(value.UpdatedAt)].Value,
    };

    /// <summary>The text shown for a stored value in read-only views.</summary>
    public string Display(DataElement element, string? value) => ValueRules.Display(element, value, l);
}
