using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Collection;

/// <summary>
/// Told when a reviewer accepts a submission, before it is saved: what a listener adds is saved with the acceptance,
/// or not at all.
/// </summary>
public interface ISubmissionAccepted
{
    Task AcceptedAsync(FillingTask task);
}

/// <summary>A step a submission took, with the tasks that took it together (one form, or every form of a category sheet).</summary>
public enum TaskStep
{
    /// <summary>The cadre sent it up: it waits for the unit head's signature.</summary>
    Submitted,

    /// <summary>The reviewer sent it back to the unit with a comment.</summary>
    Returned,

    /// <summary>The unit head sent it back to the cadre with a comment.</summary>
    ReturnedToCadre,

    Accepted,
}

/// <summary>
/// Told of each step a submission takes, once per step (not per form of a sheet), before it is saved: what a listener
/// adds is saved with the step, or not at all. Higher modules (messages) listen without Collection knowing them.
/// </summary>
public interface ITaskStepTaken
{
    Task TakenAsync(TaskStep step, IReadOnlyList<FillingTask> tasks, string actor, string? comment);
}

/// <summary>
/// A task's way from the unit to the reviewer: the cadre submits, the unit head signs off, the reviewer above accepts
/// or returns it with a comment that the cadre sees. Before the review the cadre may withdraw the submission and the
/// head may return it to the cadre with a comment. Every step checks the caller's scope.
/// </summary>
public sealed class TaskWorkflow(OneFormDbContext db, IStringLocalizer<SharedResource> l, TimeProvider time, IEnumerable<ISubmissionAccepted> listeners,
    IEnumerable<ITaskStepTaken> steps)
{
    /// <summary>The task with its form, fields and unit, or null when it does not exist or is outside the caller's scope.</summary>
    public async Task<FillingTask?> LoadAsync(int id, CallerScope scope, CancellationToken cancellationToken = default)
    {
        var task = await db.FillingTasks
            .Include(t => t.OrgUnit)
            .Include(t => t.Form!).ThenInclude(f => f.Sections).ThenInclude(s => s.Fields).ThenInclude(f => f.DataElement)
            .AsSplitQuery()
            .SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        return task is not null && scope.CanSeeTasksOf(task.OrgUnit!) ? task : null;
    }

    public Task<string?> SignOffAsync(FillingTask task, CallerScope scope, string actor) => SignOffAsync([task], scope, actor);

    public Task<string?> AcceptAsync(FillingTask task, CallerScope scope, string actor) => AcceptAsync([task], scope, actor);

    public Task<string?> ReturnAsync(FillingTask task, CallerScope scope, string actor, string? comment) => ReturnAsync([task], scope, actor, comment, null);

    public Task<string?> ReturnToCadreAsync(FillingTask task, CallerScope scope, string actor, string? comment) => ReturnToCadreAsync([task], scope, actor, comment);

    public Task<string?> WithdrawAsync(FillingTask task, CallerScope scope) => WithdrawAsync([task], scope);

    // The steps below move one task (a form) or all tasks of a category sheet together, in one save: a sheet is signed,
    // accepted or returned as a whole, and each of its forms, the view departments receive, moves with it.

    /// <summary>The unit head signs the submission; a sheet's accepted forms (unchanged since) need no new signature.</summary>
    public async Task<string?> SignOffAsync(IReadOnlyList<FillingTask> tasks, CallerScope scope, string actor)
    {
        var unit = tasks[0].OrgUnit!;
        if (!scope.Admits(Operations.TasksSignOff) || !scope.CanFillFor(unit))
        {
            return l["Only the head of {0} signs off its submissions.", unit.Name];
        }
        var waiting = tasks.Where(t => t.Status == TaskState.Submitted && t.SignedOffBy is null).ToList();
        if (waiting.Count == 0 || tasks.Any(t => t.Status is not (TaskState.Submitted or TaskState.Accepted)))
        {
            return l["Only a submitted task that is not yet signed off can be signed off."];
        }
        var now = time.GetUtcNow();
        foreach (var task in waiting)
        {
            (task.SignedOffBy, task.SignedOffAt) = (actor, now);
        }
        return await SaveAsync();
    }

    public async Task<string?> AcceptAsync(IReadOnlyList<FillingTask> tasks, CallerScope scope, string actor)
    {
        var unit = tasks[0].OrgUnit!;
        if (!scope.CanReview(unit))
        {
            return l["Only a reviewer above {0} accepts or returns its tasks.", unit.Name];
        }
        var submitted = tasks.Where(t => t.Status == TaskState.Submitted).ToList();
        if (submitted.Count == 0 || tasks.Any(t => t.Status is not (TaskState.Submitted or TaskState.Accepted)))
        {
            return l["Only a submitted task can be accepted or returned."];
        }
        if (submitted.Any(t => t.SignedOffBy is null))
        {
            return l["The unit head has not signed this submission off yet."];
        }
        var now = time.GetUtcNow();
        foreach (var task in submitted)
        {
            (task.Status, task.ReviewedBy, task.ReviewedAt, task.ReviewComment) = (TaskState.Accepted, actor, now, null);
            foreach (var listener in listeners)
            {
                await listener.AcceptedAsync(task);
            }
        }
        db.FieldComments.RemoveRange(await CommentsOfAsync(tasks));
        await TellAsync(TaskStep.Accepted, submitted, actor, null);
        return await SaveAsync();
    }

    private async Task TellAsync(TaskStep step, IReadOnlyList<FillingTask> tasks, string actor, string? comment)
    {
        foreach (var listener in steps)
        {
            await listener.TakenAsync(step, tasks, actor, comment);
        }
    }

    /// <param name="fields">Comments on single fields, by element code: each is kept with the task whose form asks that element
    /// (<paramref name="holders"/>, by element id; without it, the first task), and shown beside the field.</param>
    public async Task<string?> ReturnAsync(IReadOnlyList<FillingTask> tasks, CallerScope scope, string actor, string? comment,
        IReadOnlyDictionary<OneForm.Dictionary.DataElement, (FillingTask Holder, string Comment)>? fields)
    {
        var unit = tasks[0].OrgUnit!;
        if (!scope.CanReview(unit))
        {
            return l["Only a reviewer above {0} accepts or returns its tasks.", unit.Name];
        }
        var submitted = tasks.Where(t => t.Status == TaskState.Submitted).ToList();
        if (submitted.Count == 0 || tasks.Any(t => t.Status is not (TaskState.Submitted or TaskState.Accepted)))
        {
            return l["Only a submitted task can be accepted or returned."];
        }
        comment = comment?.Trim();
        var onFields = (fields ?? new Dictionary<OneForm.Dictionary.DataElement, (FillingTask, string)>())
            .Select(f => (Element: f.Key, f.Value.Holder, Text: f.Value.Comment.Trim())).Where(f => f.Text.Length > 0).ToList();
        if (onFields.Count == 0 && string.IsNullOrEmpty(comment))
        {
            return l["Write your return comment: say what the unit should correct."];
        }
        if (comment is { Length: > FillingTask.MaxCommentLength })
        {
            return l["Say what to correct (1 to {0} characters) when you return a task.", FillingTask.MaxCommentLength];
        }
        if (!string.IsNullOrEmpty(comment) && InputRules.Problem(comment, l["Review comment"], l, multiline: true) is { } badComment)
        {
            return badComment;
        }
        var culture = System.Globalization.CultureInfo.CurrentUICulture;
        foreach (var field in onFields)
        {
            if (field.Text.Length > FieldComment.MaxLength)
            {
                return l["A comment on {0} may have at most {1} characters.", field.Element.DisplayName(culture), FieldComment.MaxLength];
            }
            if (InputRules.Problem(field.Text, field.Element.DisplayName(culture), l, multiline: true) is { } badField)
            {
                return badField;
            }
        }
        var now = time.GetUtcNow();
        // Without a general comment, the fields' comments are the summary the unit's task list shows.
        var summary = !string.IsNullOrEmpty(comment) ? comment
            : string.Join("；", onFields.Select(f => $"{f.Element.DisplayName(culture)}：{f.Text}"));
        if (summary.Length > FillingTask.MaxCommentLength)
        {
            summary = summary[..(FillingTask.MaxCommentLength - 1)] + "…";
        }
        foreach (var task in submitted)
        {
            (task.Status, task.ReviewedBy, task.ReviewedAt, task.ReviewComment) = (TaskState.Returned, actor, now, summary);
        }
        db.FieldComments.RemoveRange(await CommentsOfAsync(tasks));
        db.FieldComments.AddRange(onFields.Select(f => new FieldComment
        {
            Task = tasks.Contains(f.Holder) ? f.Holder : tasks[0], DataElementId = f.Element.Id, Text = f.Text, WrittenBy = actor, WrittenAt = now,
        }));
        await TellAsync(TaskStep.Returned, submitted, actor, summary);
        return await SaveAsync();
    }

    /// <summary>The reviewer's comments on single fields of the tasks' last return, by element id.</summary>
    public async Task<Dictionary<int, FieldComment>> FieldCommentsAsync(IReadOnlyList<FillingTask> tasks, CancellationToken cancellationToken = default)
    {
        var ids = tasks.Select(t => t.Id).ToList();
        return (await db.FieldComments.AsNoTracking().Where(c => ids.Contains(c.FillingTaskId)).OrderBy(c => c.Id).ToListAsync(cancellationToken))
            .DistinctBy(c => c.DataElementId).ToDictionary(c => c.DataElementId);
    }

    private async Task<List<FieldComment>> CommentsOfAsync(IReadOnlyList<FillingTask> tasks)
    {
        var ids = tasks.Where(t => t.Id != 0).Select(t => t.Id).ToList();
        return await db.FieldComments.Where(c => ids.Contains(c.FillingTaskId)).ToListAsync();
    }

    /// <summary>The unit head sends a submission back to the cadre before it goes up, saying what to correct.</summary>
    public async Task<string?> ReturnToCadreAsync(IReadOnlyList<FillingTask> tasks, CallerScope scope, string actor, string? comment)
    {
        var unit = tasks[0].OrgUnit!;
        if (!scope.Admits(Operations.TasksSignOff) || !scope.CanFillFor(unit))
        {
            return l["Only the head of {0} returns its submissions to the cadre.", unit.Name];
        }
        var submitted = tasks.Where(t => t.Status == TaskState.Submitted).ToList();
        if (submitted.Count == 0)
        {
            return l["Only a submitted task that is not yet reviewed can be returned to the cadre."];
        }
        comment = comment?.Trim();
        if (string.IsNullOrEmpty(comment))
        {
            return l["Write your return comment: say what the cadre should correct."];
        }
        if (comment.Length > FillingTask.MaxCommentLength)
        {
            return l["Say what to correct (1 to {0} characters) when you return a task.", FillingTask.MaxCommentLength];
        }
        var now = time.GetUtcNow();
        foreach (var task in submitted)
        {
            (task.Status, task.SignedOffBy, task.SignedOffAt) = (TaskState.Returned, null, null);
            (task.ReviewedBy, task.ReviewedAt, task.ReviewComment) = (actor, now, comment);
        }
        await TellAsync(TaskStep.ReturnedToCadre, submitted, actor, comment);
        return await SaveAsync();
    }

    /// <summary>The cadre takes a submission back to draft while no reviewer has decided on it yet.</summary>
    public async Task<string?> WithdrawAsync(IReadOnlyList<FillingTask> tasks, CallerScope scope)
    {
        var unit = tasks[0].OrgUnit!;
        if (!scope.Admits(Operations.TasksFill) || !scope.CanFillFor(unit))
        {
            return l["Only the cadres of {0} withdraw its submissions.", unit.Name];
        }
        var submitted = tasks.Where(t => t.Status == TaskState.Submitted).ToList();
        if (submitted.Count == 0 && tasks.Any(t => t.Status == TaskState.Accepted))
        {
            return l["This submission has already been reviewed and can no longer be withdrawn."];
        }
        if (submitted.Count == 0)
        {
            return l["Only a submitted task can be withdrawn."];
        }
        foreach (var task in submitted)
        {
            (task.Status, task.SignedOffBy, task.SignedOffAt) = (TaskState.Draft, null, null);
        }
        return await SaveAsync();
    }

    /// <summary>Saves a step; when someone moved the task on at the same moment (a review, a reopening), nothing is saved.</summary>
    private async Task<string?> SaveAsync()
    {
        try
        {
            await db.SaveChangesAsync();
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return l["Someone else changed this task at the same moment; nothing was saved. Reload and check it."];
        }
    }
}
