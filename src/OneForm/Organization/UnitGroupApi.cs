using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Localization;

namespace OneForm.Organization;

/// <summary>An urban–rural classification code with its name: the code is never shown alone.</summary>
public sealed record UrbanRuralClass(string Code, string Name);

public sealed record UnitGroupResponse(string Code, string Name, string? Description, bool ByRule, IReadOnlyList<UrbanRuralClass> UrbanRuralCodes,
    IReadOnlyList<string> Levels, string? Below, int Units);

public sealed record UrbanRuralSetting(string? Code);

public sealed record UnitClassResponse(string Code, string Name, UrbanRuralClass? UrbanRural, IReadOnlyList<string> Groups);

internal static class UnitGroupApi
{
    public static void MapUnitGroupApi(this IEndpointRouteBuilder routes)
    {
        var groups = routes.MapGroup("/api/v1/unit-groups").WithTags("Organization");
        groups.MapGet("/", ListAsync).WithSummary("Every unit group, with its rule or list and how many units it holds.")
            .Allow(Operations.OrgUnitsRead);
        groups.MapGet("/{code}/units", UnitsAsync).WithSummary("The units of a group the caller may see, paged.")
            .Allow(Operations.OrgUnitsRead);
        groups.MapPut("/{code}", SaveAsync).WithSummary("Define a group by rule (urban–rural codes, levels, below a unit) or by a list of units; audited.")
            .Allow(Operations.UnitGroupsChange);

        routes.MapGet("/api/v1/org-units/{code}/classification", ClassificationAsync).WithTags("Organization")
            .WithSummary("A unit's urban–rural classification code (城乡分类代码) with its name, and the groups it belongs to.")
            .Allow(Operations.OrgUnitsRead);
        routes.MapPut("/api/v1/org-units/{code}/urban-rural", SetUrbanRuralAsync).WithTags("Organization")
            .WithSummary("Set or clear a unit's urban–rural classification code (111, 112, 121, 122, 123, 210, 220); audited.")
            .Allow(Operations.TreeChange);
    }

    public static UrbanRuralClass? Class(string? code, IStringLocalizer l) => code is null ? null : new UrbanRuralClass(code, UrbanRural.Name(code, l));

    public static async Task<List<UnitGroupResponse>> DescribeAsync(OneFormDbContext db, IStringLocalizer l, CancellationToken cancellationToken = default)
    {
        var all = await UnitGroupQueries.AllAsync(db, cancellationToken);
        var paths = all.Select(g => g.SubtreePath).OfType<string>().ToList();
        var below = await db.OrgUnits.AsNoTracking().Where(u => paths.Contains(u.Path)).ToDictionaryAsync(u => u.Path, u => u.Code, cancellationToken);
        var result = new List<UnitGroupResponse>();
        foreach (var group in all)
        {
            var count = await db.OrgUnits.CountAsync(UnitGroups.Of(db, group), cancellationToken);
            result.Add(new UnitGroupResponse(group.Code, group.Name, group.Description, group.ByRule,
                [.. group.UrbanRuralCodeList.Select(c => Class(c, l)!)], [.. group.LevelList.Select(x => x.ToString())],
                group.SubtreePath is { } path ? below.GetValueOrDefault(path) : null, count));
        }
        return result;
    }

    private static async Task<Ok<List<UnitGroupResponse>>> ListAsync(OneFormDbContext db, IStringLocalizer<SharedResource> l) =>
        TypedResults.Ok(await DescribeAsync(db, l));

    private static async Task<Results<Ok<PageOf<OrgUnitResponse>>, NotFound>> UnitsAsync(string code, System.Security.Claims.ClaimsPrincipal user,
        OneFormDbContext db, int page = 1, int pageSize = 1000)
    {
        (page, pageSize) = (Math.Max(page, 1), Math.Clamp(pageSize, 1, OrgUnitApi.MaxPageSize));
        var group = (await UnitGroupQueries.ByCodesAsync(db, [code])).SingleOrDefault();
        if (group is null)
        {
            return TypedResults.NotFound();
        }
        var units = user.Scope().VisibleUnits(db.OrgUnits).Where(UnitGroups.Of(db, group));
        var total = await units.CountAsync();
        var items = await units.OrderBy(u => u.Path).Skip(Paging.Skip(page, pageSize)).Take(pageSize)
            .Select(u => new OrgUnitResponse(u.Code, u.Name, u.Level.ToString().ToLower(), u.Parent!.Code, u.Depth)).ToListAsync();
        return TypedResults.Ok(new PageOf<OrgUnitResponse>(items, total, page, pageSize));
    }

    private static async Task<Results<Ok<UnitGroupResponse>, ValidationProblem>> SaveAsync(string code, UnitGroupBody body, OneFormDbContext db,
        AuditActor actor, IStringLocalizer<SharedResource> l)
    {
        var errors = await UnitGroupEditing.SaveAsync(db, actor, code, body, l);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        return TypedResults.Ok((await DescribeAsync(db, l)).Single(g => g.Code == code.Trim()));
    }

    private static async Task<Results<Ok<UnitClassResponse>, NotFound>> ClassificationAsync(string code, System.Security.Claims.ClaimsPrincipal user,
        OneFormDbContext db, IStringLocalizer<SharedResource> l)
    {
        var unit = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(u => u.Code == code);
        if (unit is null || !user.Scope().CanSeeUnit(unit))
        {
            return TypedResults.NotFound();
        }
        var groups = new List<string>();
        foreach (var group in await UnitGroupQueries.AllAsync(db))
        {
            if (UnitGroups.Contains(group, unit))
            {
                groups.Add(group.Code);
            }
        }
        return TypedResults.Ok(new UnitClassResponse(unit.Code, unit.Name, Class(unit.UrbanRuralCode, l), groups));
    }

    private static async Task<Results<NoContent, NotFound, ValidationProblem>> SetUrbanRuralAsync(string code, UrbanRuralSetting body,
        OneFormDbContext db, IStringLocalizer<SharedResource> l)
    {
        var unit = await db.OrgUnits.SingleOrDefaultAsync(u => u.Code == code);
        if (unit is null)
        {
            return TypedResults.NotFound();
        }
        if (!await UnitGroupEditing.SetUrbanRuralAsync(db, unit, body.Code))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [nameof(body.Code)] = [l["Urban–rural code '{0}' is not one of {1}.", body.Code ?? "", string.Join(", ", UrbanRural.Codes)]],
            });
        }
        return TypedResults.NoContent();
    }
}
