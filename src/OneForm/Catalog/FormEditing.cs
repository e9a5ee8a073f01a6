using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Organization;

namespace OneForm.Catalog;

public sealed record SectionRequest(string Title, string? TitleEn, IReadOnlyList<string> Elements, RosterRequest? Roster = null);

/// <summary>Makes a section a roster (名单): the unit's residents aged from/to at the period's end, optionally with a person attribute.</summary>
public sealed record RosterRequest(int? MinAge, int? MaxAge, string? AttributeCode, string? AttributeValue);

public sealed record FormRequest(string Code, string Name, string? NameEn, FormCategory Category, ReportingCycle Cycle,
    string IssuerDepartmentCode, string Designer, int DeadlineDays, IReadOnlyList<OrgUnitLevel> TargetLevels,
    IReadOnlyList<SectionRequest> Sections, IReadOnlyList<string>? TargetGroups = null);

/// <summary>
/// Drafting and admitting forms. Only a draft changes; admitting freezes it, issues its admission code and retires
/// the version it replaces. (The admission issue puts a review before this step.)
/// </summary>
public static class FormEditing
{
    public static async Task<Dictionary<string, string[]>> ApplyDraftAsync(OneFormDbContext db, Form? draft, FormRequest request, IStringLocalizer l)
    {
        var errors = new Dictionary<string, string[]>();
        var code = request.Code?.Trim().ToUpperInvariant() ?? "";
        if (draft is null && (code.Length is < 2 or > 40 || !code.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')))
        {
            errors[nameof(request.Code)] = [l["Form code '{0}' must have 2 to 40 letters, digits and -.", code]];
        }
        else if (draft is null && await db.Forms.AnyAsync(f => f.Code == code))
        {
            errors[nameof(request.Code)] = [l["Form code '{0}' is taken; start a new version of that form instead.", code]];
        }
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > 200)
        {
            errors[nameof(request.Name)] = [l["Give the form a name of 1 to 200 characters."]];
        }
        if (string.IsNullOrWhiteSpace(request.Designer) || request.Designer.Trim().Length > 100)
        {
            errors[nameof(request.Designer)] = [l["Name the designer (制表人), who answers for the form with its issuer."]];
        }
        if (request.DeadlineDays is < 0 or > 366)
        {
            errors[nameof(request.DeadlineDays)] = [l["The deadline must be 0 to 366 days after the period ends."]];
        }
        var issuer = await db.Departments.Where(d => d.Code == request.IssuerDepartmentCode).Select(d => (int?)d.Id).SingleOrDefaultAsync();
        if (issuer is null)
        {
            errors[nameof(request.IssuerDepartmentCode)] = [l["Department '{0}' does not exist.", request.IssuerDepartmentCode ?? ""]];
        }
        if (request.TargetLevels is not { Count: > 0 })
        {
            errors[nameof(request.TargetLevels)] = [l["Say which levels of the tree fill the form."]];
        }
        var groups = (request.TargetGroups ?? []).Select(g => g.Trim()).Where(g => g.Length > 0).Distinct().ToList();
        if (groups.Count > 0)
        {
            var known = (await UnitGroupQueries.ByCodesAsync(db, groups)).Select(g => g.Code).ToList();
            if (groups.FirstOrDefault(g => !known.Contains(g)) is { } unknownGroup)
            {
                errors[nameof(request.TargetGroups)] = [l["Unit group '{0}' does not exist.", unknownGroup]];
            }
        }
        var codes = (request.Sections ?? []).SelectMany(s => s.Elements ?? []).ToList();
        var found = await db.DataElements.Where(e => codes.Contains(e.Code) && !e.IsRetired).ToListAsync();
        var elements = found.ToDictionary(e => e.Code, e => e.Id);
        var attributeCodes = (request.Sections ?? []).Select(s => s.Roster?.AttributeCode).OfType<string>().ToList();
        var rosterAttributes = await db.DataElements.Where(e => attributeCodes.Contains(e.Code) && e.Source == Dictionary.ElementSource.PersonAttribute)
            .ToDictionaryAsync(e => e.Code, e => e.Id);
        if (request.Sections is not { Count: > 0 } || codes.Count == 0)
        {
            errors[nameof(request.Sections)] = [l["A form needs at least one section with at least one data element."]];
        }
        else if (codes.FirstOrDefault(c => !elements.ContainsKey(c)) is { } unknown)
        {
            errors[nameof(request.Sections)] = [l["{0} is not an element of the dictionary (or it is retired).", unknown]];
        }
        else if (codes.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            errors[nameof(request.Sections)] = [l["{0} appears twice in the form.", twice.Key]];
        }
        else if (request.Sections.FirstOrDefault(s => (s.Roster is null) == s.Elements.Any(c => found.Single(e => e.Code == c).Source == Dictionary.ElementSource.PersonAttribute))
                 is { } mixed)
        {
            errors[nameof(request.Sections)] = [l["Section {0}: a roster's columns are person attributes, and only a roster has them.", mixed.Title]];
        }
        else if (attributeCodes.FirstOrDefault(c => !rosterAttributes.ContainsKey(c)) is { } unknownAttribute)
        {
            errors[nameof(request.Sections)] = [l["{0} is not a person attribute of the dictionary.", unknownAttribute]];
        }
        foreach (var (section, i) in (request.Sections ?? []).Select((s, i) => (s, i)))
        {
            if (section.Roster is { } roster && Registry.ResidentFilters.AgeProblem(roster.MinAge, roster.MaxAge, l,
                    $"Sections[{i}].Roster.MinAge", $"Sections[{i}].Roster.MaxAge") is { } ages)
            {
                errors[ages.Field] = [ages.Message];
            }
            if ((section.Title?.Trim().Length ?? 0) > 200 || (section.TitleEn?.Trim().Length ?? 0) > 200)
            {
                errors[$"Sections[{i}].Title"] = [l["Section {0}: the title is longer than {1} characters.", i + 1, 200]];
            }
        }
        foreach (var (field, text) in new[] { (nameof(request.Name), request.Name), (nameof(request.NameEn), request.NameEn), (nameof(request.Designer), request.Designer) }
                     .Concat((request.Sections ?? []).SelectMany((s, i) => new[] { ($"Sections[{i}].Title", s.Title), ($"Sections[{i}].TitleEn", s.TitleEn) })))
        {
            if (InputRules.Problem(text, field, l) is { } problem)
            {
                errors[field] = [problem];
            }
        }
        if ((request.NameEn?.Trim().Length ?? 0) > 200)
        {
            errors[nameof(request.NameEn)] = [l["{0} is longer than {1} characters.", nameof(request.NameEn), 200]];
        }
        if (errors.Count > 0)
        {
            return errors;
        }

        if (draft is null)
        {
            draft = new Form { Code = code, Name = "", Designer = "", Status = FormStatus.Draft };
            db.Forms.Add(draft);
        }
        else
        {
            db.FormSections.RemoveRange(draft.Sections);
        }
        draft.Name = request.Name.Trim();
        draft.NameEn = string.IsNullOrWhiteSpace(request.NameEn) ? null : request.NameEn.Trim();
        draft.Category = request.Category;
        draft.Cycle = request.Cycle;
        draft.IssuingDepartmentId = issuer!.Value;
        draft.Designer = request.Designer.Trim();
        draft.DeadlineDays = request.DeadlineDays;
        draft.TargetLevels = string.Join(',', request.TargetLevels.Distinct());
        draft.TargetGroups = groups.Count > 0 ? string.Join(',', groups) : null;
        draft.Sections = request.Sections!.Select((s, i) => new FormSection
        {
            Order = i + 1,
            Title = s.Title?.Trim() is { Length: > 0 } title ? title : (i + 1).ToString(CultureInfo.InvariantCulture),
            TitleEn = s.TitleEn?.Trim(),
            Fields = s.Elements.Select((c, j) => new FormField { Order = j + 1, DataElementId = elements[c] }).ToList(),
            Kind = s.Roster is null ? SectionKind.Fields : SectionKind.Roster,
            RosterMinAge = s.Roster?.MinAge,
            RosterMaxAge = s.Roster?.MaxAge,
            RosterAttributeElementId = s.Roster?.AttributeCode is { } a ? rosterAttributes[a] : null,
            RosterAttributeValue = s.Roster?.AttributeCode is null ? null : s.Roster.AttributeValue ?? "true",
        }).ToList();
        return errors;
    }

    /// <summary>Admits a draft: its structure is frozen from now on, and the version it replaces is retired.</summary>
    public static async Task AdmitAsync(OneFormDbContext db, Form draft, DateOnly today, string codePrefix)
    {
        var year = today.Year.ToString(CultureInfo.InvariantCulture);
        var issued = await db.Forms.Where(f => f.AdmissionCode != null && f.AdmissionCode.StartsWith(codePrefix + "-" + year + "-"))
            .Select(f => f.AdmissionCode!).ToListAsync();
        var next = issued.Select(c => int.TryParse(c[(c.LastIndexOf('-') + 1)..], out var n) ? n : 0).DefaultIfEmpty(0).Max() + 1;
        foreach (var previous in await db.Forms.Where(f => f.Code == draft.Code && f.Status == FormStatus.Admitted).ToListAsync())
        {
            previous.Status = FormStatus.Retired;
            previous.ValidTo = today.AddDays(-1);
        }
        draft.Status = FormStatus.Admitted;
        draft.AdmissionCode = $"{codePrefix}-{year}-{next:000}";
        draft.ValidFrom = today;
    }
}
