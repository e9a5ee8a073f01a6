using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneForm.Organization;

namespace OneForm.Accounts;

/// <summary>A person's account, always bound to exactly one org unit or one department.</summary>
public sealed class OneFormUser : IdentityUser, IAudited
{
    public string DisplayName { get; set; } = "";
    public Role Role { get; set; }
    public int? OrgUnitId { get; set; }
    public OrgUnit? OrgUnit { get; set; }
    public int? DepartmentId { get; set; }
    public Department? Department { get; set; }
    public bool IsDisabled { get; set; }

    /// <summary>May see unmasked personal data (identity numbers), always with a stated reason that is audited.</summary>
    public bool MayUnmask { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    int? IAudited.AuditOrgUnitId => OrgUnitId;
}

internal sealed class OneFormUserConfiguration : IEntityTypeConfiguration<OneFormUser>
{
    public void Configure(EntityTypeBuilder<OneFormUser> user)
    {
        user.Property(u => u.DisplayName).HasMaxLength(100);
        user.Property(u => u.Role).HasConversion<string>().HasMaxLength(16);
        user.HasOne(u => u.OrgUnit).WithMany().HasForeignKey(u => u.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
        user.HasOne(u => u.Department).WithMany().HasForeignKey(u => u.DepartmentId).OnDelete(DeleteBehavior.Restrict);
    }
}
