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

/// <summary>
/// A task's way from the unit to the reviewer: the cadre submits, the unit head signs off, the reviewer above accepts
/// or returns it with a comment that the cadre sees. Before the review the cadre may withdraw the submission and the
/// head may return it to the cadre with a comment. Every step checks the caller's scope.
/// </summary>
public sealed class TaskWorkflow(OneFormDbContext db, IStringLocalizer<SharedResource> l, TimeProvider time, IEnumerable<ISubmissionAccepted> listeners)
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

    public async Task<string?> SignOffAsync(FillingTask task, CallerScope scope, string actor)
    {
        if (!scope.Admits(Operations.TasksSignOff) || !scope.CanFillFor(task.OrgUnit!))
        {
            return l["Only the head of {0} signs off its submissions.", task.OrgUnit!.Name];
        }
        if (task.Status != TaskState.Submitted || task.SignedOffBy is not null)
        {
            return l["Only a submitted task that is not yet signed off can be signed off."];
        }
        (task.SignedOffBy, task.SignedOffAt) = (actor, time.GetUtcNow());
        return await SaveAsync();
    }

    public async Task<string?> AcceptAsync(FillingTask task, CallerScope scope, string actor)
    {
        if (!scope.CanReview(task.OrgUnit!))
        {
            return l["Only a reviewer above {0} accepts or returns its tasks.", task.OrgUnit!.Name];
        }
        if (task.Status != TaskState.Submitted)
        {
            return l["Only a submitted task can be accepted or returned."];
        }
        if (task.SignedOffBy is null)
        {
            return l["The unit head has not signed this submission off yet."];
        }
        (task.Status, task.ReviewedBy, task.ReviewedAt, task.ReviewComment) = (TaskState.Accepted, actor, time.GetUtcNow(), null);
        foreach (var listener in listeners)
        {
            await listener.AcceptedAsync(task);
        }
        return await SaveAsync();
    }

    public async Task<string?> ReturnAsync(FillingTask task, CallerScope scope, string actor, string? comment)
    {
        if (!scope.CanReview(task.OrgUnit!))
        {
            return l["Only a reviewer above {0} accepts or returns its tasks.", task.OrgUnit!.Name];
        }
        if (task.Status != TaskState.Submitted)
        {
            return l["Only a submitted task can be accepted or returned."];
        }
        comment = comment?.Trim();
        if (string.IsNullOrEmpty(comment) || comment.Length > FillingTask.MaxCommentLength)
        {
            return l["Say what to correct (1 to {0} characters) when you return a task.", FillingTask.MaxCommentLength];
        }
        if (InputRules.Problem(comment, l["Review comment"], l, multiline: true) is { } badComment)
        {
            return badComment;
        }
        (task.Status, task.ReviewedBy, task.ReviewedAt, task.ReviewComment) = (TaskState.Returned, actor, time.GetUtcNow(), comment);
        return await SaveAsync();
    }

    /// <summary>The unit head sends a submission back to the cadre before it goes up, saying what to correct.</summary>
    public async Task<string?> ReturnToCadreAsync(FillingTask task, CallerScope scope, string actor, string? comment)
    {
        if (!scope.Admits(Operations.TasksSignOff) || !scope.CanFillFor(task.OrgUnit!))
        {
            return l["Only the head of {0} returns its submissions to the cadre.", task.OrgUnit!.Name];
        }
        if (task.Status != TaskState.Submitted)
        {
            return l["Only a submitted task that is not yet reviewed can be returned to the cadre."];
        }
        comment = comment?.Trim();
        if (string.IsNullOrEmpty(comment) || comment.Length > FillingTask.MaxCommentLength)
        {
            return l["Say what to correct (1 to {0} characters) when you return a task.", FillingTask.MaxCommentLength];
        }
        (task.Status, task.SignedOffBy, task.SignedOffAt) = (TaskState.Returned, null, null);
        (task.ReviewedBy, task.ReviewedAt, task.ReviewComment) = (actor, time.GetUtcNow(), comment);
        return await SaveAsync();
    }

    /// <summary>The cadre takes a submission back to draft while no reviewer has decided on it yet.</summary>
    public async Task<string?> WithdrawAsync(FillingTask task, CallerScope scope)
    {
        if (!scope.Admits(Operations.TasksFill) || !scope.CanFillFor(task.OrgUnit!))
        {
            return l["Only the cadres of {0} withdraw its submissions.", task.OrgUnit!.Name];
        }
        if (task.Status == TaskState.Accepted)
        {
            return l["This submission has already been reviewed and can no longer be withdrawn."];
        }
        if (task.Status != TaskState.Submitted)
        {
            return l["Only a submitted task can be withdrawn."];
        }
        (task.Status, task.SignedOffBy, task.SignedOffAt) = (TaskState.Draft, null, null);
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
