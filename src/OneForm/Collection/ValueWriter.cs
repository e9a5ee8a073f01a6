using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Catalog;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Localization;

namespace OneForm.Collection;

/// <summary>What a person (or a file) sent for one field: the text, and the value and version it started from.</summary>
public sealed record ValueInput(string ElementCode, string? Text, string? Original, uint LoadedVersion);

public sealed record FieldProblem(string ElementCode, string Message);

/// <summary>Someone else changed the value meanwhile: theirs is kept, yours is shown beside it.</summary>
public sealed record ValueConflict(string ElementCode, string Message, string? TheirValue, string YourValue);

public sealed record SaveResult(IReadOnlyList<FieldProblem> Problems, IReadOnlyList<ValueConflict> Conflicts, int Changed)
{
    public bool Saved => Problems.Count == 0 && Conflicts.Count == 0;
}

/// <summary>
/// Writes the values of one task: checks every field, refuses to overwrite a value someone else changed since it was
/// loaded, keeps the history, and moves the task on. All or nothing: a request with a problem saves no value.
/// </summary>
public sealed class ValueWriter(OneFormDbContext db, IStringLocalizer<SharedResource> l, TimeProvider time, DisplayTime display)
{
    public async Task<SaveResult> SaveAsync(FillingTask task, Form form, IReadOnlyCollection<ValueInput> inputs, string actor,
        ValueSource source, string? file, bool submit, CancellationToken cancellationToken = default)
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
        var problems = new List<FieldProblem>();
        var conflicts = new List<ValueConflict>();
        var changes = new List<(DataElement Element, ValueRules.Checked Value)>();
        foreach (var element in fields)
        {
            current.TryGetValue(element.Id, out var stored);
            if (!byCode.TryGetValue(element.Code, out var input))
            {
                if (submit && element.Required && stored is null && !derived.Contains(element.Id))
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
                            element.DisplayName(culture), stored.Value, stored.UpdatedBy, display.Format(stored.UpdatedAt), input.Text ?? ""],
                    stored?.Value, input.Text ?? ""));
                continue;
            }
            changes.Add((element, value));
        }
        if (problems.Count > 0 || conflicts.Count > 0)
        {
            return new SaveResult(problems, conflicts, 0);
        }

        var now = time.GetUtcNow();
        foreach (var (element, value) in changes)
        {
            current.TryGetValue(element.Id, out var stored);
            db.DataValueChanges.Add(new DataValueChange
            {
                DataElementId = element.Id,
                OrgUnitId = task.OrgUnitId,
                PeriodCode = task.PeriodCode,
                OldValue = stored?.Value,
                NewValue = value.Value,
                Source = source,
                ChangedBy = actor,
                ChangedAt = now,
                ThroughFormId = form.Id,
                ThroughFile = file,
            });
            if (value.Value is null)
            {
                db.DataValues.Remove(stored!);
            }
            else if (stored is null)
            {
                db.DataValues.Add(new DataValue
                {
                    DataElementId = element.Id,
                    OrgUnitId = task.OrgUnitId,
                    PeriodCode = task.PeriodCode,
                    Value = value.Value,
                    Number = value.Number,
                    Source = source,
                    UpdatedBy = actor,
                    UpdatedAt = now,
                    ThroughFormId = form.Id,
                    // Version 0 means "no value yet": a value someone else created meanwhile is a change too.
                    RowVersion = 1,
                });
            }
            else
            {
                (stored.Value, stored.Number, stored.Source, stored.UpdatedBy, stored.UpdatedAt, stored.ThroughFormId) =
                    (value.Value, value.Number, source, actor, now, form.Id);
            }
        }

        if (submit)
        {
            task.Status = TaskState.Submitted;
            (task.SubmittedBy, task.SubmittedAt, task.SignedOffBy, task.SignedOffAt) = (actor, now, null, null);
        }
        else if (changes.Count > 0 && task.Status is TaskState.NotStarted or TaskState.Accepted)
        {
            // A correction of accepted values goes back for a fresh review.
            task.Status = TaskState.Draft;
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
        return new SaveResult([], [], changes.Count);
    }

    /// <summary>
    /// What is wrong with the request itself, before any value is looked at: more values than a request may carry,
    /// a code the form does not have (named, never silently dropped), a text with control or direction characters.
    /// </summary>
    private List<FieldProblem> InputProblems(List<DataElement> fields, IReadOnlyCollection<ValueInput> inputs, CultureInfo culture)
    {
        if (inputs.Count > Web.InputRules.MaxItems)
        {
            return [new("Values", l["A save carries at most {0} values; this one has {1}.", Web.InputRules.MaxItems, inputs.Count])];
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
            else if (Web.InputRules.Problem(input.Text, element.DisplayName(culture), l, multiline: true) is { } text)
            {
                problems.Add(new(element.Code, text));
            }
        }
        return problems;
    }
}
