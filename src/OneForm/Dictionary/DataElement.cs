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

/// <summary>
/// How an element's values combine over time, beside <see cref="Aggregation"/> across units (DHIS2 keeps the two apart
/// the same way): a quarter's value from its months, a year's from its quarters.
/// </summary>
public enum TimeAggregation
{
    /// <summary>Not combined: each period's value is asked on its own (text, ratings, one-off answers).</summary>
    None,

    /// <summary>A flow: the longer period's value is the sum of its parts (disputes handled, meetings held).</summary>
    Sum,

    /// <summary>A stock: the longer period's value is the latest part's (party members, households at the period's end).</summary>
    Last,

    /// <summary>The average of the parts.</summary>
    Average,
}

/// <summary>The Chinese (or English) names a page shows for an element's type, aggregation and source, never the enum's.</summary>
public static class ElementNames
{
    public static string ValueType(ElementValueType type, Microsoft.Extensions.Localization.IStringLocalizer l) => type switch
    {
        ElementValueType.Integer => l["Whole number"],
        ElementValueType.Decimal => l["Decimal number"],
        ElementValueType.Date => l["Date"],
        ElementValueType.YesNo => l["Yes or no"],
        ElementValueType.OptionSet => l["Choice from a list"],
        ElementValueType.Text => l["Text"],
    };

    public static string Aggregation(Aggregation aggregation, Microsoft.Extensions.Localization.IStringLocalizer l) => aggregation switch
    {
        Dictionary.Aggregation.Sum => l["Summed over units"],
        Dictionary.Aggregation.Average => l["Averaged over units"],
        Dictionary.Aggregation.None => l["Not combined over units"],
    };

    public static string Source(ElementSource source, Microsoft.Extensions.Localization.IStringLocalizer l) => source switch
    {
        ElementSource.Derived => l["Derived from the population registry"],
        ElementSource.PersonAttribute => l["An attribute of each resident (roster column)"],
        ElementSource.Formula => l["Computed by a formula"],
        ElementSource.Entered => l["Typed by units"],
    };
}

public static class TimeAggregations
{
    public static string Name(TimeAggregation aggregation, Microsoft.Extensions.Localization.IStringLocalizer l) => aggregation switch
    {
        TimeAggregation.Sum => l["Added up over the period (a flow)"],
        TimeAggregation.Last => l["The latest value (a stock at the period's end)"],
        TimeAggregation.Average => l["Averaged over the period"],
        TimeAggregation.None => l["Asked for each period"],
    };
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

    /// <summary>An indicator: a formula over other elements (<see cref="DataElement.Formula"/>), never typed.</summary>
    Formula,
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
    public const int MaxFormulaLength = 400;

    public int Id { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public string? NameEn { get; set; }

    /// <summary>Other names people search by, separated by ';'.</summary>
    public string Synonyms { get; set; } = "";

    public ElementValueType ValueType { get; set; }
    public string? Unit { get; set; }
    public Aggregation Aggregation { get; set; }

    /// <summary>How values combine over time; a longer period's value is computed from shorter ones where a unit has them.</summary>
    public TimeAggregation TimeAggregation { get; set; }

    /// <summary>An indicator's formula over other elements' codes (e.g. <c>100 * MEDIATED_OK / MEDIATED</c>); null for
    /// elements that hold values of their own.</summary>
    public string? Formula { get; set; }
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
        element.Property(e => e.TimeAggregation).HasConversion<string>().HasMaxLength(16);
        element.Property(e => e.Source).HasConversion<string>().HasMaxLength(16);
        element.Property(e => e.Min).HasPrecision(18, 4);
        element.Property(e => e.Max).HasPrecision(18, 4);
        element.Property(e => e.Pattern).HasMaxLength(DataElement.MaxPatternLength);
        element.Property(e => e.OptionsJson).HasMaxLength(4000);
        element.Property(e => e.Formula).HasMaxLength(DataElement.MaxFormulaLength);
        element.HasOne(e => e.OwnerDepartment).WithMany().HasForeignKey(e => e.OwnerDepartmentId).OnDelete(DeleteBehavior.Restrict);
        element.Property(e => e.RowVersion).IsConcurrencyToken();
        element.Ignore(e => e.Options);
        element.Ignore(e => e.SynonymList);
    }
}
