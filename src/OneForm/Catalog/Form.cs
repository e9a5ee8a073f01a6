using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Organization;

namespace OneForm.Catalog;

public enum FormCategory
{
    PartyBuilding,
    Livelihood,
    SafetyGovernance,
    Development,
}

public enum FormStatus
{
    Draft,
    Admitted,
    Retired,
}

/// <summary>
/// A form (表格): an arrangement of data elements in sections. Once admitted its structure is frozen;
/// a change makes a new version with the same code.
/// </summary>
public sealed class Form : IAudited, IHasRowVersion
{
    public int Id { get; set; }
    public required string Code { get; set; }
    public int Version { get; set; } = 1;
    public required string Name { get; set; }
    public string? NameEn { get; set; }
    public FormCategory Category { get; set; }
    public ReportingCycle Cycle { get; set; }
    public int IssuingDepartmentId { get; set; }
    public Department? IssuingDepartment { get; set; }

    /// <summary>The designer (制表人), held responsible for the form with its issuer.</summary>
    public required string Designer { get; set; }

    public FormStatus Status { get; set; }
    public string? AdmissionCode { get; set; }
    public DateOnly? ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }

    /// <summary>Days after a period ends by which its tasks are due.</summary>
    public int DeadlineDays { get; set; } = 10;

    /// <summary>The levels of the tree that fill the form, such as <c>Village</c>, separated by ','.</summary>
    public string TargetLevels { get; set; } = nameof(OrgUnitLevel.Village);

    /// <summary>When set, only the units of these levels below this path fill the form (a county's own form, say).</summary>
    public string? TargetSubtreePath { get; set; }

    /// <summary>When set, only the units of these levels that belong to one of these unit groups (codes, separated by ',') fill the form.</summary>
    public string? TargetGroups { get; set; }

    public List<FormSection> Sections { get; set; } = [];
    public uint RowVersion { get; set; }

    int? IAudited.AuditOrgUnitId => null;

    public IReadOnlyList<OrgUnitLevel> Levels =>
        TargetLevels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(Enum.Parse<OrgUnitLevel>).ToList();

    public IReadOnlyList<string> Groups =>
        (TargetGroups ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    public string DisplayName(System.Globalization.CultureInfo culture) =>
        culture.TwoLetterISOLanguageName == "zh" || string.IsNullOrEmpty(NameEn) ? Name : NameEn;

    /// <summary>The fields that hold one value for the unit (roster columns hold one per resident).</summary>
    public IEnumerable<FormField> Fields => Sections.Where(s => s.Kind == SectionKind.Fields).OrderBy(s => s.Order).SelectMany(s => s.Fields.OrderBy(f => f.Order));
}

public enum SectionKind
{
    Fields,

    /// <summary>One row per resident matching a rule (added with the registry).</summary>
    Roster,
}

public sealed class FormSection
{
    public int Id { get; set; }
    public int FormId { get; set; }
    public int Order { get; set; }
    public required string Title { get; set; }
    public string? TitleEn { get; set; }
    public SectionKind Kind { get; set; }
    public List<FormField> Fields { get; set; } = [];

    // A roster lists the unit's residents that match: aged from/to at the period's end, and with a person attribute.
    public int? RosterMinAge { get; set; }
    public int? RosterMaxAge { get; set; }
    public int? RosterAttributeElementId { get; set; }
    public string? RosterAttributeValue { get; set; }

    /// <summary>Whom this roster section lists and the attributes its columns show.</summary>
    public Registry.RosterQuery Roster() =>
        new(RosterMinAge, RosterMaxAge, RosterAttributeElementId, RosterAttributeValue, Fields.Select(f => f.DataElementId).ToList());

    public string DisplayTitle(System.Globalization.CultureInfo culture) =>
        culture.TwoLetterISOLanguageName == "zh" || string.IsNullOrEmpty(TitleEn) ? Title : TitleEn;
}

public sealed class FormField
{
    public int Id { get; set; }
    public int SectionId { get; set; }
    public int Order { get; set; }
    public int DataElementId { get; set; }
    public DataElement? DataElement { get; set; }
}

internal sealed class FormConfiguration : IEntityTypeConfiguration<Form>
{
    public void Configure(EntityTypeBuilder<Form> form)
    {
        form.Property(f => f.Code).HasMaxLength(40);
        form.HasIndex(f => new { f.Code, f.Version }).IsUnique();
        form.Property(f => f.Name).HasMaxLength(200);
        form.Property(f => f.NameEn).HasMaxLength(300);
        form.Property(f => f.Category).HasConversion<string>().HasMaxLength(24);
        form.Property(f => f.Cycle).HasConversion<string>().HasMaxLength(16);
        form.Property(f => f.Status).HasConversion<string>().HasMaxLength(16);
        form.Property(f => f.Designer).HasMaxLength(100);
        form.Property(f => f.AdmissionCode).HasMaxLength(40);
        form.HasIndex(f => f.AdmissionCode);
        form.Property(f => f.TargetLevels).HasMaxLength(100);
        form.Property(f => f.TargetSubtreePath).HasMaxLength(200);
        form.Property(f => f.TargetGroups).HasMaxLength(200);
        form.HasOne(f => f.IssuingDepartment).WithMany().HasForeignKey(f => f.IssuingDepartmentId).OnDelete(DeleteBehavior.Restrict);
        form.HasMany(f => f.Sections).WithOne().HasForeignKey(s => s.FormId).OnDelete(DeleteBehavior.Cascade);
        form.Property(f => f.RowVersion).IsConcurrencyToken();
        form.Ignore(f => f.Levels);
        form.Ignore(f => f.Groups);
        form.Ignore(f => f.Fields);
    }
}

internal sealed class FormSectionConfiguration : IEntityTypeConfiguration<FormSection>
{
    public void Configure(EntityTypeBuilder<FormSection> section)
    {
        section.Property(s => s.Title).HasMaxLength(200);
        section.Property(s => s.TitleEn).HasMaxLength(300);
        section.Property(s => s.Kind).HasConversion<string>().HasMaxLength(16);
        section.HasMany(s => s.Fields).WithOne().HasForeignKey(f => f.SectionId).OnDelete(DeleteBehavior.Cascade);
        section.Property(s => s.RosterAttributeValue).HasMaxLength(200);
    }
}

internal sealed class FormFieldConfiguration : IEntityTypeConfiguration<FormField>
{
    public void Configure(EntityTypeBuilder<FormField> field) =>
        field.HasOne(f => f.DataElement).WithMany().HasForeignKey(f => f.DataElementId).OnDelete(DeleteBehavior.Restrict);
}
