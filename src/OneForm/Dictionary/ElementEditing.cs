using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Data;

namespace OneForm.Dictionary;

/// <summary>
/// A data element as the gatekeeper sends it. The type, the source, whether it is required and how it combines across
/// units and over time are kept as stored when a change leaves them out (a new element: a whole number, typed, optional,
/// summed across units, not combined over time), so a client that does not know a newer field does not reset it.
/// </summary>
public sealed record ElementRequest(string Code, string Name, string? NameEn, string? Synonyms, ElementValueType? ValueType,
    string? Unit, Aggregation? Aggregation, string OwnerDepartmentCode, ElementSource? Source, bool? Required,
    decimal? Min, decimal? Max, string? Pattern, List<ElementOption>? Options, TimeAggregation? TimeAggregation = null,
    string? Formula = null);

public sealed record ElementResponse(string Code, string Name, string? NameEn, string[] Synonyms, string ValueType, string? Unit,
    string Aggregation, string OwnerDepartment, string Source, bool Required, decimal? Min, decimal? Max, string? Pattern,
    IReadOnlyList<ElementOption> Options, bool Retired, string[] Forms, string TimeAggregation, string? Formula = null, string? FormulaDescription = null);

/// <summary>Creating and changing a data element, shared by the gatekeeper's page and the API.</summary>
public static partial class ElementEditing
{
    /// <summary>Checks the request and applies it to <paramref name="element"/> (a new one when null); returns the problems by field.</summary>
    public static async Task<(DataElement? Element, Dictionary<string, string[]> Errors)> ApplyAsync(
        OneFormDbContext db, IElementUses uses, DataElement? element, ElementRequest request, IStringLocalizer l)
    {
        var errors = new Dictionary<string, string[]>();
        var valueType = request.ValueType ?? element?.ValueType ?? ElementValueType.Integer;
        var source = request.Source ?? element?.Source ?? ElementSource.Entered;
        var aggregation = request.Aggregation ?? element?.Aggregation ?? Aggregation.Sum;
        var timeAggregation = request.TimeAggregation ?? element?.TimeAggregation ?? TimeAggregation.None;
        void Problem(string field, string message) => errors[field] = [message];

        var code = request.Code?.Trim().ToUpperInvariant() ?? "";
        var name = request.Name?.Trim() ?? "";
        if (element is null && !CodePattern().IsMatch(code))
        {
            Problem(nameof(request.Code), l["Code '{0}' must start with a letter and use only A-Z, 0-9 and _ (2 to 40 characters).", code]);
        }
        else if (element is null && await db.DataElements.AnyAsync(e => e.Code == code))
        {
            Problem(nameof(request.Code), l["Code '{0}' is already in the dictionary.", code]);
        }
        if (name.Length is 0 or > 100)
        {
            Problem(nameof(request.Name), l["Give the element a name of 1 to 100 characters."]);
        }
        else if (await db.DataElements.AnyAsync(e => e.Name == name && e.Id != (element == null ? 0 : element.Id)))
        {
            Problem(nameof(request.Name), l["An element named '{0}' already exists: use it instead of a second one.", name]);
        }
        var owner = await db.Departments.Where(d => d.Code == request.OwnerDepartmentCode).Select(d => (int?)d.Id).SingleOrDefaultAsync();
        if (owner is null)
        {
            Problem(nameof(request.OwnerDepartmentCode), l["Department '{0}' does not exist.", request.OwnerDepartmentCode ?? ""]);
        }
        foreach (var (field, text, longest) in new (string, string?, int)[] { (nameof(request.Name), request.Name, 100), (nameof(request.NameEn), request.NameEn, 200),
                     (nameof(request.Synonyms), request.Synonyms, 400), (nameof(request.Unit), request.Unit, 20) }
                     .Concat((request.Options ?? []).SelectMany((o, i) => new (string, string?, int)[] { ($"Options[{i}].Code", o.Code, 40), ($"Options[{i}].Label", o.Label, 100) })))
        {
            if (InputRules.Problem(text, field, l) is { } problem)
            {
                Problem(field, problem);
            }
            else if (text?.Trim().Length > longest)
            {
                Problem(field, l["{0} is longer than {1} characters.", field, longest]);
            }
        }
        if (request.Min is { } min && request.Max is { } max && min > max)
        {
            Problem(nameof(request.Max), l["The maximum must not be below the minimum."]);
        }
        if (request.Pattern is { Length: > 0 } pattern && !ValueRules.IsUsablePattern(pattern, DataElement.MaxPatternLength))
        {
            Problem(nameof(request.Pattern), l["The pattern '{0}' is not a valid regular expression of at most {1} characters without look-arounds or back-references.",
                pattern.Length > 100 ? pattern[..100] + "…" : pattern, DataElement.MaxPatternLength]);
        }
        var options = valueType == ElementValueType.OptionSet
            ? (request.Options ?? []).Where(o => !string.IsNullOrWhiteSpace(o.Code)).ToList()
            : [];
        if (valueType == ElementValueType.OptionSet
            && (options.Count < 2 || options.Select(o => o.Code).Distinct().Count() != options.Count || options.Any(o => string.IsNullOrWhiteSpace(o.Label))))
        {
            Problem(nameof(request.Options), l["An option set needs at least two options, each with its own code and a label."]);
        }
        else if (options.Count > 0 && JsonSerializer.Serialize(options, JsonSerializerOptions.Web).Length > 4000)
        {
            Problem(nameof(request.Options), l["{0} is longer than {1} characters.", nameof(request.Options), 4000]);
        }
        // An indicator is its formula: giving one makes the element computed; asking for a computed element without one is a mistake.
        var formula = string.IsNullOrWhiteSpace(request.Formula) ? null : request.Formula.Trim();
        if (formula is not null)
        {
            if (valueType is not (ElementValueType.Integer or ElementValueType.Decimal))
            {
                Problem(nameof(request.Formula), l["Only a number can be computed by a formula: choose a whole or a decimal number."]);
            }
            else if (formula.Length > DataElement.MaxFormulaLength)
            {
                Problem(nameof(request.Formula), l["A formula may have at most {0} characters.", DataElement.MaxFormulaLength]);
            }
            else if (await ElementFormulas.ProblemAsync(db, element?.Code ?? code, formula, l) is { } badFormula)
            {
                Problem(nameof(request.Formula), badFormula);
            }
        }
        else if (source == ElementSource.Formula)
        {
            Problem(nameof(request.Formula), l["An element computed by a formula needs its formula, for example DISPUTES_MEDIATED / DISPUTES_SCREENED * 100."]);
        }
        if (element is not null && element.ValueType != valueType
            && await uses.HoldsValuesAsync(element.Id))
        {
            Problem(nameof(request.ValueType), l["{0} already holds values, so its type cannot change; create a new element instead.", element.Name]);
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        element ??= db.DataElements.Add(new DataElement { Code = code, Name = name }).Entity;
        var numeric = valueType is ElementValueType.Integer or ElementValueType.Decimal;
        element.Name = name;
        element.NameEn = string.IsNullOrWhiteSpace(request.NameEn) ? null : request.NameEn.Trim();
        element.Synonyms = string.Join(';', (request.Synonyms ?? "").Split([';', '；', ',', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        element.ValueType = valueType;
        element.Unit = string.IsNullOrWhiteSpace(request.Unit) ? null : request.Unit.Trim();
        // Only numbers add up; whatever was asked, text, dates and choices are never summed.
        element.Aggregation = numeric ? aggregation : Aggregation.None;
        // Any value can be carried as the latest; only numbers add up or average.
        element.TimeAggregation = numeric || timeAggregation is TimeAggregation.Last or TimeAggregation.None ? timeAggregation : TimeAggregation.None;
        element.OwnerDepartmentId = owner!.Value;
        element.Formula = formula;
        element.Source = formula is null ? source : ElementSource.Formula;
        if (formula is not null)
        {
            // Computed, never combined: at any level and over any period it is its formula over the parts' figures there.
            (element.Aggregation, element.TimeAggregation) = (Aggregation.None, TimeAggregation.None);
        }
        element.Required = request.Required ?? element.Required;
        (element.Min, element.Max) = numeric ? (request.Min, request.Max) : (null, null);
        element.Pattern = valueType == ElementValueType.Text && !string.IsNullOrWhiteSpace(request.Pattern) ? request.Pattern : null;
        element.OptionsJson = options.Count > 0 ? JsonSerializer.Serialize(options, JsonSerializerOptions.Web) : null;
        return (element, errors);
    }

    /// <summary>Elements whose code, name or synonyms contain the term.</summary>
    public static IQueryable<DataElement> Search(this IQueryable<DataElement> elements, string? term)
    {
        if (string.IsNullOrWhiteSpace(term))
        {
            return elements;
        }
        var t = term.Trim();
        var upper = t.ToUpperInvariant();
        return elements.Where(e => e.Code.Contains(upper) || e.Name.Contains(t) || e.Synonyms.Contains(t) || (e.NameEn != null && e.NameEn.Contains(t)));
    }

    [GeneratedRegex("^[A-Z][A-Z0-9_]{1,39}$")]
    private static partial Regex CodePattern();
}
