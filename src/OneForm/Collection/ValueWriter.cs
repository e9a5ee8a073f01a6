using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Catalog;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Dictionary.Validation;
using OneForm.Localization;

namespace OneForm.Collection;

/// <summary>What a person (or a file) sent for one field: the text, and the value and version it started from.</summary>
/// <param name="CarriedForward">The text is the previous period's value that the page offered (上期值) and the person kept.</param>
public sealed record ValueInput(string ElementCode, string? Text, string? Original, uint LoadedVersion, bool CarriedForward = false);

public sealed record FieldProblem(string ElementCode, string Message);

/// <summary>Someone else changed the value meanwhile: theirs is kept, yours is shown beside it.</summary>
public sealed record ValueConflict(string ElementCode, string Message, string? TheirValue, string YourValue);

/// <param name="Reopened">Tasks of the unit and period that held a changed value after they were submitted or accepted,
/// and are back at the unit now (this task too, when it was accepted and is not submitted again).</param>
/// <param name="Notices">The checks across fields that the unit's values break after this save (or would have, for a refused one):
/// on a save they are notices; on a submission an error refuses it and a warning needs a reason.</param>
public sealed record SaveResult(IReadOnlyList<FieldProblem> Problems, IReadOnlyList<ValueConflict> Conflicts, int Changed,
    IReadOnlyList<ReopenedTask>? Reopened = null, IReadOnlyList<RuleViolation>? Notices = null)
{
    public bool Saved => Problems.Count == 0 && Conflicts.Count == 0;
}

/// <summary>
/// What one save writes: a unit's cells (each an element in the period of the task whose form asks it) and the tasks
/// that move with it: one task, or every task of a category sheet. The audit entry names <paramref name="What"/>.
/// </summary>
public sealed record Slice(int UnitId, IReadOnlyList<Slice.Cell> Cells, IReadOnlyList<FillingTask> Tasks, string What, string AuditType, string AuditId)
{
    /// <summary>An element asked in the period of <paramref name="Task"/>, typed through that task's form.</summary>
    public sealed record Cell(DataElement Element, FillingTask Task)
    {
        public string Period => Task.PeriodCode;
    }

    /// <summary>The fields of one form in one task's period.</summary>
    public static Slice Of(FillingTask task, Form form) =>
        new(task.OrgUnitId, [.. form.Fields.Select(f => new Cell(f.DataElement!, task))], [task],
            string.Create(CultureInfo.InvariantCulture, $"{form.Code} {task.PeriodCode}"), nameof(FillingTask), task.Id.ToString(CultureInfo.InvariantCulture));
}

