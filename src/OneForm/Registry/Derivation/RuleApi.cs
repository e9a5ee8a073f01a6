using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Registry.Derivation;

public sealed record RuleRequest(DerivationCount Counts, int? MinAge, int? MaxAge, Sex? Sex, string? Ethnicities, string? ExcludedEthnicities,
    int? MinHouseholdSize, int? MaxHouseholdSize, string? AttributeCode = null, string? AttributeValue = null);

public sealed record RuleResponse(string Element, string Description, RuleRequest Rule);

public sealed record PreviewResponse(string Element, string Unit, string Period, int Value);

internal static class RuleApi
{
    public static void MapRuleApi(this IEndpointRouteBuilder routes)
    {
        var rules = routes.MapGroup("/api/v1/dictionary/elements/{code}/rule").WithTags("Registry");
        rules.MapGet("/", GetAsync).WithSummary("How a derived element is computed from the registry, in words and as data.")
            .Allow(Operations.DictionaryRead);
        rules.MapPut("/", SetAsync)
            .WithSummary("Set the rule of a derived element (gatekeeper); its values are recomputed at once.")
            .Allow(Operations.DictionaryChange);
        rules.MapGet("/preview", PreviewAsync).WithSummary("The figure the rule gives for a unit (and everything below it) and a period.")
            .Allow(Operations.RulePreview);
    }

    private static RuleRequest Data(DerivationRule r) =>
        new(r.Counts, r.MinAge, r.MaxAge, r.Sex, r.Ethnicities, r.ExcludedEthnicities, r.MinHouseholdSize, r.MaxHouseholdSize, r.AttributeElement?.Code, r.AttributeValue);

    private static async Task<Results<Ok<RuleResponse>, NotFound>> GetAsync(string code, OneFormDbContext db, IStringLocalizer<SharedResource> l)
    {
        var rule = await db.DerivationRules.AsNoTracking().Include(r => r.DataElement).Include(r => r.AttributeElement).SingleOrDefaultAsync(r => r.DataElement!.Code == code);
        return rule is null ? TypedResults.NotFound() : TypedResults.Ok(new RuleResponse(code, RuleText.Describe(rule, l), Data(rule)));
    }

    private static async Task<Results<Ok<RuleResponse>, NotFound, ValidationProblem>> SetAsync(string code, RuleRequest request,
        OneFormDbContext db, IDerivedValues derived, IStringLocalizer<SharedResource> l)
    {
        var element = await db.DataElements.SingleOrDefaultAsync(e => e.Code == code);
        if (element is null)
        {
            return TypedResults.NotFound();
        }
        var (rule, errors) = await RuleEditing.ApplyAsync(db, element, request, l);
        if (rule is null)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var response = new RuleResponse(code, RuleText.Describe(rule, l), Data(rule));
        await derived.RecomputeAsync();
        return TypedResults.Ok(response);
    }

    private static async Task<Results<Ok<PreviewResponse>, NotFound>> PreviewAsync(string code, string unit, string? period,
        ClaimsPrincipal user, OneFormDbContext db, Deriver deriver, DisplayTime time)
    {
        var rule = await db.DerivationRules.AsNoTracking().Include(r => r.DataElement).SingleOrDefaultAsync(r => r.DataElement!.Code == code);
        var target = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(u => u.Code == unit);
        // Out of scope reads as unknown: a count of residents is not for anyone who asks.
        if (rule is null || target is null || !user.Scope().CanPreviewFigures(target, rule.DataElement!.OwnerDepartmentId))
        {
            return TypedResults.NotFound();
        }
        var end = Period.TryParse(period, out var p) ? p.End : time.Today;
        var counts = await deriver.CountAsync(rule, end, db.OrgUnits.InSubtree(target.Path));
        return TypedResults.Ok(new PreviewResponse(code, unit, p == default ? end.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : p.ToString(), counts.Values.Sum()));
    }
}

