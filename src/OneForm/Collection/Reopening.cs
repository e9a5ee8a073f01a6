using Microsoft.EntityFrameworkCore;
using OneForm.Catalog;
using OneForm.Data;

namespace OneForm.Collection;

/// <summary>A task that a save sent back to its unit (or would): its form, and the state it was in.</summary>
public sealed record ReopenedTask(int Id, string FormCode, string FormName, string Period, string Was, IReadOnlyList<string> Elements);

/// <summary>
/// One change of a value a task holds: who, when, old and new, and where from: typed through a form or a file, or
/// written by OneForm from the registry, a ledger or the activity records (<paramref name="Source"/>).
/// </summary>
public sealed record TaskChange(string Element, string Name, string? OldValue, string? NewValue, string ChangedBy, DateTimeOffset ChangedAt,
    string? ThroughFormCode, string? ThroughFormName, string? ThroughFile, ValueSource Source = ValueSource.Entered);

/// <summary>
/// Why an accepted task went back to its unit: the values that changed, by whom, through which form or file, or from
/// which source OneForm keeps (no form then: a ledger entry or a registry import).
/// </summary>
public sealed record ReopenCause(string Actor, DateTimeOffset At, Form? ThroughForm, string? ThroughFile, IReadOnlyList<TaskChange> Changes,
    ValueSource Source = ValueSource.Entered);

/// <summary>Who changed the values, when, and how: the form a period's values went through (none for OneForm's own sources), a file, the source.</summary>
public sealed record ReopenThrough(string Actor, DateTimeOffset At, Func<string, Form?> FormOf, string? File, ValueSource Source);

/// <summary>
/// Told when a value change takes back an acceptance, before it is saved: what a listener adds is saved with the
/// change, or not at all (the same promise as <see cref="ISubmissionAccepted"/>).
/// </summary>
public interface ISubmissionReopened
{
    Task ReopenedAsync(FillingTask task, ReopenCause cause);
}

/// <summary>
/// Accepted means accepted (重新打开): a value that a submitted, signed-off or accepted task holds is element × unit ×
/// period, whichever form it is typed through, so changing it takes every such task back to its unit. The value writer
/// asks here which tasks those are; the filling page asks the same question before anything is saved.
/// </summary>
public static class Reopening
{
    /// <summary>The sentence that tells the person whose change sent forms back to the unit which ones (and their periods); empty when none.</summary>
    public static string Notice(IReadOnlyCollection<ReopenedTask>? reopened, Microsoft.Extensions.Localization.IStringLocalizer l) =>
        reopened is { Count: > 0 }
            ? l["Reopened for sign-off and review again: {0}.", string.Join("、", reopened.DistinctBy(t => t.Id)
                .Select(t => $"《{t.FormName}》{Common.PeriodNames.Name(Common.Period.Parse(t.Period), l)}"))].Value
            : "";

    /// <summary>States in which the unit has let go of a task: a change of its values must bring it back.</summary>
    public static bool HasLeftTheUnit(TaskState state) => state is TaskState.Submitted or TaskState.Accepted;

    /// <summary>
    /// The unit's submitted or accepted tasks of the period (other than <paramref name="exceptTaskId"/>) whose forms hold
    /// any of the elements, each with the elements it holds. Tracked, so the caller can move them on.
    /// </summary>
    public static async Task<List<(FillingTask Task, HashSet<int> Held)>> HoldersAsync(OneFormDbContext db, int orgUnitId, string period,
        IReadOnlyCollection<int> elementIds, int exceptTaskId, CancellationToken cancellationToken = default)
    {
        if (elementIds.Count == 0)
        {
            return [];
        }
        var ids = elementIds.ToList();
        var tasks = await db.FillingTasks.Include(t => t.Form).Include(t => t.OrgUnit)
            .Where(t => t.OrgUnitId == orgUnitId && t.PeriodCode == period && t.Id != exceptTaskId
                && (t.Status == TaskState.Submitted || t.Status == TaskState.Accepted)
                && db.FormSections.Any(s => s.FormId == t.FormId && s.Kind == SectionKind.Fields && s.Fields.Any(f => ids.Contains(f.DataElementId))))
            .OrderBy(t => t.Form!.Code)
            .ToListAsync(cancellationToken);
        if (tasks.Count == 0)
        {
            return [];
        }
        var formIds = tasks.Select(t => t.FormId).Distinct().ToList();
        var held = (await db.FormSections.AsNoTracking().Where(s => formIds.Contains(s.FormId) && s.Kind == SectionKind.Fields)
                .SelectMany(s => s.Fields.Where(f => ids.Contains(f.DataElementId)), (s, f) => new { s.FormId, f.DataElementId })
                .ToListAsync(cancellationToken))
            .GroupBy(x => x.FormId).ToDictionary(g => g.Key, g => g.Select(x => x.DataElementId).ToHashSet());
        return [.. tasks.Select(t => (t, held.GetValueOrDefault(t.FormId) ?? []))];
    }

