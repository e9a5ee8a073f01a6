using Microsoft.EntityFrameworkCore;
using OneForm.Catalog;
using OneForm.Data;

namespace OneForm.Collection;

/// <summary>A task that a save sent back to its unit (or would): its form, and the state it was in.</summary>
public sealed record ReopenedTask(int Id, string FormCode, string FormName, string Period, string Was, IReadOnlyList<string> Elements);

/// <summary>One change of a value a task holds: who, when, old and new, through which form or file.</summary>
public sealed record TaskChange(string Element, string Name, string? OldValue, string? NewValue, string ChangedBy, DateTimeOffset ChangedAt,
    string? ThroughFormCode, string? ThroughFormName, string? ThroughFile);

/// <summary>Why an accepted task went back to its unit: the values that changed, by whom, through which form or file.</summary>
public sealed record ReopenCause(string Actor, DateTimeOffset At, Form ThroughForm, string? ThroughFile, IReadOnlyList<TaskChange> Changes);

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
                through?.Code, through?.DisplayName(culture), r.Source == ValueSource.Derived ? null : r.ThroughFile);
        })];
    }
}
