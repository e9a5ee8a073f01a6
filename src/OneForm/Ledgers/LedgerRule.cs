using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Media;

namespace OneForm.Ledgers;

/// <summary>What a ledger rule reads: the entries of a ledger kind, or the unit's activity records (三会一课 and the like).</summary>
public enum LedgerSource
{
    Ledger,
    Activities,
}

/// <summary>What a ledger rule takes over the records of a period.</summary>
public enum LedgerMeasure
{
    /// <summary>How many records match.</summary>
    Count,

    /// <summary>The sum of a numeric field (of activities: the participants).</summary>
    Sum,

    /// <summary>The value of a field in the latest record by date (of activities: the date).</summary>
    Latest,
}

/// <summary>Only records whose option field holds this option (调处结果 = 调解成功).</summary>
public sealed record LedgerFilter(int Field, string Option);

/// <summary>
/// A ledger rule (台账规则), as data: it turns a unit's records of a period into the value of one element for that
/// unit and period — count the disputes whose 调处结果 is 调解成功, sum a field, take the latest date. The value is
/// written with the source <c>Ledger</c> and kept up to date as entries change.
/// </summary>
public sealed class LedgerRule : IAudited, IHasRowVersion
{
    public int Id { get; set; }
    public int DataElementId { get; set; }
    public DataElement? DataElement { get; set; }
    public LedgerSource Source { get; set; }
    public int? LedgerKindId { get; set; }
    public LedgerKind? LedgerKind { get; set; }

    /// <summary>For activity rules: the kind of activity counted.</summary>
    public ActivityKind? ActivityKind { get; set; }
    public LedgerMeasure Measure { get; set; }

    /// <summary>The field summed or taken (ledger rules only).</summary>
    public int? FieldId { get; set; }

    /// <summary>The filters as JSON (a list of <see cref="LedgerFilter"/>).</summary>
    public string? Filters { get; set; }
    public uint RowVersion { get; set; }

    int? IAudited.AuditOrgUnitId => null;

    public IReadOnlyList<LedgerFilter> FilterList => Filters is { Length: > 0 } json ? JsonSerializer.Deserialize<List<LedgerFilter>>(json) ?? [] : [];

    public static string? WriteFilters(IReadOnlyCollection<LedgerFilter>? filters) => filters is { Count: > 0 } ? JsonSerializer.Serialize(filters) : null;
}

public static class LedgerSources
{
    public static string Name(LedgerSource source, IStringLocalizer l) => source switch
    {
        LedgerSource.Ledger => l["Ledger"],
        LedgerSource.Activities => l["Activity records"],
    };
}

public static class LedgerMeasures
{
    public static string Name(LedgerMeasure measure, IStringLocalizer l) => measure switch
    {
        LedgerMeasure.Count => l["Count of entries"],
        LedgerMeasure.Sum => l["Sum of a field"],
        LedgerMeasure.Latest => l["Latest value of a field"],
    };
}

internal sealed class LedgerRuleConfiguration : IEntityTypeConfiguration<LedgerRule>
{
    public void Configure(EntityTypeBuilder<LedgerRule> rule)
    {
        rule.Ignore(r => r.FilterList);
        rule.HasIndex(r => r.DataElementId).IsUnique();
        rule.HasOne(r => r.DataElement).WithMany().HasForeignKey(r => r.DataElementId).OnDelete(DeleteBehavior.Restrict);
        rule.HasOne(r => r.LedgerKind).WithMany().HasForeignKey(r => r.LedgerKindId).OnDelete(DeleteBehavior.Restrict);
        rule.Property(r => r.Source).HasConversion<string>().HasMaxLength(16);
        rule.Property(r => r.ActivityKind).HasConversion<string>().HasMaxLength(20);
        rule.Property(r => r.Measure).HasConversion<string>().HasMaxLength(16);
        rule.Property(r => r.Filters).HasMaxLength(2000);
        rule.Property(r => r.RowVersion).IsConcurrencyToken();
    }
}