/// <summary>
/// Writes values: checks every field, refuses to overwrite a value someone else changed since it was loaded, keeps the
/// history, and moves the tasks on. All or nothing: a request with a problem saves no value. The one path by which
/// typed values are stored, for one form (the filling page, the API and its offline replay, file uploads) or a whole
/// category sheet, roster corrections included, so it is also where a change takes back submissions and acceptances
/// (<see cref="Reopening"/>) and is audited.
/// </summary>
public sealed class ValueWriter(OneFormDbContext db, IStringLocalizer<SharedResource> l, TimeProvider time, DisplayTime display, AuditActor auditActor,
    ActorNames names, IEnumerable<ISubmissionReopened> listeners, IEnumerable<IElementOrigins> origins,
    IEnumerable<ITaskStepTaken> steps)
{
    /// <param name="reasons">On submission, the cadre's reason for each warning it confirms, by rule id.</param>
    public Task<SaveResult> SaveAsync(FillingTask task, Form form, IReadOnlyCollection<ValueInput> inputs, string actor,
        ValueSource source, string? file, bool submit, CancellationToken cancellationToken = default, IReadOnlyDictionary<int, string>? reasons = null,
        IReadOnlyDictionary<(long Resident, int Element), string?>? roster = null) =>
        SaveAsync(Slice.Of(task, form), inputs, actor, source, file, submit, reasons, roster, cancellationToken);

    /// <summary>
    /// Elements of <paramref name="elements"/> that are not typed, each with where its value comes from in words: the
    /// registry, ledgers and activity records, a formula. (Longer periods made of shorter ones are asked per period.)
    /// </summary>
    public async Task<Dictionary<int, string>> NotTypedAsync(IReadOnlyCollection<DataElement> elements, CancellationToken cancellationToken = default)
    {
        var ids = elements.Select(e => e.Id).ToList();
        var result = await OneForm.Registry.Derivation.RuleQueries.DescribedAsync(db, ids, l);
        foreach (var origin in origins)
        {
            foreach (var (id, described) in await origin.DescribeAsync(ids, cancellationToken))
            {
                result.TryAdd(id, described);
            }
        }
        foreach (var (id, formula) in await ElementFormulas.DescribedAsync(db, [.. elements.Where(e => e.Formula is not null)], CultureInfo.CurrentUICulture, cancellationToken))
        {
            result.TryAdd(id, l["Computed by its formula: {0}", formula]);
        }
        return result;
    }

    /// <summary>The pages listing the records behind elements' values of a unit and period (<see cref="IElementOrigins.RecordsAsync"/>).</summary>
    public async Task<Dictionary<int, string>> RecordsAsync(IReadOnlyCollection<int> elementIds, string unitCode, string period,
        CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<int, string>();
        foreach (var origin in origins)
        {
            foreach (var (id, link) in await origin.RecordsAsync(elementIds, unitCode, period, cancellationToken))
            {
                result.TryAdd(id, link);
            }
        }
        return result;
    }

    /// <summary>Has the modules that fill elements compute the cells of <paramref name="unitId"/> that hold no value yet; returns how many were written.</summary>
    public async Task<int> FillMissingAsync(int unitId, IReadOnlyCollection<(int ElementId, string Period)> cells, CancellationToken cancellationToken = default)
    {
        var written = 0;
        foreach (var origin in origins)
        {
            written += await origin.FillAsync(unitId, cells, cancellationToken);
        }
        return written;
    }

    /// <param name="roster">Corrections of residents' attributes made on the same page, saved with the values or not at all.</param>
    public async Task<SaveResult> SaveAsync(Slice slice, IReadOnlyCollection<ValueInput> inputs, string actor, ValueSource source, string? file, bool submit,
        IReadOnlyDictionary<int, string>? reasons = null, IReadOnlyDictionary<(long Resident, int Element), string?>? roster = null,
        CancellationToken cancellationToken = default)
    {
        var culture = CultureInfo.CurrentUICulture;
        var unitId = slice.UnitId;
        var fields = slice.Cells.Select(c => c.Element).DistinctBy(e => e.Id).ToList();
        if (InputProblems(fields, inputs, culture) is { Count: > 0 } refused)
        {
            return new SaveResult(refused, [], 0);
        }
        var byCode = inputs.GroupBy(i => i.ElementCode).ToDictionary(g => g.Key, g => g.Last());
        var elementIds = fields.Select(e => e.Id).ToList();
        var periods = slice.Cells.Select(c => c.Period).Distinct().ToList();
        var current = await db.DataValues
            .Where(v => v.OrgUnitId == unitId && periods.Contains(v.PeriodCode) && elementIds.Contains(v.DataElementId))
            .ToDictionaryAsync(v => (v.DataElementId, v.PeriodCode), cancellationToken);

        // Elements computed from the registry, counted from ledgers or by a formula are never typed: their sources are corrected instead.
        var notTyped = await NotTypedAsync(fields, cancellationToken);
        var derived = (await db.DerivationRules.Where(r => elementIds.Contains(r.DataElementId)).Select(r => r.DataElementId).ToListAsync(cancellationToken)).ToHashSet();
        // Elements a period adds up from the unit's shorter periods are not asked again: the parts are corrected instead.
        var madeOfParts = new Dictionary<(int, string), List<Period>>();
        foreach (var inPeriod in slice.Cells.Where(c => !notTyped.ContainsKey(c.Element.Id)).GroupBy(c => c.Period))
        {
            foreach (var (id, parts) in await OverTime.MadeOfPartsAsync(db, unitId, [.. inPeriod.Select(c => c.Element)], Period.Parse(inPeriod.Key), cancellationToken))
            {
                madeOfParts[(id, inPeriod.Key)] = parts;
            }
        }
        var problems = new List<FieldProblem>();
        var conflicts = new List<ValueConflict>();
        var changes = new List<(Slice.Cell Cell, ValueRules.Checked Value, ValueSource Source)>();
        foreach (var cell in slice.Cells)
        {
            var element = cell.Element;
            current.TryGetValue((element.Id, cell.Period), out var stored);
            var fromParts = madeOfParts.GetValueOrDefault((element.Id, cell.Period));
            if (!byCode.TryGetValue(element.Code, out var input))
            {
                if (submit && element.Required && stored is null && !notTyped.ContainsKey(element.Id) && fromParts is null)
                {
                    problems.Add(new(element.Code, l["{0} is required.", element.DisplayName(culture)]));
                }
                continue;
            }
            // A text's punctuation is part of it: changing "，" to "," is a change.
            var isText = element.ValueType == ElementValueType.Text;
            var typedSomething = ValueRules.Normalise(input.Text, isText) != ValueRules.Normalise(input.Original, isText) && ValueRules.Normalise(input.Text, isText) != (stored?.Value ?? "");
            if (notTyped.TryGetValue(element.Id, out var origin))
            {
                if (typedSomething)
                {
                    problems.Add(new(element.Code, derived.Contains(element.Id)
                        ? l["{0} is computed from the population registry and cannot be typed; correct the residents' records instead.", element.DisplayName(culture)]
                        : element.Formula is not null
                            ? l["{0} is computed by a formula ({1}) and cannot be typed; correct the values it is computed from.", element.DisplayName(culture),
                                (await ElementFormulas.DescribedAsync(db, [element], culture, cancellationToken)).GetValueOrDefault(element.Id) ?? element.Formula]
                            : l["{0} is not typed: {1}. Correct what it comes from instead.", element.DisplayName(culture), origin]));
                }
                continue;
            }
            if (fromParts is not null)
            {
                if (typedSomething)
                {
                    problems.Add(new(element.Code, l["{0} is {1}: correct those values instead.", element.DisplayName(culture),
                        OverTime.Describe(element.TimeAggregation, fromParts, l)]));
                }
                continue;
            }
            var value = ValueRules.Check(element, input.Text, l, culture);
            if (value.Problem is not null && (value.Value is not null || submit || !element.Required || ValueRules.Normalise(input.Text).Length > 0))
            {
                problems.Add(new(element.Code, value.Problem));
                continue;
            }
            var touched = ValueRules.Normalise(input.Text, isText) != ValueRules.Normalise(input.Original, isText);
            if (!touched || value.Value == stored?.Value)
            {
                continue;
            }
            if ((stored?.RowVersion ?? 0) != input.LoadedVersion || (stored is null && input.LoadedVersion != 0))
            {
                conflicts.Add(new(element.Code, stored is null
                        ? l["{0} was cleared by someone else while you were editing; check it and save again.", element.DisplayName(culture)]
                        : l["{0} was changed to {1} by {2} at {3} while you were editing; your {4} was not saved. Check it and save again.",
                            element.DisplayName(culture), stored.Value, await names.NameAsync(stored.UpdatedBy), display.Format(stored.UpdatedAt), input.Text ?? ""],
                    stored?.Value, input.Text ?? ""));
                continue;
            }
            changes.Add((cell, value, input.CarriedForward && stored is null && value.Value is not null
                && await CarriedForward.OfferAsync(db, unitId, element, Period.Parse(cell.Period), cancellationToken) == value.Value
                    ? ValueSource.CarriedForward
                    : source));
        }
        // Checks across fields, on the values this save would leave, for the rules that name a field of this slice.
        var notices = await ValueChecks.CheckAsync(db, l, unitId, periods, elementIds,
            changes.ToDictionary(c => (c.Cell.Element.Id, c.Cell.Period), c => c.Value.Value is null ? null : c.Value.Number), cancellationToken);
        var confirmed = new List<(RuleViolation Violation, string Reason)>();
        if (submit)
        {
            foreach (var violation in notices)
            {
                var reason = reasons?.GetValueOrDefault(violation.RuleId)?.Trim() ?? "";
                var key = $"rule:{violation.RuleId.ToString(CultureInfo.InvariantCulture)}";
                if (violation.IsError)
                {
                    problems.Add(new(key, l["{0} Correct the values to submit.", violation.Message.TrimEnd('。')]));
                }
                else if (reason.Length == 0)
                {
                    problems.Add(new(key, l["{0} Confirm the values with a reason to submit anyway.", violation.Message.TrimEnd('。')]));
                }
                else if (reason.Length > ConfirmedWarning.MaxReasonLength)
                {
                    problems.Add(new(key, l["A reason may have at most {0} characters.", ConfirmedWarning.MaxReasonLength]));
                }
                else if (InputRules.Problem(reason, l["Reason"], l, multiline: true) is { } badReason)
                {
                    problems.Add(new(key, badReason));
                }
                else
                {
                    confirmed.Add((violation, reason));
                }
            }
        }

        if (problems.Count > 0 || conflicts.Count > 0)
        {
            return new SaveResult(problems, conflicts, 0, null, notices);
        }

        var now = time.GetUtcNow();
        // The old values, taken before the stored rows below are changed in place.
        var before = changes.ToDictionary(c => (c.Cell.Element.Id, c.Cell.Period), c => current.GetValueOrDefault((c.Cell.Element.Id, c.Cell.Period))?.Value);
        foreach (var (cell, value, from) in changes)
        {
            ValueHistory.Set(db, current.GetValueOrDefault((cell.Element.Id, cell.Period)), cell.Element.Id, unitId, cell.Period, value.Value, value.Number,
                from, actor, now, cell.Task.FormId, file);
        }

        var changed = changes.Select(c => new ValueChanged(c.Cell.Period, c.Cell.Element, before[(c.Cell.Element.Id, c.Cell.Period)], c.Value.Value)).ToList();
        // The quarter and year made of a period's values follow it, in the same transaction.
        foreach (var inPeriod in changes.GroupBy(c => c.Cell.Period))
        {
            changed.AddRange(await OverTime.RecomputeAsync(db, unitId, [.. inPeriod.Select(c => c.Cell.Element)], Period.Parse(inPeriod.Key), actor, now, cancellationToken));
        }
        // Indicators follow their parts (typed, or of the longer periods just computed).
        changed.AddRange(await Formulas.RecomputeAsync(db, unitId, changed, actor, now, cancellationToken));
        var reopened = await ReopenAsync(slice, changed, actor, now, file, submit, cancellationToken);
        if (roster is { Count: > 0 })
        {
            await OneForm.Registry.Rosters.StageAsync(db, roster, actor, now);
        }
        if (submit)
        {
            // The reviewer sees why each warning was let through; a new submission replaces the reasons of the last.
            var taskIds = slice.Tasks.Select(t => t.Id).ToList();
            db.ConfirmedWarnings.RemoveRange(await db.ConfirmedWarnings.Where(w => taskIds.Contains(w.FillingTaskId)).ToListAsync(cancellationToken));
            db.ConfirmedWarnings.AddRange(confirmed.Select(c => new ConfirmedWarning
            {
                FillingTaskId = (slice.Tasks.FirstOrDefault(t => t.PeriodCode == c.Violation.Period) ?? slice.Tasks[0]).Id,
                RuleId = c.Violation.RuleId, PeriodCode = c.Violation.Period, Rule = c.Violation.Rule,
                Message = c.Violation.Message.Length <= 1000 ? c.Violation.Message : c.Violation.Message[..999] + "…", Reason = c.Reason, ConfirmedBy = actor, ConfirmedAt = now,
            }));
            // A sheet's accepted forms whose values did not change stay accepted; submitting what is all accepted sends it all again.
            var moving = slice.Tasks.Where(t => t.Status != TaskState.Accepted || reopened.Any(r => r.Id == t.Id)).ToList();
            var sent = moving.Count > 0 ? moving : [.. slice.Tasks];
            foreach (var task in sent)
            {
                task.Status = TaskState.Submitted;
                (task.SubmittedBy, task.SubmittedAt, task.SignedOffBy, task.SignedOffAt) = (actor, now, null, null);
            }
            foreach (var listener in steps)
            {
                await listener.TakenAsync(TaskStep.Submitted, sent, actor, null);
            }
        }
        else if (changes.Count > 0)
        {
            foreach (var task in slice.Tasks.Where(t => t.Status == TaskState.NotStarted))
            {
                task.Status = TaskState.Draft;
            }
        }
        if (changes.Count > 0)
        {
            db.AuditEntries.Add(Audit(slice, changed, source, file, reopened));
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Someone saved the same values at the same moment: nothing of this request was written.
            db.ChangeTracker.Clear();
            return new SaveResult([], [new ValueConflict("", l["Someone else saved this form at the same moment; nothing was saved. Reload and check the values."], null, "")], 0);
        }
        return new SaveResult([], [], changes.Count, reopened, notices);
    }

    /// <summary>
    /// Sends back to the unit every submitted or accepted task of the unit that holds a changed value in its period, and
    /// the slice's own accepted tasks (<see cref="Reopening.ReopenAsync"/>); on a submission the slice's tasks go up again at once.
    /// </summary>
    private Task<List<ReopenedTask>> ReopenAsync(Slice slice, List<ValueChanged> changed, string actor, DateTimeOffset now,
        string? file, bool submit, CancellationToken cancellationToken) =>
        Reopening.ReopenAsync(db, listeners, slice.UnitId, changed,
            // The form through which the period's values were typed, named to departments told of a reopening.
            new ReopenThrough(actor, now, period => slice.Cells.FirstOrDefault(c => c.Period == period)?.Task.Form ?? slice.Tasks[0].Form!, file, ValueSource.Entered),
            slice.Tasks.ToDictionary(t => t.Id), submit, cancellationToken);

    /// <summary>One entry per save, beside the value history: what was saved, how many values changed and which, old and new.</summary>
    private AuditEntry Audit(Slice slice, List<ValueChanged> changed, ValueSource source, string? file, List<ReopenedTask> reopened)
    {
        // Keyed by code, and by code@period for the longer periods that followed and for every period of a slice of several.
        var periods = slice.Cells.Select(c => c.Period).ToHashSet();
        var values = changed.DistinctBy(c => (c.Element.Code, c.Period))
            .ToDictionary(c => periods.Count == 1 && periods.Contains(c.Period) ? c.Element.Code : $"{c.Element.Code}@{c.Period}", c => new[] { c.Before, c.After });
        var typed = changed.Where(c => periods.Contains(c.Period) && slice.Cells.Any(x => x.Element.Id == c.Element.Id && x.Period == c.Period)).ToList();
        var codes = string.Join(", ", typed.Select(c => c.Element.Code));
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{slice.What}: {typed.Count} values {source.ToString().ToLowerInvariant()}{(file is null ? "" : $" from {file}")} ({codes})");
        if (changed.Count > typed.Count)
        {
            summary += string.Create(CultureInfo.InvariantCulture, $"; {changed.Count - typed.Count} values of longer periods follow");
        }
        if (reopened.Count > 0)
        {
            summary += "; reopened " + string.Join(", ", reopened.Select(r => $"{r.FormCode} (task {r.Id.ToString(CultureInfo.InvariantCulture)})"));
        }
        return auditActor.Entry("Values.Saved", slice.AuditType, slice.AuditId, slice.UnitId,
            System.Text.Json.JsonSerializer.Serialize(values, AuditJson), summary.Length <= 1000 ? summary : summary[..999] + "…");
    }

    private static readonly System.Text.Json.JsonSerializerOptions AuditJson = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// What is wrong with the request itself, before any value is looked at: more values than a request may carry,
    /// a code the form does not have (named, never silently dropped), a text with control or direction characters.
    /// </summary>
    private List<FieldProblem> InputProblems(List<DataElement> fields, IReadOnlyCollection<ValueInput> inputs, CultureInfo culture)
    {
        if (inputs.Count > InputRules.MaxItems)
        {
            return [new("Values", l["A save carries at most {0} values; this one has {1}.", InputRules.MaxItems, inputs.Count])];
        }
        var byCode = fields.ToDictionary(e => e.Code);
        var problems = new List<FieldProblem>();
        foreach (var input in inputs)
        {
            if (input.ElementCode is null || !byCode.TryGetValue(input.ElementCode, out var element))
            {
                var code = input.ElementCode ?? "";
                problems.Add(new(code, l["{0} is not a field of this form.", code.Length > 40 ? code[..40] + "…" : code]));
            }
            else if (InputRules.Problem(input.Text, element.DisplayName(culture), l, multiline: true) is { } text)
            {
                problems.Add(new(element.Code, text));
            }
        }
        return problems;
    }
}
