using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Dictionary;

internal static class DictionaryApi
{
    public static void MapDictionaryApi(this IEndpointRouteBuilder routes)
    {
        var elements = routes.MapGroup("/api/v1/dictionary/elements").WithTags("Dictionary");
        elements.MapGet("/", ListAsync).WithSummary("Search the data dictionary by code, name or synonym.")
            .Allow(Operations.DictionaryRead);
        elements.MapGet("/{code}", GetAsync).WithSummary("One data element and the admitted forms that contain it.")
            .Allow(Operations.DictionaryRead);
        elements.MapPost("/", CreateAsync).WithSummary("Add a data element (gatekeeper).")
            .Allow(Operations.DictionaryChange);
        elements.MapPut("/{code}", UpdateAsync)
            .WithSummary("Change a data element (gatekeeper); its type cannot change once it holds values.")
            .WithDescription("`valueType`, `source`, `required`, `aggregation` (across units) and `timeAggregation` (over time) left out keep the stored values.")
            .Allow(Operations.DictionaryChange)
            .ProducesProblem(StatusCodes.Status409Conflict);
        elements.MapPost("/{code}/retire", RetireAsync).WithSummary("Retire a data element (gatekeeper).")
            .Allow(Operations.DictionaryChange);
    }

    public static async Task<List<ElementResponse>> ProjectAsync(OneFormDbContext db, IElementUses uses, IQueryable<DataElement> query)
    {
        var elements = await query.Include(e => e.OwnerDepartment).OrderBy(e => e.Code).ToListAsync();
        var forms = await uses.AdmittedFormsAsync(elements.Select(e => e.Id).ToList());
        var formulas = await ElementFormulas.DescribedAsync(db, elements, System.Globalization.CultureInfo.CurrentUICulture);
        return elements.Select(e => new ElementResponse(e.Code, e.Name, e.NameEn, [.. e.SynonymList], e.ValueType.ToString(), e.Unit,
            e.Aggregation.ToString(), e.OwnerDepartment!.Code, e.Source.ToString(), e.Required, e.Min, e.Max, e.Pattern, e.Options,
            e.IsRetired, [.. forms[e.Id].Distinct().Order()], e.TimeAggregation.ToString(), e.Formula, formulas.GetValueOrDefault(e.Id))).ToList();
    }

    private static async Task<Ok<List<ElementResponse>>> ListAsync(OneFormDbContext db, IElementUses uses, string? q, bool includeRetired = false) =>
        TypedResults.Ok(await ProjectAsync(db, uses, db.DataElements.AsNoTracking().Search(q).Where(e => includeRetired || !e.IsRetired)));

    private static async Task<Results<Ok<ElementResponse>, NotFound>> GetAsync(string code, OneFormDbContext db, IElementUses uses) =>
        (await ProjectAsync(db, uses, db.DataElements.AsNoTracking().Where(e => e.Code == code))).SingleOrDefault() is { } element
            ? TypedResults.Ok(element)
            : TypedResults.NotFound();

    private static async Task<Results<Created<ElementResponse>, ValidationProblem>> CreateAsync(ElementRequest request,
        OneFormDbContext db, IElementUses uses, IStringLocalizer<SharedResource> l, System.Security.Claims.ClaimsPrincipal user)
    {
        var (element, errors) = await ElementEditing.ApplyAsync(db, uses, null, request, l);
        if (element is null)
        {
            return TypedResults.ValidationProblem(errors);
        }
        await db.SaveChangesAsync();
        if (element.Formula is not null)
        {
            await uses.FormulaChangedAsync(element, user.ActorId());
        }
        var created = (await ProjectAsync(db, uses, db.DataElements.Where(e => e.Id == element.Id))).Single();
        return TypedResults.Created($"/api/v1/dictionary/elements/{element.Code}", created);
    }

    private static async Task<Results<Ok<ElementResponse>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string code, ElementRequest request, OneFormDbContext db, IElementUses uses, IStringLocalizer<SharedResource> l,
        System.Security.Claims.ClaimsPrincipal user)
    {
        var element = await db.DataElements.SingleOrDefaultAsync(e => e.Code == code);
        if (element is null)
        {
            return TypedResults.NotFound();
        }
        var formulaBefore = element.Formula;
        var (updated, errors) = await ElementEditing.ApplyAsync(db, uses, element, request with { Code = code }, l);
        if (updated is null)
        {
            return errors.TryGetValue(nameof(ElementRequest.ValueType), out var typeProblem) && errors.Count == 1
                ? TypedResults.Problem(typeProblem[0], statusCode: StatusCodes.Status409Conflict)
                : TypedResults.ValidationProblem(errors);
        }
        await db.SaveChangesAsync();
        if (element.Formula is not null && element.Formula != formulaBefore)
        {
            await uses.FormulaChangedAsync(element, user.ActorId());
        }
        return TypedResults.Ok((await ProjectAsync(db, uses, db.DataElements.Where(e => e.Id == element.Id))).Single());
    }

    private static async Task<Results<NoContent, NotFound>> RetireAsync(string code, OneFormDbContext db)
    {
        var element = await db.DataElements.SingleOrDefaultAsync(e => e.Code == code);
        if (element is null)
        {
            return TypedResults.NotFound();
        }
        element.IsRetired = true;
        await db.SaveChangesAsync();
        return TypedResults.NoContent();
    }
}
