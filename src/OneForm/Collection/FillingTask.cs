using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneForm.Catalog;
using OneForm.Data;
using OneForm.Organization;

namespace OneForm.Collection;

public enum TaskState
{
    NotStarted,
    Draft,
    Submitted,
    Returned,
    Accepted,

    /// <summary>
    /// Back at the unit because a value it holds changed after it was submitted or accepted (through this or another
    /// form, a file or the API): it needs the cadre's submission, the head's sign-off and the review again.
    /// </summary>
    Reopened,
}

/// <summary>A filling task (填报任务): one form, one period, one unit, with a deadline. Tasks open by themselves.</summary>
public sealed class FillingTask : IAudited, IHasRowVersion
{
    public const int MaxCommentLength = 1000;

    public int Id { get; set; }
    public int FormId { get; set; }
    public Form? Form { get; set; }
    public required string PeriodCode { get; set; }
    public int OrgUnitId { get; set; }
    public OrgUnit? OrgUnit { get; set; }
    public DateOnly Deadline { get; set; }
    public TaskState Status { get; set; }
    public string? SubmittedBy { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }

    /// <summary>The unit head's sign-off of the submission.</summary>
    public string? SignedOffBy { get; set; }

    public DateTimeOffset? SignedOffAt { get; set; }
    public string? ReviewedBy { get; set; }
    public DateTimeOffset? ReviewedAt { get; set; }

    /// <summary>The reviewer's comment when the task was returned.</summary>
    public string? ReviewComment { get; set; }

    public uint RowVersion { get; set; }

    int? IAudited.AuditOrgUnitId => OrgUnitId;

    public bool IsOpenForFilling => Status is TaskState.NotStarted or TaskState.Draft or TaskState.Returned or TaskState.Accepted or TaskState.Reopened;

    public bool IsOverdue(DateOnly today) => Deadline < today && Status is not (TaskState.Submitted or TaskState.Accepted);
}

internal sealed class FillingTaskConfiguration : IEntityTypeConfiguration<FillingTask>
{
    public void Configure(EntityTypeBuilder<FillingTask> task)
    {
        task.ToTable("FillingTasks");
        task.Property(t => t.PeriodCode).HasMaxLength(8);
        // Two app nodes opening the same period cannot make a task twice.
        task.HasIndex(t => new { t.FormId, t.PeriodCode, t.OrgUnitId }).IsUnique();
        task.HasIndex(t => new { t.OrgUnitId, t.Status });
        task.Property(t => t.Status).HasConversion<string>().HasMaxLength(16);
        task.Property(t => t.SubmittedBy).HasMaxLength(256);
        task.Property(t => t.SignedOffBy).HasMaxLength(256);
        task.Property(t => t.ReviewedBy).HasMaxLength(256);
        task.Property(t => t.ReviewComment).HasMaxLength(FillingTask.MaxCommentLength);
        task.HasOne(t => t.Form).WithMany().HasForeignKey(t => t.FormId).OnDelete(DeleteBehavior.Restrict);
        task.HasOne(t => t.OrgUnit).WithMany().HasForeignKey(t => t.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
        task.Property(t => t.RowVersion).IsConcurrencyToken();
    }
}

/// <summary>
/// A reviewer's comment on one field of a returned submission (a sheet or a form): shown beside the field to the cadre
/// who corrects it. A new return replaces the comments of the last.
/// </summary>
public sealed class FieldComment
{
    public const int MaxLength = 500;

    public long Id { get; set; }
    public int FillingTaskId { get; set; }
    public FillingTask? Task { get; set; }
    public int DataElementId { get; set; }
    public required string Text { get; set; }

    /// <summary>The reviewer's account id.</summary>
    public required string WrittenBy { get; set; }

    public DateTimeOffset WrittenAt { get; set; }
}

internal sealed class FieldCommentConfiguration : IEntityTypeConfiguration<FieldComment>
{
    public void Configure(EntityTypeBuilder<FieldComment> comment)
    {
        comment.Property(c => c.Text).HasMaxLength(FieldComment.MaxLength);
        comment.Property(c => c.WrittenBy).HasMaxLength(256);
        comment.HasIndex(c => c.FillingTaskId);
        comment.HasOne(c => c.Task).WithMany().HasForeignKey(c => c.FillingTaskId).OnDelete(DeleteBehavior.Cascade);
        comment.HasOne<OneForm.Dictionary.DataElement>().WithMany().HasForeignKey(c => c.DataElementId).OnDelete(DeleteBehavior.Restrict);
    }
}