    /// <summary>
    /// Sends back to the unit every submitted or accepted task of the unit that holds a changed value in its period:
    /// each needs submitting, signing off and reviewing again. Departments told of an acceptance are told it was taken
    /// back, in the same unit of work as the change (the caller saves). Whoever changed the value: a cadre typing, a
    /// ledger entry recorded late, a registry import. <paramref name="own"/> are the writer's own tasks as it tracks
    /// them: of those only accepted ones count (a submitted one was not editable), and when <paramref name="submitting"/>
    /// they go up again at once instead of back to the unit.
    /// </summary>
    public static async Task<List<ReopenedTask>> ReopenAsync(OneFormDbContext db, IEnumerable<ISubmissionReopened> listeners, int unitId,
        IReadOnlyCollection<ValueChanged> changed, ReopenThrough through, IReadOnlyDictionary<int, FillingTask>? own = null, bool submitting = false,
        CancellationToken cancellationToken = default)
    {
        if (changed.Count == 0)
        {
            return [];
        }
        own ??= new Dictionary<int, FillingTask>();
        var culture = System.Globalization.CultureInfo.CurrentUICulture;
        var reopened = new List<ReopenedTask>();
        foreach (var inPeriod in changed.GroupBy(c => c.Period))
        {
            var changedIds = inPeriod.Select(c => c.Element.Id).ToHashSet();
            var holders = (await HoldersAsync(db, unitId, inPeriod.Key, changedIds, 0, cancellationToken))
                .Select(h => (Task: own.GetValueOrDefault(h.Task.Id) ?? h.Task, h.Held))
                .Where(h => !own.ContainsKey(h.Task.Id) || h.Task.Status == TaskState.Accepted)
                .ToList();
            var form = through.FormOf(inPeriod.Key);
            foreach (var (holder, held) in holders)
            {
                var was = holder.Status;
                var mine = inPeriod.Where(c => held.Contains(c.Element.Id)).ToList();
                reopened.Add(new ReopenedTask(holder.Id, holder.Form!.Code, holder.Form.DisplayName(culture), holder.PeriodCode, was.ToString(),
                    [.. mine.Select(c => c.Element.Code)]));
                if (!own.ContainsKey(holder.Id) || !submitting)
                {
                    // Signed off and reviewed no longer: the unit submits it again, the head signs again, the reviewer reviews again.
                    (holder.Status, holder.SignedOffBy, holder.SignedOffAt) = (TaskState.Reopened, null, null);
                }
                if (was != TaskState.Accepted)
                {
                    continue;
                }
                var cause = new ReopenCause(through.Actor, through.At, form, through.File, [.. mine.Select(c =>
                    new TaskChange(c.Element.Code, c.Element.DisplayName(culture), c.Before, c.After, through.Actor, through.At,
                        form?.Code, form?.DisplayName(culture), through.File, through.Source))], through.Source);
                foreach (var listener in listeners)
                {
                    await listener.ReopenedAsync(holder, cause);
                }
            }
        }
        return reopened;
    }

    /// <summary>
    /// What saving a change through this task would reopen, before anything is saved: the unit's submitted or accepted
    /// tasks of the period whose forms hold any of this form's typed elements (each with those elements), and this task
    /// itself when it is accepted.
    /// </summary>
    public static async Task<List<ReopenedTask>> PreviewAsync(OneFormDbContext db, FillingTask task, CancellationToken cancellationToken = default)
    {
        var elements = task.Form!.Fields.Select(f => f.DataElement!).ToList();
        var ids = elements.Select(e => e.Id).ToList();
        var derived = await db.DerivationRules.Where(r => ids.Contains(r.DataElementId)).Select(r => r.DataElementId).ToListAsync(cancellationToken);
        var typed = ids.Except(derived).ToList();
        var codes = elements.ToDictionary(e => e.Id, e => e.Code);
        var culture = System.Globalization.CultureInfo.CurrentUICulture;
        var holders = await HoldersAsync(db, task.OrgUnitId, task.PeriodCode, typed, task.Id, cancellationToken);
        if (task.Status == TaskState.Accepted && typed.Count > 0)
        {
            holders.Insert(0, (task, typed.ToHashSet()));
        }
        return [.. holders.Select(h => new ReopenedTask(h.Task.Id, h.Task.Form!.Code, h.Task.Form.DisplayName(culture), h.Task.PeriodCode,
            h.Task.Status.ToString(), [.. typed.Where(h.Held.Contains).Select(id => codes[id])]))];
    }

    /// <summary>
    /// The changes of a task's values since it was last submitted (or opened), newest last: after a reopening these are
    /// what brought it back, shown to the cadre, the head and the reviewer.
    /// </summary>
    public static async Task<List<TaskChange>> ChangesSinceSubmissionAsync(OneFormDbContext db, FillingTask task, CancellationToken cancellationToken = default)
    {
        var elementIds = task.Form!.Fields.Select(f => f.DataElementId).ToList();
        var changes = db.DataValueChanges.AsNoTracking()
            .Where(c => c.OrgUnitId == task.OrgUnitId && c.PeriodCode == task.PeriodCode && elementIds.Contains(c.DataElementId));
        if (task.SubmittedAt is { } since)
        {
            changes = changes.Where(c => c.ChangedAt > since);
        }
        var rows = await changes.OrderBy(c => c.Id)
            .Take(200)
            .ToListAsync(cancellationToken);
        var formIds = rows.Select(r => r.ThroughFormId).OfType<int>().Distinct().ToList();
        var forms = await db.Forms.AsNoTracking().Where(f => formIds.Contains(f.Id)).ToDictionaryAsync(f => f.Id, cancellationToken);
        var culture = System.Globalization.CultureInfo.CurrentUICulture;
        var elements = task.Form.Fields.Select(f => f.DataElement!).ToDictionary(e => e.Id);
        return [.. rows.Select(r =>
        {
            var element = elements[r.DataElementId];
            var through = r.ThroughFormId is { } id ? forms.GetValueOrDefault(id) : null;
            return new TaskChange(element.Code, element.DisplayName(culture), r.OldValue, r.NewValue, r.ChangedBy, r.ChangedAt,
                through?.Code, through?.DisplayName(culture), r.Source is ValueSource.Entered or ValueSource.Imported ? r.ThroughFile : null, r.Source);
        })];
    }
}
