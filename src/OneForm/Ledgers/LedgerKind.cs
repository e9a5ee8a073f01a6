using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Organization;

namespace OneForm.Ledgers;

public enum LedgerFieldType
{
    Date,
    Integer,
    Decimal,
    Text,
    Option,
}

/// <summary>
/// A ledger kind (台账种类), defined by the gatekeeper as data: its names, the department that owns it and the
/// fields of each entry. Units keep entries of it; ledger rules count them into the unit's values.
/// </summary>
public sealed class LedgerKind : IAudited, IHasRowVersion
{
    public const int MaxNameLength = 100;

    public int Id { get; set; }
    public required string Name { get; set; }
    public required string EnglishName { get; set; }
    public int OwnerDepartmentId { get; set; }
    public Department? OwnerDepartment { get; set; }
    public List<LedgerField> Fields { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public uint RowVersion { get; set; }

    int? IAudited.AuditOrgUnitId => null;

    public string DisplayName(CultureInfo culture) => culture.Name.StartsWith("zh", StringComparison.Ordinal) ? Name : EnglishName;

    /// <summary>The field whose date places an entry in a period: the first required date field.</summary>
    public LedgerField? DateField => Fields.OrderBy(f => f.Position).FirstOrDefault(f => f is { Type: LedgerFieldType.Date, Required: true });
}

/// <summary>One field of a ledger kind's entries: its name, its type, whether it is required, the options of an option set.</summary>
public sealed class LedgerField : IAudited
{
    public const int MaxOptionsLength = 2000;

    public int Id { get; set; }
    public int LedgerKindId { get; set; }
    public int Position { get; set; }
    public required string Name { get; set; }
    public string? EnglishName { get; set; }
    public LedgerFieldType Type { get; set; }
    public bool Required { get; set; }

    /// <summary>The options of an option set, one a line; empty for other types.</summary>
    public string? Options { get; set; }

    int? IAudited.AuditOrgUnitId => null;

    public IReadOnlyList<string> OptionList => Options is null ? [] : Options.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public string DisplayName(CultureInfo culture) => culture.Name.StartsWith("zh", StringComparison.Ordinal) || EnglishName is null ? Name : EnglishName;

    public bool IsNumeric => Type is LedgerFieldType.Integer or LedgerFieldType.Decimal;
}

/// <summary>
/// An entry (台账记录) of a unit's ledger: the values of the kind's fields by field id, the date that places it in a
/// period, who recorded and last changed it. Every change is kept in <see cref="LedgerEntryChange"/> and audited.
/// </summary>
public sealed class LedgerEntry : IAudited, IHasRowVersion
{
    public const int MaxValuesLength = 8000;

    public long Id { get; set; }
    public int LedgerKindId { get; set; }
    public LedgerKind? LedgerKind { get; set; }
    public int OrgUnitId { get; set; }
    public OrgUnit? OrgUnit { get; set; }
    public DateOnly OccurredOn { get; set; }

    /// <summary>The values as JSON, by field id, in their normal text form (invariant numbers, ISO dates, the option's text).</summary>
    public required string Values { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string UpdatedBy { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public uint RowVersion { get; set; }

    int? IAudited.AuditOrgUnitId => OrgUnitId;

    public Dictionary<int, string> ValueMap() => Read(Values);

    public static Dictionary<int, string> Read(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<Dictionary<int, string>>(json) ?? [];

    public static string Write(Dictionary<int, string> values) => JsonSerializer.Serialize(values.OrderBy(v => v.Key).ToDictionary());
}

/// <summary>One change of an entry: who (the account's id, not its name), when, the values before and after.</summary>
public sealed class LedgerEntryChange
{
    public long Id { get; set; }
    public long LedgerEntryId { get; set; }
    public int OrgUnitId { get; set; }
    public string? OldValues { get; set; }
    public string? NewValues { get; set; }
    public required string ChangedBy { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
}

public static class LedgerFieldTypes
{
    public static string Name(LedgerFieldType type, IStringLocalizer l) => type switch
    {
        LedgerFieldType.Date => l["Date"],
        LedgerFieldType.Integer => l["Whole number"],
        LedgerFieldType.Decimal => l["Decimal number"],
        LedgerFieldType.Text => l["Text"],
        LedgerFieldType.Option => l["Option set"],
    };
}

internal sealed class LedgerConfiguration : IEntityTypeConfiguration<LedgerKind>, IEntityTypeConfiguration<LedgerField>,
    IEntityTypeConfiguration<LedgerEntry>, IEntityTypeConfiguration<LedgerEntryChange>
{
    public void Configure(EntityTypeBuilder<LedgerKind> kind)
    {
        kind.Ignore(k => k.DateField);
        kind.Property(k => k.Name).HasMaxLength(LedgerKind.MaxNameLength);
        kind.Property(k => k.EnglishName).HasMaxLength(LedgerKind.MaxNameLength);
        kind.HasIndex(k => k.Name).IsUnique();
        kind.HasOne(k => k.OwnerDepartment).WithMany().HasForeignKey(k => k.OwnerDepartmentId).OnDelete(DeleteBehavior.Restrict);
        kind.HasMany(k => k.Fields).WithOne().HasForeignKey(f => f.LedgerKindId).OnDelete(DeleteBehavior.Cascade);
        kind.Property(k => k.RowVersion).IsConcurrencyToken();
    }

    public void Configure(EntityTypeBuilder<LedgerField> field)
    {
        field.Ignore(f => f.OptionList);
        field.Property(f => f.Name).HasMaxLength(LedgerKind.MaxNameLength);
        field.Property(f => f.EnglishName).HasMaxLength(LedgerKind.MaxNameLength);
        field.Property(f => f.Type).HasConversion<string>().HasMaxLength(16);
        field.Property(f => f.Options).HasMaxLength(LedgerField.MaxOptionsLength);
        field.HasIndex(f => new { f.LedgerKindId, f.Position });
    }

    public void Configure(EntityTypeBuilder<LedgerEntry> entry)
    {
        entry.Property(e => e.Values).HasMaxLength(LedgerEntry.MaxValuesLength);
        entry.Property(e => e.CreatedBy).HasMaxLength(256);
        entry.Property(e => e.UpdatedBy).HasMaxLength(256);
        entry.HasOne(e => e.LedgerKind).WithMany().HasForeignKey(e => e.LedgerKindId).OnDelete(DeleteBehavior.Restrict);
        entry.HasOne(e => e.OrgUnit).WithMany().HasForeignKey(e => e.OrgUnitId).OnDelete(DeleteBehavior.Restrict);
        entry.HasIndex(e => new { e.LedgerKindId, e.OrgUnitId, e.OccurredOn });
        entry.Property(e => e.RowVersion).IsConcurrencyToken();
    }

    public void Configure(EntityTypeBuilder<LedgerEntryChange> change)
    {
        change.Property(c => c.OldValues).HasMaxLength(LedgerEntry.MaxValuesLength);
        change.Property(c => c.NewValues).HasMaxLength(LedgerEntry.MaxValuesLength);
        change.Property(c => c.ChangedBy).HasMaxLength(256);
        change.HasIndex(c => c.LedgerEntryId);
    }
}