/// <summary>Checking and saving a rule, shared by the gatekeeper's page and the API.</summary>
public static class RuleEditing
{
    public static async Task<(DerivationRule? Rule, Dictionary<string, string[]> Errors)> ApplyAsync(OneFormDbContext db, DataElement element,
        RuleRequest request, IStringLocalizer l)
    {
        var errors = new Dictionary<string, string[]>();
        if (element.Source != ElementSource.Derived || element.ValueType != ElementValueType.Integer)
        {
            errors["Element"] = [l["Only a whole-number element whose source is 'derived' can have a rule; {0} is not one.", element.Name]];
        }
        if (request.MinAge is < 0 or > 150 || request.MaxAge is < 0 or > 150 || request.MinAge > request.MaxAge)
        {
            errors["Age"] = [l["Ages must be from 0 to 150, the lower not above the upper."]];
        }
        if (request.MinHouseholdSize is < 1 || request.MinHouseholdSize > request.MaxHouseholdSize)
        {
            errors["HouseholdSize"] = [l["Household sizes must be 1 or more, the lower not above the upper."]];
        }
        DataElement? attribute = null;
        if (request.AttributeCode is { Length: > 0 } attributeCode)
        {
            attribute = await db.DataElements.SingleOrDefaultAsync(e => e.Code == attributeCode && e.Source == ElementSource.PersonAttribute);
            if (attribute is null)
            {
                errors["AttributeCode"] = [l["{0} is not a person attribute of the dictionary.", attributeCode]];
            }
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        var rule = await db.DerivationRules.SingleOrDefaultAsync(r => r.DataElementId == element.Id)
            ?? db.DerivationRules.Add(new DerivationRule { DataElementId = element.Id }).Entity;
        (rule.Counts, rule.MinAge, rule.MaxAge, rule.Sex, rule.Ethnicities, rule.ExcludedEthnicities, rule.MinHouseholdSize, rule.MaxHouseholdSize) =
            (request.Counts, request.MinAge, request.MaxAge, request.Sex, request.Ethnicities, request.ExcludedEthnicities, request.MinHouseholdSize, request.MaxHouseholdSize);
        (rule.AttributeElementId, rule.AttributeValue) = (attribute?.Id, attribute is null ? null : request.AttributeValue ?? "true");
        await db.SaveChangesAsync();
        rule.DataElement = element;
        rule.AttributeElement = attribute;
        return (rule, errors);
    }
}

public static class RuleText
{
    /// <summary>A rule in words, for the explanation beside a derived field.</summary>
    public static string Describe(DerivationRule rule, IStringLocalizer l)
    {
        var parts = new List<string>();
        if (rule.MinAge is { } min && rule.MaxAge is { } max)
        {
            parts.Add(l["aged {0} to {1} at the end of the period", min, max]);
        }
        else if (rule.MinAge is { } from)
        {
            parts.Add(l["aged {0} or more at the end of the period", from]);
        }
        else if (rule.MaxAge is { } to)
        {
            parts.Add(l["aged {0} or less at the end of the period", to]);
        }
        if (rule.Sex is { } sex)
        {
            parts.Add(sex == Sex.Male ? l["men"] : l["women"]);
        }
        if (rule.EthnicityList.Count > 0)
        {
            parts.Add(l["of ethnicity {0}", string.Join("、", rule.EthnicityList)]);
        }
        if (rule.ExcludedEthnicityList.Count > 0)
        {
            parts.Add(l["not of ethnicity {0}", string.Join("、", rule.ExcludedEthnicityList)]);
        }
        if (rule.AttributeElement is { } attribute)
        {
            parts.Add(l["whose {0} is {1}", attribute.Name, rule.AttributeValue == "true" ? l["Yes"] : rule.AttributeValue == "false" ? l["No"] : rule.AttributeValue ?? ""]);
        }
        if (rule.MinHouseholdSize is not null || rule.MaxHouseholdSize is not null)
        {
            parts.Add(l["in households of {0} to {1} people", rule.MinHouseholdSize ?? 1, rule.MaxHouseholdSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "∞"]);
        }
        var subject = rule.Counts == DerivationCount.Households ? l["Households"] : l["Residents"];
        return parts.Count == 0
            ? l["{0} in the population registry, counted per village or community.", subject]
            : l["{0} in the population registry, {1}, counted per village or community.", subject, string.Join(l["; "], parts)];
    }
}
