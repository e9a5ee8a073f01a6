using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneForm.Data;

namespace OneForm.Organization;

/// <summary>
/// A unit of the administrative tree (组织单元), keyed by its 12-digit statistical code.
/// <see cref="Path"/> is the materialised path of codes from the root, ending in '/', so a subtree is one index range.
/// </summary>
public sealed class OrgUnit : IAudited, IHasRowVersion
{
    public const int CodeLength = 12;
    public const int MaxNameLength = 100;

    public int Id { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public OrgUnitLevel Level { get; set; }
    public int? ParentId { get; set; }
    public OrgUnit? Parent { get; set; }
    public required string Path { get; set; }
    public int Depth { get; set; }

    /// <summary>Whether photos keep where they were taken (removed by default).</summary>
    public bool KeepsPhotoLocation { get; set; }

    /// <summary>The urban–rural classification code (城乡分类代码) of a village or community, such as 111 or 220; see <see cref="UrbanRural"/>.</summary>
    public string? UrbanRuralCode { get; set; }
    public uint RowVersion { get; set; }

    int? IAudited.AuditOrgUnitId => Id;

    public static string PathUnder(string? parentPath, string code) => (parentPath ?? "") + code + "/";

    /// <summary>The codes from the root down to this unit.</summary>
    public IReadOnlyList<string> PathCodes => Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
}

internal sealed class OrgUnitConfiguration : IEntityTypeConfiguration<OrgUnit>
{
    public void Configure(EntityTypeBuilder<OrgUnit> unit)
    {
        unit.Property(u => u.Code).HasMaxLength(OrgUnit.CodeLength).IsFixedLength(false);
        unit.HasIndex(u => u.Code).IsUnique();
        unit.Property(u => u.Name).HasMaxLength(OrgUnit.MaxNameLength);
        unit.HasIndex(u => u.Name);
        unit.Property(u => u.Level).HasConversion<string>().HasMaxLength(16);
        unit.Property(u => u.Path).HasMaxLength(400);
        unit.HasIndex(u => u.Path);
        unit.Property(u => u.UrbanRuralCode).HasMaxLength(UrbanRural.CodeLength);
        unit.HasOne(u => u.Parent).WithMany().HasForeignKey(u => u.ParentId).OnDelete(DeleteBehavior.Restrict);
        unit.Property(u => u.RowVersion).IsConcurrencyToken();
    }
}
