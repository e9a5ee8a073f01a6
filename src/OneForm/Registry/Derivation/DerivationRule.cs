using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneForm.Data;
using OneForm.Dictionary;

namespace OneForm.Registry.Derivation;

public enum DerivationCount
{
    Residents,
    Households,
}

/// <summary>
/// How a derived element is computed from the registry, as data (never SQL): count the residents or households of each
/// unit that match filters on age at the period's end, sex, ethnicity, status and household size.
/// </summary>
public sealed class DerivationRule : IAudited, IHasRowVersion
{
    public int Id { get; set; }
    public int DataElementId { get; set; }
    public DataElement? DataElement { get; set; }
    public DerivationCount Counts { get; set; }

    /// <summary>Completed years at the period's last day, inclusive.</summary>
    public int? MinAge { get; set; }

    public int? MaxAge { get; set; }
    public Sex? Sex { get; set; }

    /// <summary>Only these ethnicities (separated by ';'), or all when empty.</summary>
    public string? Ethnicities { get; set; }

    /// <summary>All but these ethnicities (separated by ';'), for example 汉族 for minority residents.</summary>
    public string? ExcludedEthnicities { get; set; }

    /// <summary>Only residents whose person attribute (an element) has this value, such as 低保对象 = true.</summary>
    public int? AttributeElementId { get; set; }

    public DataElement? AttributeElement { get; set; }
    public string? AttributeValue { get; set; }

    public int? MinHouseholdSize { get; set; }
    public int? MaxHouseholdSize { get; set; }
    public uint RowVersion { get; set; }

    int? IAudited.AuditOrgUnitId => null;

    public IReadOnlyList<string> EthnicityList => Split(Ethnicities);
    public IReadOnlyList<string> ExcludedEthnicityList => Split(ExcludedEthnicities);

    private static List<string> Split(string? list) =>
        (list ?? "").Split([';', '；', ',', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}

internal sealed class DerivationRuleConfiguration : IEntityTypeConfiguration<DerivationRule>
{
    public void Configure(EntityTypeBuilder<DerivationRule> rule)
    {
        rule.HasIndex(r => r.DataElementId).IsUnique();
        rule.HasOne(r => r.DataElement).WithMany().HasForeignKey(r => r.DataElementId).OnDelete(DeleteBehavior.Cascade);
        rule.Property(r => r.Counts).HasConversion<string>().HasMaxLength(16);
        rule.Property(r => r.Sex).HasConversion<string>().HasMaxLength(8);
        rule.Property(r => r.Ethnicities).HasMaxLength(200);
        rule.Property(r => r.ExcludedEthnicities).HasMaxLength(200);
        rule.Property(r => r.RowVersion).IsConcurrencyToken();
        rule.HasOne(r => r.AttributeElement).WithMany().HasForeignKey(r => r.AttributeElementId).OnDelete(DeleteBehavior.Restrict);
        rule.Property(r => r.AttributeValue).HasMaxLength(200);
        rule.Ignore(r => r.EthnicityList);
        rule.Ignore(r => r.ExcludedEthnicityList);
    }
}
