using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneForm.Organization;

namespace OneForm.Sharing;

/// <summary>A statistics query kept under a name, for its author or for the whole department.</summary>
public sealed class SavedQuery : IAudited
{
    public int Id { get; set; }
    public int DepartmentId { get; set; }
    public Department? Department { get; set; }
    public required string Name { get; set; }

    /// <summary>The statistics page's query string (elements, unit, level, periods).</summary>
    public required string Query { get; set; }

    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public bool SharedWithDepartment { get; set; }

    int? IAudited.AuditOrgUnitId => null;
}

internal sealed class SavedQueryConfiguration : IEntityTypeConfiguration<SavedQuery>
{
    public void Configure(EntityTypeBuilder<SavedQuery> query)
    {
        query.Property(q => q.Name).HasMaxLength(100);
        query.Property(q => q.Query).HasMaxLength(2000);
        query.Property(q => q.CreatedBy).HasMaxLength(256);
        query.HasIndex(q => q.DepartmentId);
        query.HasOne(q => q.Department).WithMany().HasForeignKey(q => q.DepartmentId).OnDelete(DeleteBehavior.Cascade);
    }
}
