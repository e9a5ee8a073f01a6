using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneForm.Catalog;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Organization;

namespace OneForm.Admission;

public enum AdmissionState
{
    /// <summary>The department is still writing it; only the department sees it.</summary>
    Draft,

    /// <summary>Waiting for the gatekeeper.</summary>
    Submitted,

    /// <summary>Sent back by the gatekeeper for changes; the department edits and submits again.</summary>
    Returned,

    Admitted,
    Refused,
    Withdrawn,
}

/// <summary>
/// An admission request (准入申请): a department proposes a form, with its fields as the department names them. The
/// analysis compares every field with the dictionary before anyone reviews it; the gatekeeper admits, refuses or
/// returns it. An admitted request becomes a form of the catalogue with an admission code.
/// </summary>
public sealed class AdmissionRequest : IAudited, IHasRowVersion
{
    public int Id { get; set; }
    public int DepartmentId { get; set; }
    public Department? Department { get; set; }
    public required string Title { get; set; }

    /// <summary>What the form is for and why existing data does not serve.</summary>
    public string Purpose { get; set; } = "";

    public FormCategory Category { get; set; }
    public ReportingCycle Cycle { get; set; }

    /// <summary>The levels of the tree that would fill it, separated by ','.</summary>
    public string TargetLevels { get; set; } = nameof(OrgUnitLevel.Village);

    /// <summary>When set, only the units of the levels below this unit would fill it.</summary>
    public int? SubtreeUnitId { get; set; }
    public OrgUnit? Subtree { get; set; }

    /// <summary>When set, only the units of these levels in one of these unit groups (codes, separated by ',') would fill it.</summary>
    public string? TargetGroups { get; set; }

    public int DeadlineDays { get; set; } = 10;
    public string Designer { get; set; } = "";

    /// <summary>Set when the request is a new version of an admitted form.</summary>
    public string? ReplacesFormCode { get; set; }

    public AdmissionState State { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }
    public string? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>The gatekeeper's reasons, shown to the department.</summary>
    public string? DecisionReasons { get; set; }

    /// <summary>
    /// The analysis as it stood when the request was admitted or refused (JSON): what the decision was made on. Admitting
    /// adds the request's own fields to the dictionary, so analysing it again afterwards would find them all "held".
    /// </summary>
    public string? DecisionAnalysis { get; set; }

    public int? FormId { get; set; }
    public Form? Form { get; set; }
    public List<ProposedField> Fields { get; set; } = [];
    public uint RowVersion { get; set; }

    int? IAudited.AuditOrgUnitId => null;

    public IReadOnlyList<OrgUnitLevel> Levels =>
        TargetLevels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Enum.Parse<OrgUnitLevel>).ToList();

    public IReadOnlyList<string> Groups =>
        (TargetGroups ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    public bool IsEditable => State is AdmissionState.Draft or AdmissionState.Returned;
}

/// <summary>
/// A field as the department names it. Admitted, it reuses the element it was bound to (an accepted suggestion, or
/// else the best match) and becomes a new element only when nothing matches or the department declined the matches.
/// </summary>
public sealed class ProposedField
{
    public int Id { get; set; }
    public int RequestId { get; set; }
    public int Order { get; set; }
    public required string Name { get; set; }
    public ElementValueType ValueType { get; set; }
    public string? Unit { get; set; }
    public string? Notes { get; set; }
    public int? AcceptedElementId { get; set; }
    public DataElement? AcceptedElement { get; set; }

    /// <summary>The department says none of the suggestions is this field: it becomes a new element when admitted.</summary>
    public bool DeclinedMatches { get; set; }
}

internal sealed class AdmissionRequestConfiguration : IEntityTypeConfiguration<AdmissionRequest>
{
    public void Configure(EntityTypeBuilder<AdmissionRequest> request)
    {
        request.Property(r => r.Title).HasMaxLength(200);
        request.Property(r => r.Purpose).HasMaxLength(2000);
        request.Property(r => r.Category).HasConversion<string>().HasMaxLength(32);
        request.Property(r => r.Cycle).HasConversion<string>().HasMaxLength(16);
        request.Property(r => r.TargetLevels).HasMaxLength(100);
        request.Property(r => r.TargetGroups).HasMaxLength(200);
        request.Property(r => r.Designer).HasMaxLength(100);
        request.Property(r => r.ReplacesFormCode).HasMaxLength(40);
        request.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
        request.Property(r => r.CreatedBy).HasMaxLength(256);
        request.Property(r => r.DecidedBy).HasMaxLength(256);
        request.Property(r => r.DecisionReasons).HasMaxLength(2000);
        request.HasIndex(r => new { r.State, r.DepartmentId });
        request.HasOne(r => r.Department).WithMany().HasForeignKey(r => r.DepartmentId).OnDelete(DeleteBehavior.Restrict);
        request.HasOne(r => r.Form).WithMany().HasForeignKey(r => r.FormId).OnDelete(DeleteBehavior.Restrict);
        request.HasOne(r => r.Subtree).WithMany().HasForeignKey(r => r.SubtreeUnitId).OnDelete(DeleteBehavior.Restrict);
        request.HasMany(r => r.Fields).WithOne().HasForeignKey(f => f.RequestId).OnDelete(DeleteBehavior.Cascade);
        request.Property(r => r.RowVersion).IsConcurrencyToken();
        request.Ignore(r => r.Levels);
        request.Ignore(r => r.Groups);
        request.Ignore(r => r.IsEditable);
    }
}

internal sealed class ProposedFieldConfiguration : IEntityTypeConfiguration<ProposedField>
{
    public void Configure(EntityTypeBuilder<ProposedField> field)
    {
        field.Property(f => f.Name).HasMaxLength(100);
        field.Property(f => f.ValueType).HasConversion<string>().HasMaxLength(16);
        field.Property(f => f.Unit).HasMaxLength(20);
        field.Property(f => f.Notes).HasMaxLength(500);
        field.HasOne(f => f.AcceptedElement).WithMany().HasForeignKey(f => f.AcceptedElementId).OnDelete(DeleteBehavior.Restrict);
    }
}
