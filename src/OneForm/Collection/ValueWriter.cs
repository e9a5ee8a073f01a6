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
public sealed record ValueInput(string ElementCode, string? Text, string? Original, uint LoadedVersion);

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
/// Writes the values of one task: checks every field, refuses to overwrite a value someone else changed since it was
/// loaded, keeps the history, and moves the task on. All or nothing: a request with a problem saves no value.
/// The one path by which typed values are stored (the filling page, the API and its offline replay, file uploads), so
/// it is also where a change takes back submissions and acceptances (<see cref="Reopening"/>) and is audited.
/// </summary>
public sealed class ValueWriter(OneFormDbContext db, IStringLocalizer<SharedResource> l, TimeProvider time, DisplayTime display, AuditActor auditActor,
    ActorNames names, IEnumerable<ISubmissionReopened> listeners)
{
    /// <param name="reasons">On submission, the cadre's reason for each warning it confirms, by rule id.</param>
    public async Task<SaveResult> SaveAsync(FillingTask task, Form form, IReadOnlyCollection<ValueInput> inputs, string actor,
        ValueSource source, string? file, bool submit, CancellationToken cancellationToken = default, IReadOnlyDictionary<int, string>? reasons = null)
    {
        var culture = CultureInfo.CurrentUICulture;
        var fields = form.Fields.Select(f => f.DataElement!).ToList();
        if (InputProblems(fields, inputs, culture) is { Count: > 0 } refused)
        {
            return new SaveResult(refused, [], 0);
        }
        var byCode = inputs.GroupBy(i => i.ElementCode).ToDictionary(g => g.Key, g => g.Last());
        var elementIds = fields.Select(e => e.Id).ToList();
        var current = await db.DataValues
            .Where(v => v.OrgUnitId == task.OrgUnitId && v.PeriodCode == task.PeriodCode && elementIds.Contains(v.DataElementId))
            .ToDictionaryAsync(v => v.DataElementId, cancellationToken);

        // Elements computed from the registry are never typed: the registry is corrected instead.
        var derived = (await db.DerivationRules.Where(r => elementIds.Contains(r.DataElementId)).Select(r => r.DataElementId).ToListAsync(cancellationToken)).ToHashSet();
        // Elements this period adds up from the unit's shorter periods are not asked again: the parts are corrected instead.
        var period = Period.Parse(task.PeriodCode);
        var madeOfParts = await OverTime.MadeOfPartsAsync(db, task.OrgUnitId, fields.Where(e => !derived.Contains(e.Id)).ToList(), period, cancellationToken);
        var problems = new List<FieldProblem>();
        var conflicts = new List<ValueConflict>();
        var changes = new List<(DataElement Element, ValueRules.Checked Value)>();
        foreach (var element in fields)
        {
            current.TryGetValue(element.Id, out var stored);
            if (!byCode.TryGetValue(element.Code, out var input))
            {
                if (submit && element.Required && stored is null && !derived.Contains(element.Id) && !madeOfParts.ContainsKey(element.Id) && element.Formula is null)
                {
                    problems.Add(new(element.Code, l["{0} is required.", element.DisplayName(culture)]));
                }
                continue;
            }
            if (derived.Contains(element.Id))
            {
                if (ValueRules.Normalise(input.Text) != ValueRules.Normalise(input.Original) && ValueRules.Normalise(input.Text) != (stored?.Value ?? ""))
                {
                    problems.Add(new(element.Code, l["{0} is computed from the population registry and cannot be typed; correct the residents' records instead.", element.DisplayName(culture)]));
                }
                continue;
            }
            // An indicator is computed by its formula from the other values of the unit and period: its parts are corrected instead.
            if (element.Formula is not null)
            {
                if (ValueRules.Normalise(input.Text) != ValueRules.Normalise(input.Original) && ValueRules.Normalise(input.Text) != (stored?.Value ?? ""))
                {
                    problems.Add(new(element.Code, l["{0} is computed by a formula ({1}) and cannot be typed; correct the values it is computed from.", element.DisplayName(culture),
                        (await ElementFormulas.DescribedAsync(db, [element], culture, cancellationToken)).GetValueOrDefault(element.Id) ?? element.Formula]));
                }
                continue;
            }
            if (madeOfParts.TryGetValue(element.Id, out var parts))
            {
                if (ValueRules.Normalise(input.Text) != ValueRules.Normalise(input.Original) && ValueRules.Normalise(input.Text) != (stored?.Value ?? ""))
                {
                    problems.Add(new(element.Code, l["{0} is {1}: correct those values instead.", element.DisplayName(culture),
                        OverTime.Describe(element.TimeAggregation, parts, l)]));
                }
                continue;
            }
            var value = ValueRules.Check(element, input.Text, l, culture);
            if (value.Problem is not null && (value.Value is not null || submit || !element.Required || ValueRules.Normalise(input.Text).Length > 0))
            {
                problems.Add(new(element.Code, value.Problem));
                continue;
            }
            var touched = ValueRules.Normalise(input.Text) != ValueRules.Normalise(input.Original);
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
            changes.Add((element, value));
        }
        // Checks across fields, on the values this save would leave, for the rules that name a field of this form.
        var notices = await ValueChecks.CheckAsync(db, l, task.OrgUnitId, [task.PeriodCode], elementIds,
            changes.ToDictionary(c => (c.Element.Id, task.PeriodCode), c => c.Value.Value is null ? null : c.Value.Number), cancellationToken);
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
        var before = changes.ToDictionary(c => c.Element.Id, c => current.GetValueOrDefault(c.Element.Id)?.Value);
        foreach (var (element, value) in changes)
        {
            ValueHistory.Set(db, current.GetValueOrDefault(element.Id), element.Id, task.OrgUnitId, task.PeriodCode, value.Value, value.Number,
                source, actor, now, form.Id, file);
        }

        var changed = changes.Select(c => new ValueChanged(task.PeriodCode, c.Element, before[c.Element.Id], c.Value.Value)).ToList();
        // The quarter and year made of this period's values follow it, in the same transaction (derived values excepted:
        // the registry computes those for every period itself).
        changed.AddRange(await OverTime.RecomputeAsync(db, task.OrgUnitId, changes.Select(c => c.Element).Where(e => !derived.Contains(e.Id)).ToList(),
            period, actor, now, cancellationToken));
        changed.AddRange(await Formulas.RecomputeAsync(db, task.OrgUnitId, changed, actor, now, cancellationToken));
        var reopened = await ReopenAsync(task, form, changed, actor, now, file, submit, cancellationToken);
        if (submit)
        {
            // The reviewer sees why each warning was let through; a new submission replaces the reasons of the last.
            db.ConfirmedWarnings.RemoveRange(await db.ConfirmedWarnings.Where(w => w.FillingTaskId == task.Id).ToListAsync(cancellationToken));
            db.ConfirmedWarnings.AddRange(confirmed.Select(c => new ConfirmedWarning
            {
                FillingTaskId = task.Id, RuleId = c.Violation.RuleId, PeriodCode = c.Violation.Period, Rule = c.Violation.Rule,
                Message = c.Violation.Message.Length <= 1000 ? c.Violation.Message : c.Violation.Message[..999] + "…", Reason = c.Reason, ConfirmedBy = actor, ConfirmedAt = now,
            }));
            task.Status = TaskState.Submitted;
            (task.SubmittedBy, task.SubmittedAt, task.SignedOffBy, task.SignedOffAt) = (actor, now, null, null);
        }
        else if (changes.Count > 0 && task.Status == TaskState.NotStarted)
        {
            task.Status = TaskState.Draft;
        }
        if (changes.Count > 0)
        {
            db.AuditEntries.Add(Audit(task, form, changed, source, file, reopened));
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
    /// Sends back to the unit every submitted or accepted task of the unit and period that holds a changed value, and
    /// this task when it was accepted: each needs submitting, signing off and reviewing again. Departments told of an
    /// acceptance are told it was taken back, in the same transaction as the change.
    /// </summary>
    private async Task<List<ReopenedTask>> ReopenAsync(FillingTask task, Form form, List<ValueChanged> changed, string actor, DateTimeOffset now,
        string? file, bool submit, CancellationToken cancellationToken)
    {
        if (changed.Count == 0)
        {
            return [];
        }
        var culture = CultureInfo.CurrentUICulture;
        var reopened = new List<ReopenedTask>();
        foreach (var inPeriod in changed.GroupBy(c => c.Period))
        {
            var changedIds = inPeriod.Select(c => c.Element.Id).ToHashSet();
            var holders = await Reopening.HoldersAsync(db, task.OrgUnitId, inPeriod.Key, changedIds, task.Id, cancellationToken);
            if (inPeriod.Key == task.PeriodCode && task.Status == TaskState.Accepted)
            {
                holders.Insert(0, (task, changedIds));
            }
            foreach (var (holder, held) in holders)
            {
                var was = holder.Status;
                var mine = inPeriod.Where(c => held.Contains(c.Element.Id)).ToList();
                reopened.Add(new ReopenedTask(holder.Id, holder.Form!.Code, holder.Form.DisplayName(culture), holder.PeriodCode, was.ToString(),
                    [.. mine.Select(c => c.Element.Code)]));
                if (holder != task || !submit)
                {
                    // Signed off and reviewed no longer: the unit submits it again, the head signs again, the reviewer reviews again.
                    (holder.Status, holder.SignedOffBy, holder.SignedOffAt) = (TaskState.Reopened, null, null);
                }
                if (was != TaskState.Accepted)
                {
                    continue;
                }
                var cause = new ReopenCause(actor, now, form, file, [.. mine.Select(c =>
                    new TaskChange(c.Element.Code, c.Element.DisplayName(culture), c.Before, c.After, actor, now,
                        form.Code, form.DisplayName(culture), file))]);
                foreach (var listener in listeners)
                {
                    await listener.ReopenedAsync(holder, cause);
                }
            }
        }
        return reopened;
    }

    /// <summary>One entry per save, beside the value history: the task, how many values changed and which, old and new.</summary>
    private AuditEntry Audit(FillingTask task, Form form, List<ValueChanged> changed, ValueSource source, string? file, List<ReopenedTask> reopened)
    {
        // Keyed by code, and by code@period for the longer periods that followed.
        var values = changed.ToDictionary(c => c.Period == task.PeriodCode ? c.Element.Code : $"{c.Element.Code}@{c.Period}", c => new[] { c.Before, c.After });
        var typed = changed.Where(c => c.Period == task.PeriodCode).ToList();
        var codes = string.Join(", ", typed.Select(c => c.Element.Code));
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{form.Code} {task.PeriodCode}: {typed.Count} values {source.ToString().ToLowerInvariant()}{(file is null ? "" : $" from {file}")} ({codes})");
        if (changed.Count > typed.Count)
        {
            summary += string.Create(CultureInfo.InvariantCulture, $"; {changed.Count - typed.Count} values of longer periods follow");
        }
        if (reopened.Count > 0)
        {
            summary += "; reopened " + string.Join(", ", reopened.Select(r => $"{r.FormCode} (task {r.Id.ToString(CultureInfo.InvariantCulture)})"));
        }
        return auditActor.Entry("Values.Saved", nameof(FillingTask), task.Id.ToString(CultureInfo.InvariantCulture), task.OrgUnitId,
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
