using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Organization;

namespace OneForm.Sharing;

public enum GrantState
{
    Requested,
    Approved,
    Refused,
    Revoked,
}

/// <summary>
/// A data-sharing grant (数据授权): the owner of some elements lets another department read their values for some
/// units and years, for a stated purpose, until it expires or is revoked. Person-level data needs a grant that says so.
/// </summary>
public sealed class DataGrant : IAudited, IHasRowVersion
{
    public int Id { get; set; }
    public int GranteeDepartmentId { get; set; }
    public Department? Grantee { get; set; }
    public int OwnerDepartmentId { get; set; }
    public Department? Owner { get; set; }
    public List<GrantElement> Elements { get; set; } = [];

    /// <summary>The subtree the grant covers (its root's path); null for the whole tree.</summary>
    public string? SubtreePath { get; set; }

    public int FromYear { get; set; }
    public int ToYear { get; set; }

    // The years as bounds on period codes, which all begin with their year ("2026", "2026Q1", "2026M03").
    public string PeriodFrom { get; set; } = "";
    public string PeriodUntil { get; set; } = "";

    public required string Purpose { get; set; }

    /// <summary>Rosters and person attributes too (masked unless <see cref="Unmasked"/>).</summary>
    public bool PersonLevel { get; set; }
    public bool Unmasked { get; set; }

    public GrantState State { get; set; }
    public DateOnly? ExpiresOn { get; set; }
    public required string RequestedBy { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public string? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DecisionNote { get; set; }
    public uint RowVersion { get; set; }

    int? IAudited.AuditOrgUnitId => null;

    public bool IsInForce(DateOnly today) => State == GrantState.Approved && (ExpiresOn is null || ExpiresOn >= today);
}

public sealed class GrantElement
{
    public int GrantId { get; set; }
    public int DataElementId { get; set; }
    public DataElement? DataElement { get; set; }
}

internal sealed class DataGrantConfiguration : IEntityTypeConfiguration<DataGrant>
{
    public void Configure(EntityTypeBuilder<DataGrant> grant)
    {
        grant.HasOne(g => g.Grantee).WithMany().HasForeignKey(g => g.GranteeDepartmentId).OnDelete(DeleteBehavior.Restrict);
        grant.HasOne(g => g.Owner).WithMany().HasForeignKey(g => g.OwnerDepartmentId).OnDelete(DeleteBehavior.Restrict);
        grant.HasMany(g => g.Elements).WithOne().HasForeignKey(e => e.GrantId).OnDelete(DeleteBehavior.Cascade);
        grant.Property(g => g.SubtreePath).HasMaxLength(200);
        grant.Property(g => g.PeriodFrom).HasMaxLength(8);
        grant.Property(g => g.PeriodUntil).HasMaxLength(8);
        grant.Property(g => g.Purpose).HasMaxLength(1000);
        grant.Property(g => g.State).HasConversion<string>().HasMaxLength(16);
        grant.Property(g => g.RequestedBy).HasMaxLength(256);
        grant.Property(g => g.DecidedBy).HasMaxLength(256);
        grant.Property(g => g.DecisionNote).HasMaxLength(1000);
        grant.HasIndex(g => new { g.GranteeDepartmentId, g.State });
        grant.Property(g => g.RowVersion).IsConcurrencyToken();
    }
}

internal sealed class GrantElementConfiguration : IEntityTypeConfiguration<GrantElement>
{
    public void Configure(EntityTypeBuilder<GrantElement> element)
    {
        element.HasKey(e => new { e.GrantId, e.DataElementId });
        element.HasOne(e => e.DataElement).WithMany().HasForeignKey(e => e.DataElementId).OnDelete(DeleteBehavior.Restrict);
    }
}
