using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneForm.Data;

namespace OneForm.Catalog;

public enum LegacyDisposition
{
    /// <summary>Merged into one of the forms in force.</summary>
    Merged,

    /// <summary>Replaced by shared data: the registry or another department already has it.</summary>
    SharedData,

    Abolished,
}

public enum IssuerLevel
{
    Prefecture,
    County,
    Township,
}

/// <summary>A line of the legacy inventory (清理台账): a form that existed before, and what became of it.</summary>
public sealed class LegacyForm : IAudited, IHasRowVersion
{
    public int Id { get; set; }
    public int No { get; set; }
    public required string Name { get; set; }
    public required string Category { get; set; }
    public required string Item { get; set; }
    public required string Issuer { get; set; }
    public IssuerLevel IssuerLevel { get; set; }
    public required string Cycle { get; set; }
    public int FieldCount { get; set; }
    public LegacyDisposition Disposition { get; set; }

    /// <summary>For merged forms: the code of the form in force that replaced it.</summary>
    public string? ReplacedByFormCode { get; set; }

    public uint RowVersion { get; set; }

    int? IAudited.AuditOrgUnitId => null;
}

internal sealed class LegacyFormConfiguration : IEntityTypeConfiguration<LegacyForm>
{
    public void Configure(EntityTypeBuilder<LegacyForm> legacy)
    {
        legacy.HasIndex(l => l.No).IsUnique();
        legacy.Property(l => l.Name).HasMaxLength(200);
        legacy.Property(l => l.Category).HasMaxLength(50);
        legacy.Property(l => l.Item).HasMaxLength(200);
        legacy.Property(l => l.Issuer).HasMaxLength(100);
        legacy.Property(l => l.IssuerLevel).HasConversion<string>().HasMaxLength(16);
        legacy.Property(l => l.Cycle).HasMaxLength(16);
        legacy.Property(l => l.Disposition).HasConversion<string>().HasMaxLength(16);
        legacy.Property(l => l.ReplacedByFormCode).HasMaxLength(40);
        legacy.Property(l => l.RowVersion).IsConcurrencyToken();
    }
}
