using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Dictionary.Validation;

/// <param name="Periods">The periods checked.</param>
/// <param name="Truncated">More units break the rules than the answer lists; narrow the run by unit.</param>
public sealed record ValidationRunResponse(IReadOnlyList<string> Periods, IReadOnlyList<UnitViolation> Violations, bool Truncated);

internal static class ValidationRulesApi
{
    /// <summary>A run lists at most this many broken rules; narrow it by unit or period for more.</summary>
    public const int RunLimit = 1000;

    public static void MapValidationRulesApi(this IEndpointRouteBuilder routes)
    {
        var rules = routes.MapGroup("/api/v1/dictionary/validation-rules").WithTags("Dictionary");
        rules.MapGet("/", ListAsync).WithSummary("The checks across fields (validation rules), each with its sides in words.")
            .Allow(Operations.DictionaryRead);
        rules.MapGet("/{id:int}", GetAsync).WithSummary("One validation rule.")
            .Allow(Operations.DictionaryRead);
        rules.MapPost("/", CreateAsync)
            .WithSummary("Add a validation rule (gatekeeper): left and right expressions over element codes, numbers, + - * / and parentheses, " +
                "CODE[-1] for the previous period; operator <= < = >= > !=; importance Error (blocks submission) or Warning (needs a reason).")
            .WithDescription("`message` (Chinese) and `messageEn` may use {left}, {leftValue}, {right} and {rightValue}; without them a standard message names both sides and their values.")
            .Allow(Operations.DictionaryChange);
        rules.MapPut("/{id:int}", UpdateAsync).WithSummary("Change a validation rule (gatekeeper).")
            .Allow(Operations.DictionaryChange);
        rules.MapDelete("/{id:int}", DeleteAsync).WithSummary("Remove a validation rule (gatekeeper).")
            .Allow(Operations.DictionaryChange);
        rules.MapPost("/{id:int}/test", TestAsync)
            .WithSummary("Run one rule against the values already held: the units in the caller's scope whose values break it (all periods held, or period=).")
            .Allow(Operations.ValidationRun);
        rules.MapPost("/test", TryAsync)
            .WithSummary("Run a rule that is not saved yet against the values already held, to see what it would catch.")
            .Allow(Operations.DictionaryChange);
        rules.MapGet("/run", RunAsync)
            .WithSummary("The validation run: the units in the caller's scope (a reviewer's subtree, a department's own and granted elements) whose values for a period break which rules.")
            .Allow(Operations.ValidationRun);
    }

    private static async Task<Ok<List<ValidationRuleResponse>>> ListAsync(OneFormDbContext db, IStringLocalizer<SharedResource> l)
    {
        var all = await db.ValidationRules.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
        var parsed = ValidationRules.Parse(all, l).ToDictionary(r => r.Rule.Id);
        var elements = await ValidationRules.ElementsAsync(db, parsed.Values);
        return TypedResults.Ok(all.Select(r => ValidationRules.Response(r, parsed.GetValueOrDefault(r.Id), elements, l)).ToList());
    }

