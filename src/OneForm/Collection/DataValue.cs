using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Organization;

namespace OneForm.Collection;

public enum ValueSource
{
    Entered,
    Derived,
    Imported,

    /// <summary>Computed from the unit's values of shorter periods (<see cref="OverTime"/>).</summary>
    OverTime,

    /// <summary>Counted from the unit's ledger entries or activity records by a ledger rule.</summary>
    Ledger,

    /// <summary>An indicator's value, computed by its formula from the unit's values of the same period.</summary>
    Formula,

    /// <summary>A stock's value of the previous period, offered as this period's and confirmed by the unit (上期值).</summary>
    CarriedForward,
}

/// <summary>
/// A data value (数据值): one per element, unit and period, whichever form it was typed through.
/// Every change is kept in <see cref="DataValueChange"/>.
/// </summary>
public sealed class DataValue : IHasRowVersion
{
    public const int MaxLength = ValueLimits.MaxTextLength;

    public long Id { get; set; }
    public int DataElementId { get; set; }
    public DataElement? DataElement { get; set; }
    public int OrgUnitId { get; set; }
    public OrgUnit? OrgUnit { get; set; }
    public required string PeriodCode { get; set; }

    /// <summary>The value in its normal text form (invariant numbers, ISO dates, option codes, true/false).</summary>
    public required string Value { get; set; }

    /// <summary>The value as a number, for roll-ups; null for non-numeric elements.</summary>
    public double? Number { get; set; }

    public ValueSource Source { get; set; }
    public required string UpdatedBy { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The form it was last typed through, if any.</summary>
    public int? ThroughFormId { get; set; }

    public uint RowVersion { get; set; }
}

/// <summary>One change of a value: who, when, old and new, through which form or file.</summary>
public sealed class DataValueChange
{
    public long Id { get; set; }

    /// <summary>
    /// The change's place in the order the change cursor follows, given once its transaction has committed (null until
    /// then): ids are taken before commit and may commit out of order (see ValueChangeOrder).
    /// </summary>
    public long? Sequence { get; set; }

    public int DataElementId { get; set; }
    public int OrgUnitId { get; set; }
    public required string PeriodCode { get; set; }
    public string? OldValue { get; set; }
    public string? NewValue { get; set; }
    public ValueSource Source { get; set; }
    public required string ChangedBy { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
    public int? ThroughFormId { get; set; }
    public string? ThroughFile { get; set; }
}

internal sealed class DataValueConfiguration : IEntityTypeConfiguration<DataValue>
{
    public void Configure(EntityTypeBuilder<DataValue> value)
    {
        value.Property(v => v.PeriodCode).HasMaxLength(8);
        value.HasIndex(v => new { v.DataElementId, v.OrgUnitId, v.PeriodCode }).IsUnique();
        value.HasIndex(v => new { v.OrgUnitId, v.PeriodCode });
        value.Property(v => v.Value).HasMaxLength(DataValue.MaxLength);
        value.Property(v => v.Source).HasConversion<string>().HasMaxLength(16);
        value.Property(v => v.UpdatedBy).HasMaxLength(256);
        value.HasOne(v => v.DataElement).WithMany().HasForeignKey(v => v.DataElementId).OnDelete(DeleteBehavior.Restrict);
        value.HasOne(v => v.OrgUnit).WithMany().HasForeignKey(v => v.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
        value.Property(v => v.RowVersion).IsConcurrencyToken();
    }
}

internal sealed class DataValueChangeConfiguration : IEntityTypeConfiguration<DataValueChange>
{
    public void Configure(EntityTypeBuilder<DataValueChange> change)
    {
        change.Property(c => c.PeriodCode).HasMaxLength(8);
        change.HasIndex(c => new { c.DataElementId, c.OrgUnitId, c.PeriodCode });
        change.HasIndex(c => c.Sequence).IsUnique();
        change.HasIndex(c => c.Id, "IX_DataValueChanges_Unplaced").HasFilter("\"Sequence\" IS NULL");
        change.Property(c => c.OldValue).HasMaxLength(DataValue.MaxLength);
        change.Property(c => c.NewValue).HasMaxLength(DataValue.MaxLength);
        change.Property(c => c.Source).HasConversion<string>().HasMaxLength(16);
        change.Property(c => c.ChangedBy).HasMaxLength(256);
        change.Property(c => c.ThroughFile).HasMaxLength(260);
    }
}
