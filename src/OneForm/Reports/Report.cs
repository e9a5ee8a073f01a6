using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneForm.Data;
using OneForm.Organization;

namespace OneForm.Reports;

/// <summary>How the unadmitted form reached the unit.</summary>
public enum ReportChannel
{
    Document,
    ChatMessage,
    PhoneCall,
    Meeting,
    Other,
}

public enum ReportState
{
    Received,
    Investigating,
    Substantiated,
    NotSubstantiated,
    Closed,
}

/// <summary>
/// A report (举报) of a form pushed on a unit without admission. The gatekeeper investigates it; a substantiated
/// report names the responsible department and designer, may lead to an interview (约谈) and a rectification with a
/// deadline (限期整改), and costs the department points in its annual assessment.
/// </summary>
public sealed class Report : IAudited, IHasRowVersion
{
    public int Id { get; set; }

    /// <summary>What the form is called, as the unit received it.</summary>
    public required string FormTitle { get; set; }

    /// <summary>The admission code the form carried, if any (often none, or one that does not check out).</summary>
    public string? ClaimedCode { get; set; }

    /// <summary>Who sent it, as the unit knows it: a department, an office, a person.</summary>
    public required string SentBy { get; set; }

    public int? SentByDepartmentId { get; set; }
    public ReportChannel Channel { get; set; }
    public DateOnly ReceivedOn { get; set; }
    public string Details { get; set; } = "";

    /// <summary>Reports about the same form share this key (the title as the matcher normalises it, or the code).</summary>
    public required string GroupKey { get; set; }

    /// <summary>Who reported, as an account id; the name is looked up when shown, and only to those who may see it.</summary>
    public required string ReporterUserId { get; set; }

    public int? ReporterUnitId { get; set; }
    public OrgUnit? ReporterUnit { get; set; }

    /// <summary>Whether the issuer may learn who reported; by default it may not.</summary>
    public bool RevealReporter { get; set; }

    public ReportState State { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    // The finding.
    public int? ResponsibleDepartmentId { get; set; }
    public Department? ResponsibleDepartment { get; set; }
    public string? ResponsibleDesigner { get; set; }
    public bool IssuedWithoutAdmission { get; set; }
    public string? Finding { get; set; }
    public DateOnly? DecidedOn { get; set; }

    // The actions.
    public DateOnly? InterviewOn { get; set; }
    public string? InterviewNote { get; set; }
    public DateOnly? RectificationDue { get; set; }
    public DateOnly? RectifiedOn { get; set; }
    public DateOnly? ClosedOn { get; set; }

    public List<ReportEvidence> Evidence { get; set; } = [];
    public uint RowVersion { get; set; }

    int? IAudited.AuditOrgUnitId => ReporterUnitId;

    /// <summary>A rectification whose deadline has passed without it being done.</summary>
    public bool IsOverdue(DateOnly today) => RectificationDue is { } due && due < today && RectifiedOn is null && State != ReportState.Closed;
}

/// <summary>
/// A photo or PDF attached to a report. The file is in the file store (a photo as the photo intake re-encoded it,
/// without where it was taken); the database keeps only where it is, so a whistle-blower's photo is never a row of bytes.
/// </summary>
public sealed class ReportEvidence
{
    public int Id { get; set; }
    public int ReportId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Length { get; set; }

    /// <summary>The file's key in the file store (<c>evidence/ab/abcdef….jpg</c>).</summary>
    public required string StoredKey { get; set; }

    public DateTimeOffset UploadedAt { get; set; }
}

/// <summary>Points taken from a department's annual assessment (考核), each for one report.</summary>
public sealed class Deduction
{
    public int Id { get; set; }
    public int DepartmentId { get; set; }
    public Department? Department { get; set; }
    public int Year { get; set; }
    public decimal Points { get; set; }
    public DeductionReason Reason { get; set; }
    public int ReportId { get; set; }
    public Report? Report { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public enum DeductionReason
{
    /// <summary>A report against the department was substantiated.</summary>
    SubstantiatedReport,

    /// <summary>The department issued a form without admission.</summary>
    FormWithoutAdmission,
}

internal sealed class ReportConfiguration : IEntityTypeConfiguration<Report>
{
    public void Configure(EntityTypeBuilder<Report> report)
    {
        report.Property(r => r.FormTitle).HasMaxLength(200);
        report.Property(r => r.ClaimedCode).HasMaxLength(40);
        report.Property(r => r.SentBy).HasMaxLength(200);
        report.Property(r => r.Channel).HasConversion<string>().HasMaxLength(16);
        report.Property(r => r.Details).HasMaxLength(4000);
        report.Property(r => r.GroupKey).HasMaxLength(200);
        report.HasIndex(r => r.GroupKey);
        report.Property(r => r.ReporterUserId).HasMaxLength(64);
        report.HasIndex(r => r.ReporterUserId);
        report.Property(r => r.State).HasConversion<string>().HasMaxLength(20);
        report.HasIndex(r => r.State);
        report.Property(r => r.ResponsibleDesigner).HasMaxLength(100);
        report.Property(r => r.Finding).HasMaxLength(2000);
        report.Property(r => r.InterviewNote).HasMaxLength(2000);
        report.HasOne(r => r.ReporterUnit).WithMany().HasForeignKey(r => r.ReporterUnitId).OnDelete(DeleteBehavior.Restrict);
        report.HasOne(r => r.ResponsibleDepartment).WithMany().HasForeignKey(r => r.ResponsibleDepartmentId).OnDelete(DeleteBehavior.Restrict);
        report.HasOne<Department>().WithMany().HasForeignKey(r => r.SentByDepartmentId).OnDelete(DeleteBehavior.Restrict);
        report.HasMany(r => r.Evidence).WithOne().HasForeignKey(e => e.ReportId).OnDelete(DeleteBehavior.Cascade);
        report.Property(r => r.RowVersion).IsConcurrencyToken();
    }
}

internal sealed class ReportEvidenceConfiguration : IEntityTypeConfiguration<ReportEvidence>
{
    public void Configure(EntityTypeBuilder<ReportEvidence> evidence)
    {
        evidence.Property(e => e.FileName).HasMaxLength(200);
        evidence.Property(e => e.ContentType).HasMaxLength(100);
        evidence.Property(e => e.StoredKey).HasMaxLength(200);
    }
}

internal sealed class DeductionConfiguration : IEntityTypeConfiguration<Deduction>
{
    public void Configure(EntityTypeBuilder<Deduction> deduction)
    {
        deduction.Property(d => d.Points).HasPrecision(9, 2);
        deduction.Property(d => d.Reason).HasConversion<string>().HasMaxLength(32);
        deduction.HasIndex(d => new { d.Year, d.DepartmentId });
        deduction.HasIndex(d => new { d.ReportId, d.Reason }).IsUnique();
        deduction.HasOne(d => d.Department).WithMany().HasForeignKey(d => d.DepartmentId).OnDelete(DeleteBehavior.Restrict);
        deduction.HasOne(d => d.Report).WithMany().HasForeignKey(d => d.ReportId).OnDelete(DeleteBehavior.Restrict);
    }
}