    private static async Task<Results<Ok<ValidationRuleResponse>, NotFound>> GetAsync(int id, OneFormDbContext db, IStringLocalizer<SharedResource> l) =>
        await db.ValidationRules.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id) is { } rule
            ? TypedResults.Ok(await ValidationRules.ResponseAsync(db, rule, l))
            : TypedResults.NotFound();

    private static async Task<Results<Created<ValidationRuleResponse>, ValidationProblem>> CreateAsync(ValidationRuleRequest request, OneFormDbContext db,
        IStringLocalizer<SharedResource> l)
    {
        var (rule, errors) = await ValidationRules.ApplyAsync(db, null, request, l);
        if (rule is null)
        {
            return TypedResults.ValidationProblem(errors);
        }
        db.ValidationRules.Add(rule);
        await db.SaveChangesAsync();
        return TypedResults.Created($"/api/v1/dictionary/validation-rules/{rule.Id}", await ValidationRules.ResponseAsync(db, rule, l));
    }

    private static async Task<Results<Ok<ValidationRuleResponse>, NotFound, ValidationProblem>> UpdateAsync(int id, ValidationRuleRequest request,
        OneFormDbContext db, IStringLocalizer<SharedResource> l)
    {
        var rule = await db.ValidationRules.SingleOrDefaultAsync(r => r.Id == id);
        if (rule is null)
        {
            return TypedResults.NotFound();
        }
        var (updated, errors) = await ValidationRules.ApplyAsync(db, rule, request, l);
        if (updated is null)
        {
            return TypedResults.ValidationProblem(errors);
        }
        await db.SaveChangesAsync();
        return TypedResults.Ok(await ValidationRules.ResponseAsync(db, rule, l));
    }

    private static async Task<Results<NoContent, NotFound>> DeleteAsync(int id, OneFormDbContext db)
    {
        var rule = await db.ValidationRules.SingleOrDefaultAsync(r => r.Id == id);
        if (rule is null)
        {
            return TypedResults.NotFound();
        }
        // Removed through the change tracker, not ExecuteDelete, so the audit trail records it.
        db.ValidationRules.Remove(rule);
        await db.SaveChangesAsync();
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<ValidationRunResponse>, NotFound>> TestAsync(int id, string? period, string? unit, ClaimsPrincipal user,
        OneFormDbContext db, IHeldValues held, IStringLocalizer<SharedResource> l)
    {
        var rule = await db.ValidationRules.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id);
        if (rule is null)
        {
            return TypedResults.NotFound();
        }
        return await CheckAsync(ValidationRules.Parse([rule], l), period, unit, user.Scope(), db, held, l) is { } run
            ? TypedResults.Ok(run)
            : TypedResults.NotFound();
    }

    private static async Task<Results<Ok<ValidationRunResponse>, NotFound, ValidationProblem>> TryAsync(ValidationRuleRequest request, string? period,
        string? unit, ClaimsPrincipal user, OneFormDbContext db, IHeldValues held, IStringLocalizer<SharedResource> l)
    {
        var (rule, errors) = await ValidationRules.ApplyAsync(db, null, request, l);
        if (rule is null)
        {
            return TypedResults.ValidationProblem(errors);
        }
        return await CheckAsync(ValidationRules.Parse([rule], l), period, unit, user.Scope(), db, held, l) is { } run
            ? TypedResults.Ok(run)
            : TypedResults.NotFound();
    }

    private static async Task<Results<Ok<ValidationRunResponse>, NotFound, ValidationProblem>> RunAsync(string period, string? unit, ClaimsPrincipal user,
        OneFormDbContext db, IHeldValues held, IStringLocalizer<SharedResource> l)
    {
        if (!Period.TryParse(period, out _))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["period"] = [l["'{0}' is not a period such as 2026M03, 2026Q1, 2026H1 or 2026.", period]] });
        }
        return await CheckAsync(await ValidationRules.LoadAsync(db, l), period, unit, user.Scope(), db, held, l) is { } run
            ? TypedResults.Ok(run)
            : TypedResults.NotFound();
    }

    /// <summary>
    /// The rules over the units of the caller's scope (below <paramref name="unitCode"/> when given) and the values it may read;
    /// null when the unit is unknown or outside the scope. Without a period, every period that holds a value the rules name.
    /// </summary>
    public static async Task<ValidationRunResponse?> CheckAsync(IReadOnlyList<CheckedRule> rules, string? period, string? unitCode, CallerScope scope,
        OneFormDbContext db, IHeldValues held, IStringLocalizer l)
    {
        var units = scope.VisibleUnits(db.OrgUnits);
        if (!string.IsNullOrWhiteSpace(unitCode))
        {
            var root = await OrgUnitQueries.ByCodeAsync(db, unitCode.Trim());
            if (root is null || !scope.CanSeeUnit(root))
            {
                return null;
            }
            units = units.InSubtree(root.Path);
        }
        var numbers = held.Readable(scope);
        List<string> periods;
        if (!string.IsNullOrWhiteSpace(period))
        {
            periods = [period.Trim()];
        }
        else
        {
            var elements = await ValidationRules.ElementsAsync(db, rules);
            var ids = rules.SelectMany(r => r.References).Where(r => r.Back == 0 && elements.ContainsKey(r.Code)).Select(r => elements[r.Code].Id).Distinct().ToList();
            periods = await numbers.Where(n => ids.Contains(n.DataElementId)).Select(n => n.PeriodCode).Distinct()
                .OrderByDescending(p => p).Take(60).ToListAsync();
        }
        var violations = await ValidationRules.RunAsync(db, numbers, units, rules, periods, l, RunLimit + 1);
        return new ValidationRunResponse(periods, violations.Take(RunLimit).ToList(), violations.Count > RunLimit);
    }
}
