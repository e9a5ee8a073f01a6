using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneForm.Data;
using OneForm.Organization;

namespace OneForm.Registry;

public enum ResidentStatus
{
    Active,
    MovedOut,
    Deceased,
}

/// <summary>
/// A resident of the population registry (基础数据), imported from public security, never typed by cadres.
/// The identity number is kept encrypted, found by a keyed hash, and shown masked.
/// </summary>
public sealed class Resident : IHasRowVersion
{
    public long Id { get; set; }

    /// <summary>HMAC of the identity number: the key for look-up and de-duplication.</summary>
    public required string IdentityHash { get; set; }

    /// <summary>The identity number, encrypted (AES-GCM).</summary>
    public required string IdentityProtected { get; set; }

    /// <summary>The masked number (<c>652301********123X</c>), which is all pages and files show by default.</summary>
    public required string IdentityMasked { get; set; }

    public required string Name { get; set; }
    public Sex Sex { get; set; }
    public DateOnly BirthDate { get; set; }
    public string? Ethnicity { get; set; }
    public required string HouseholdNumber { get; set; }
    public string? RelationToHead { get; set; }
    public int OrgUnitId { get; set; }
    public OrgUnit? OrgUnit { get; set; }
    public string? Address { get; set; }
    public string? Phone { get; set; }
    public ResidentStatus Status { get; set; }
    public long? LastBatchId { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public uint RowVersion { get; set; }
}

/// <summary>What an import changed in a resident's record: the history the registry keeps.</summary>
public sealed class ResidentChange
{
    public long Id { get; set; }
    public long ResidentId { get; set; }
    public long BatchId { get; set; }
    public DateTimeOffset ChangedAt { get; set; }

    /// <summary>JSON object: field to <c>[old, new]</c>.</summary>
    public required string Changes { get; set; }
}

internal sealed class ResidentConfiguration : IEntityTypeConfiguration<Resident>
{
    public void Configure(EntityTypeBuilder<Resident> resident)
    {
        resident.Property(r => r.IdentityHash).HasMaxLength(64);
        resident.HasIndex(r => r.IdentityHash).IsUnique();
        resident.Property(r => r.IdentityProtected).HasMaxLength(200);
        resident.Property(r => r.IdentityMasked).HasMaxLength(18);
        resident.Property(r => r.Name).HasMaxLength(100);
        resident.Property(r => r.Sex).HasConversion<string>().HasMaxLength(8);
        resident.Property(r => r.Ethnicity).HasMaxLength(20);
        resident.Property(r => r.HouseholdNumber).HasMaxLength(40);
        resident.Property(r => r.RelationToHead).HasMaxLength(20);
        resident.Property(r => r.Address).HasMaxLength(200);
        resident.Property(r => r.Phone).HasMaxLength(30);
        resident.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        resident.HasIndex(r => new { r.OrgUnitId, r.Status });
        resident.HasIndex(r => r.HouseholdNumber);
        resident.HasOne(r => r.OrgUnit).WithMany().HasForeignKey(r => r.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
        resident.Property(r => r.RowVersion).IsConcurrencyToken();
    }
}

internal sealed class ResidentChangeConfiguration : IEntityTypeConfiguration<ResidentChange>
{
    public void Configure(EntityTypeBuilder<ResidentChange> change)
    {
        change.HasIndex(c => c.ResidentId);
        change.Property(c => c.Changes).HasMaxLength(4000);
    }
}
