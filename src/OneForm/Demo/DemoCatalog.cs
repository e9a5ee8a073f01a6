using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using OneForm.Catalog;
using OneForm.Catalog.Inventory;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Dictionary.Validation;
using OneForm.Organization;

namespace OneForm.Demo;

/// <summary>
/// The demo catalogue from <c>data/catalog/</c>: the shared dictionary, Changji's 21 admitted forms and the
/// legacy inventory of the 313 forms before them. Loaded once, when the catalogue is empty.
/// </summary>
internal sealed class DemoCatalog(OneFormDbContext db, LegacyInventoryImporter inventory, ILogger<DemoCatalog> log,
    Microsoft.Extensions.Localization.IStringLocalizer<Localization.SharedResource> l)
{
    public const string Folder = "data/catalog";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private sealed record ElementSeed(string Code, string Name, string? NameEn, string[]? Synonyms, ElementValueType ValueType,
        string? Unit, Aggregation Aggregation, string Owner, ElementSource Source, bool Required, decimal? Min, decimal? Max,
        string? Pattern, ElementOption[]? Options, TimeAggregation OverTime = TimeAggregation.None, string? Formula = null);

    private sealed record RosterSeed(int? MinAge, int? MaxAge);

    private sealed record SectionSeed(string Title, string? TitleEn, string[] Elements, RosterSeed? Roster);

    private sealed record FormSeed(string Code, string Name, string? NameEn, FormCategory Category, ReportingCycle Cycle,
        string Issuer, string Designer, string AdmissionCode, int DeadlineDays, string[] TargetLevels, string[]? TargetGroups, SectionSeed[] Sections);

    public async Task SeedAsync(DateOnly validFrom, CancellationToken cancellationToken = default)
    {
        if (await db.Forms.AnyAsync(cancellationToken))
        {
            return;
        }
        var folder = Path.Combine(AppContext.BaseDirectory, Folder);
        var departments = await db.Departments.ToDictionaryAsync(d => d.Code, d => d.Id, cancellationToken);

        var elements = JsonSerializer.Deserialize<ElementSeed[]>(await File.ReadAllTextAsync(Path.Combine(folder, "elements.json"), cancellationToken), Json)!;
        var byCode = elements.Select(e => new DataElement
        {
            Code = e.Code,
            Name = e.Name,
            NameEn = e.NameEn,
            Synonyms = string.Join(';', e.Synonyms ?? []),
            ValueType = e.ValueType,
            Unit = e.Unit,
            Aggregation = e.Aggregation,
            TimeAggregation = e.OverTime,
            OwnerDepartmentId = departments[e.Owner],
            Source = e.Source,
            Required = e.Required,
            Min = e.Min,
            Max = e.Max,
            Pattern = e.Pattern,
            OptionsJson = e.Options is { Length: > 0 } options ? JsonSerializer.Serialize(options, JsonSerializerOptions.Web) : null,
            Formula = e.Formula,
        }).ToDictionary(e => e.Code);
        db.DataElements.AddRange(byCode.Values);
        await db.SaveChangesAsync(cancellationToken);

        // The indicators, through the gatekeeper's checks: a formula naming a code that does not exist, or going round, fails the seed.
        foreach (var indicator in byCode.Values.Where(e => e.Formula is not null))
        {
            var problem = indicator.Source != ElementSource.Formula ? "its source must be Formula"
                : await ElementFormulas.ProblemAsync(db, indicator.Code, indicator.Formula!, l, cancellationToken);
            if (problem is not null)
            {
                throw new InvalidOperationException($"Demo indicator {indicator.Code}: {problem}");
            }
        }

        var forms = JsonSerializer.Deserialize<FormSeed[]>(await File.ReadAllTextAsync(Path.Combine(folder, "forms.json"), cancellationToken), Json)!;
        foreach (var seed in forms)
        {
            db.Forms.Add(new Form
            {
                Code = seed.Code,
                Name = seed.Name,
                NameEn = seed.NameEn,
                Category = seed.Category,
                Cycle = seed.Cycle,
                IssuingDepartmentId = departments[seed.Issuer],
                Designer = seed.Designer,
                Status = FormStatus.Admitted,
                AdmissionCode = seed.AdmissionCode,
                // A one-off survey reports once, this year; the rest have been in force since the given day.
                ValidFrom = seed.Cycle == ReportingCycle.OneOff ? new DateOnly(validFrom.Year + 1, 1, 1) : validFrom,
                DeadlineDays = seed.DeadlineDays,
                TargetLevels = string.Join(',', seed.TargetLevels.Select(Enum.Parse<OrgUnitLevel>)),
                TargetGroups = seed.TargetGroups is { Length: > 0 } groups ? string.Join(',', groups) : null,
                Sections = seed.Sections.Select((s, i) => new FormSection
                {
                    Order = i + 1,
                    Title = s.Title,
                    TitleEn = s.TitleEn,
                    Fields = s.Elements.Select((code, j) => new FormField { Order = j + 1, DataElement = byCode[code] }).ToList(),
                    Kind = s.Roster is null ? SectionKind.Fields : SectionKind.Roster,
                    RosterMinAge = s.Roster?.MinAge,
                    RosterMaxAge = s.Roster?.MaxAge,
                }).ToList(),
            });
        }
        await db.SaveChangesAsync(cancellationToken);

        // The checks across fields, through the same checks as the gatekeeper's: a rule naming a code that does not exist fails the seed.
        var rules = JsonSerializer.Deserialize<ValidationRuleRequest[]>(await File.ReadAllTextAsync(Path.Combine(folder, "validation-rules.json"), cancellationToken), Json)!;
        foreach (var request in rules)
        {
            var (rule, errors) = await ValidationRules.ApplyAsync(db, null, request, l, cancellationToken);
            db.ValidationRules.Add(rule ?? throw new InvalidOperationException($"Demo rule {request.Name}: {string.Join(" ", errors.SelectMany(e => e.Value))}"));
            await db.SaveChangesAsync(cancellationToken);
        }

        await using var legacy = File.OpenRead(Path.Combine(folder, "legacy-inventory.csv"));
        var report = await inventory.ImportAsync(legacy, isCsv: true, cancellationToken);
        log.LogInformation("Demo catalogue: {Elements} elements, {Forms} forms, {Rules} validation rules, {Legacy} legacy forms ({Rejected} rejected)",
            byCode.Count, forms.Length, rules.Length, report.Added, report.Rejected.Count);
    }
}
