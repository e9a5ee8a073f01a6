using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneForm.Data;

namespace OneForm.Dictionary.Validation;

public enum RuleOperator
{
    LessOrEqual,
    Less,
    Equal,
    GreaterOrEqual,
    Greater,
    NotEqual,
}

public enum RuleImportance
{
    /// <summary>Blocks the submission until the values are corrected.</summary>
    Error,

    /// <summary>The cadre may submit after confirming with a reason, which the reviewer sees.</summary>
    Warning,
}

/// <summary>
/// A check across fields (校验规则): left side, operator, right side, over the elements of a unit and period (and earlier
/// periods), kept as data so the gatekeeper adds one without a release. A side whose elements hold no value is skipped.
/// </summary>
public sealed class ValidationRule : IAudited, IHasRowVersion
{
    public const int MaxNameLength = 100;
    public const int MaxMessageLength = 500;

    public int Id { get; set; }

    /// <summary>What the rule checks, in a few words (shown beside its message): 预备党员数不大于党员总数.</summary>
    public required string Name { get; set; }

    public required string Left { get; set; }
    public RuleOperator Operator { get; set; }
    public required string Right { get; set; }
    public RuleImportance Importance { get; set; }

    /// <summary>The Chinese message when the rule is broken, with {left} {leftValue} {right} {rightValue}; a standard one when empty.</summary>
    public string? Message { get; set; }

    public string? MessageEn { get; set; }
    public uint RowVersion { get; set; }

    int? IAudited.AuditOrgUnitId => null;
}

internal sealed class ValidationRuleConfiguration : IEntityTypeConfiguration<ValidationRule>
{
    public void Configure(EntityTypeBuilder<ValidationRule> rule)
    {
        rule.ToTable("ValidationRules");
        rule.Property(r => r.Name).HasMaxLength(ValidationRule.MaxNameLength);
        rule.HasIndex(r => r.Name).IsUnique();
        rule.Property(r => r.Left).HasMaxLength(RuleExpression.MaxLength);
        rule.Property(r => r.Right).HasMaxLength(RuleExpression.MaxLength);
        rule.Property(r => r.Operator).HasConversion<string>().HasMaxLength(16);
        rule.Property(r => r.Importance).HasConversion<string>().HasMaxLength(16);
        rule.Property(r => r.Message).HasMaxLength(ValidationRule.MaxMessageLength);
        rule.Property(r => r.MessageEn).HasMaxLength(ValidationRule.MaxMessageLength);
        rule.Property(r => r.RowVersion).IsConcurrencyToken();
    }
}
