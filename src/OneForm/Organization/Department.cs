using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneForm.Data;

namespace OneForm.Organization;

/// <summary>A department (部门): owns data elements and forms, and may be granted others' elements.</summary>
public sealed class Department : IAudited, IHasRowVersion
{
    public const int MaxCodeLength = 32;

    public int Id { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public string? EnglishName { get; set; }
    public uint RowVersion { get; set; }

    int? IAudited.AuditOrgUnitId => null;

    public string DisplayName(System.Globalization.CultureInfo culture) =>
        culture.TwoLetterISOLanguageName == "zh" || string.IsNullOrEmpty(EnglishName) ? Name : EnglishName;
}

internal sealed class DepartmentConfiguration : IEntityTypeConfiguration<Department>
{
    public void Configure(EntityTypeBuilder<Department> department)
    {
        department.Property(d => d.Code).HasMaxLength(Department.MaxCodeLength);
        department.HasIndex(d => d.Code).IsUnique();
        department.Property(d => d.Name).HasMaxLength(100);
        department.Property(d => d.EnglishName).HasMaxLength(100);
        department.Property(d => d.RowVersion).IsConcurrencyToken();
    }
}
