using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneForm.Data;
using OneForm.Organization;

namespace OneForm.Dictionary;

public enum ElementValueType
{
    Integer,
    Decimal,
    Text,
    Date,
    YesNo,
    OptionSet,
}

public enum Aggregation
{
    Sum,
    Average,
    None,
}

/// <summary>Where an element's values come from.</summary>
public enum ElementSource
{
    /// <summary>Typed by units in a form.</summary>
    Entered,

    /// <summary>Computed from base data (the registry) by a rule.</summary>
    Derived,

    /// <summary>A column of a roster: an attribute of each resident.</summary>
    PersonAttribute,
}

public sealed record ElementOption(string Code, string Label, string? LabelEn);

/// <summary>
/// A data element (指标): the unit of "enter once". Values are kept per element, unit and period, never per form,
/// so every form that contains the element shares its value.
/// </summary>
public sealed class DataElement : IAudited, IHasRowVersion
{
    public const int MaxCodeLength = 40;
    public const int MaxPatternLength = 200;

    public int Id { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public string? NameEn { get; set; }

    /// <summary>Other names people search by, separated by ';'.</summary>
    public string Synonyms { get; set; } = "";

    public ElementValueType ValueType { get; set; }
    public string? Unit { get; set; }
    public Aggregation Aggregation { get; set; }
    public int OwnerDepartmentId { get; set; }
    public Department? OwnerDepartment { get; set; }
    public ElementSource Source { get; set; }
    public bool Required { get; set; }
    public decimal? Min { get; set; }
    public decimal? Max { get; set; }
    public string? Pattern { get; set; }

    /// <summary>The choices of an option set, as JSON.</summary>
    public string? OptionsJson { get; set; }

    public bool IsRetired { get; set; }
    public uint RowVersion { get; set; }

    int? IAudited.AuditOrgUnitId => null;

    public IReadOnlyList<ElementOption> Options =>
        OptionsJson is null ? [] : JsonSerializer.Deserialize<List<ElementOption>>(OptionsJson, JsonSerializerOptions.Web) ?? [];

    public IEnumerable<string> SynonymList => Synonyms.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public string DisplayName(System.Globalization.CultureInfo culture) =>
        culture.TwoLetterISOLanguageName == "zh" || string.IsNullOrEmpty(NameEn) ? Name : NameEn;

    public bool IsNumeric => ValueType is ElementValueType.Integer or ElementValueType.Decimal;
}

internal sealed class DataElementConfiguration : IEntityTypeConfiguration<DataElement>
{
    public void Configure(EntityTypeBuilder<DataElement> element)
    {
        element.Property(e => e.Code).HasMaxLength(DataElement.MaxCodeLength);
        element.HasIndex(e => e.Code).IsUnique();
        element.Property(e => e.Name).HasMaxLength(100);
        element.HasIndex(e => e.Name);
        element.Property(e => e.NameEn).HasMaxLength(200);
        element.Property(e => e.Synonyms).HasMaxLength(400);
        element.Property(e => e.ValueType).HasConversion<string>().HasMaxLength(16);
        element.Property(e => e.Unit).HasMaxLength(20);
        element.Property(e => e.Aggregation).HasConversion<string>().HasMaxLength(16);
        element.Property(e => e.Source).HasConversion<string>().HasMaxLength(16);
        element.Property(e => e.Min).HasPrecision(18, 4);
        element.Property(e => e.Max).HasPrecision(18, 4);
        element.Property(e => e.Pattern).HasMaxLength(DataElement.MaxPatternLength);
        element.Property(e => e.OptionsJson).HasMaxLength(4000);
        element.HasOne(e => e.OwnerDepartment).WithMany().HasForeignKey(e => e.OwnerDepartmentId).OnDelete(DeleteBehavior.Restrict);
        element.Property(e => e.RowVersion).IsConcurrencyToken();
        element.Ignore(e => e.Options);
        element.Ignore(e => e.SynonymList);
    }
}
