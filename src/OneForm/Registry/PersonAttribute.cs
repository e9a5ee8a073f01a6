using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneForm.Dictionary;

namespace OneForm.Registry;

/// <summary>
/// A person attribute (低保, 残疾, 党员, 退役军人, 独居老人 ...): one value per resident and element, shared by every form and
/// roster that uses the element, imported in bulk by the owning department.
/// </summary>
public sealed class PersonAttribute
{
    public const int MaxValueLength = 200;

    public long Id { get; set; }
    public long ResidentId { get; set; }
    public Resident? Resident { get; set; }
    public int DataElementId { get; set; }
    public DataElement? DataElement { get; set; }
    public required string Value { get; set; }
    public required string UpdatedBy { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public long? LastBatchId { get; set; }
}

internal sealed class PersonAttributeConfiguration : IEntityTypeConfiguration<PersonAttribute>
{
    public void Configure(EntityTypeBuilder<PersonAttribute> attribute)
    {
        attribute.HasIndex(a => new { a.ResidentId, a.DataElementId }).IsUnique();
        attribute.HasIndex(a => new { a.DataElementId, a.Value });
        attribute.Property(a => a.Value).HasMaxLength(PersonAttribute.MaxValueLength);
        attribute.Property(a => a.UpdatedBy).HasMaxLength(256);
        attribute.HasOne(a => a.Resident).WithMany().HasForeignKey(a => a.ResidentId).OnDelete(DeleteBehavior.Cascade);
        attribute.HasOne(a => a.DataElement).WithMany().HasForeignKey(a => a.DataElementId).OnDelete(DeleteBehavior.Restrict);
    }
}
