using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OneForm.Common;

/// <summary>
/// One line of the append-only audit trail: who changed what, when, from where, old and new values.
/// The database refuses updates and deletes of these rows (a trigger on each provider).
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>
    /// Who did it, as an id and never a display name: the account's id or "token:" and the access token's id (as
    /// <c>ActorId()</c> gives them), or what OneForm itself was doing ("cli:import", "seed:demo", "anonymous" for a
    /// request nobody signed in to). The trail shows the name it has now (<c>ActorNames</c>).
    /// </summary>
    public required string ActorId { get; set; }

    public string? ActorAddress { get; set; }

    /// <summary>What happened, as <c>EntityType.Action</c> (for example <c>OrgUnit.Modified</c>, <c>Divisions.Imported</c>).</summary>
    public required string Kind { get; set; }

    public required string EntityType { get; set; }
    public string? EntityKey { get; set; }

    /// <summary>The org unit the change concerns, so the trail can be searched by unit.</summary>
    public int? OrgUnitId { get; set; }

    /// <summary>JSON object: property name to <c>[old, new]</c>.</summary>
    public string? Changes { get; set; }

    public string? Summary { get; set; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> entry)
    {
        entry.Property(e => e.ActorId).HasMaxLength(256);
        entry.Property(e => e.ActorAddress).HasMaxLength(64);
        entry.Property(e => e.Kind).HasMaxLength(64);
        entry.Property(e => e.EntityType).HasMaxLength(64);
        entry.Property(e => e.EntityKey).HasMaxLength(64);
        entry.Property(e => e.Summary).HasMaxLength(1000);
        entry.HasIndex(e => e.At);
        entry.HasIndex(e => e.ActorId);
        entry.HasIndex(e => e.OrgUnitId);
        entry.HasIndex(e => e.Kind);
    }
}
