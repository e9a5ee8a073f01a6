using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Organization.Divisions;

namespace OneForm.Organization;

public sealed record OrgUnitResponse(string Code, string Name, string Level, string? ParentCode, int Depth);

public sealed record OrgUnitDetailResponse(string Code, string Name, string Level, string? ParentCode, int Depth,
    IReadOnlyList<OrgUnitResponse> Ancestors, int ChildCount, int SubtreeSize);

/// <summary>A unit as the unit picker offers it: LevelName and Path are for people (县级, 昌吉市 › 建国路街道 › 锦绣社区).</summary>
public sealed record OrgUnitHitResponse(string Code, string Name, string Level, string LevelName, string Path, bool HasChildren);

public sealed record PageOf<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

public sealed record DepartmentResponse(string Code, string Name, string? EnglishName);

public sealed record PhotoLocationSetting(bool Keep);

internal static class OrgUnitApi
{
    public const int MaxPageSize = 5000;

    public static void MapOrgUnitApi(this IEndpointRouteBuilder routes)
    {
        var units = routes.MapGroup("/api/v1/org-units").WithTags("Organization");
        units.MapGet("/", ListAsync)
            .WithSummary("Units the caller may see: children of a parent, or those whose name or code matches q.")
            .Allow(Operations.OrgUnitsRead);
        units.MapGet("/search", SearchAsync)
            .WithSummary("The unit picker: units the caller may see whose name, part of the name, pinyin initials (jx for 锦绣) or code match q, best first; with no q, the children of under (or the top units the caller sees).")
            .Allow(Operations.OrgUnitsRead);
        units.MapGet("/{code}", GetAsync).WithSummary("One unit with its place in the tree.")
            .Allow(Operations.OrgUnitsRead);
        units.MapGet("/{code}/subtree", SubtreeAsync).WithSummary("A unit and every unit below it, paged.")
            .Allow(Operations.OrgUnitsRead);
        units.MapPut("/{code}/photo-location", async Task<IResult> (string code, PhotoLocationSetting body, OneFormDbContext db) =>
            {
                var unit = await db.OrgUnits.SingleOrDefaultAsync(u => u.Code == code);
                if (unit is null)
                {
                    return TypedResults.NotFound();
                }
                unit.KeepsPhotoLocation = body.Keep;
                await db.SaveChangesAsync();
                return TypedResults.NoContent();
            })
            
            .WithSummary("Whether the unit's photos keep where they were taken (removed by default); audited.")
            .Allow(Operations.TreeChange);
        units.MapPost("/import", ImportAsync).DisableAntiforgery().TakesFilesUpTo(UploadLimits.DivisionsFile)
            .WithSummary("Import a divisions CSV (code,name,level,parent_code, optionally urban_rural); rejected rows are reported by line.")
            .Allow(Operations.TreeChange);

        routes.MapGet("/api/v1/departments", DepartmentsAsync).WithTags("Organization")
            .WithSummary("Every department.")
            .Allow(Operations.OrgUnitsRead);
    }

    private static IQueryable<OrgUnitResponse> Project(IQueryable<OrgUnit> units) =>
        units.Select(u => new OrgUnitResponse(u.Code, u.Name, u.Level.ToString().ToLower(), u.Parent!.Code, u.Depth));

    private static async Task<Ok<PageOf<OrgUnitResponse>>> ListAsync(ClaimsPrincipal user, OneFormDbContext db,
        string? q, string? parent, int page = 1, int pageSize = 100)
    {
        (page, pageSize) = (Math.Max(page, 1), Math.Clamp(pageSize, 1, MaxPageSize));
        var units = user.Scope().VisibleUnits(db.OrgUnits);
        if (!string.IsNullOrWhiteSpace(parent))
        {
            units = units.Where(u => u.Parent!.Code == parent);
        }
        if (!string.IsNullOrWhiteSpace(q))
        {
            var term = q.Trim();
            units = units.Where(u => u.Name.Contains(term) || u.Code.StartsWith(term));
        }
        var total = await units.CountAsync();
        var items = await Project(units.OrderBy(u => u.Path).Skip(Paging.Skip(page, pageSize)).Take(pageSize)).ToListAsync();
        return TypedResults.Ok(new PageOf<OrgUnitResponse>(items, total, page, pageSize));
    }

    private static async Task<Ok<OrgUnitHitResponse[]>> SearchAsync(ClaimsPrincipal user, OneFormDbContext db,
        Microsoft.Extensions.Localization.IStringLocalizer<Localization.SharedResource> l, string? q, string? under)
    {
        var hits = await OrgUnitSearch.FindAsync(db, user.Scope(), q, under);
        return TypedResults.Ok(hits.Select(h => new OrgUnitHitResponse(h.Code, h.Name, h.Level.ToString().ToLowerInvariant(),
            OrgUnitLevels.Name(h.Level, l), h.Path, h.HasChildren)).ToArray());
    }

    private static async Task<Results<Ok<OrgUnitDetailResponse>, NotFound>> GetAsync(string code, ClaimsPrincipal user, OneFormDbContext db)
    {
        var unit = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(u => u.Code == code);
        if (unit is null || !user.Scope().CanSeeUnit(unit))
        {
            return TypedResults.NotFound();
        }
        var codes = unit.PathCodes.SkipLast(1).ToList();
        var ancestors = await Project(db.OrgUnits.Where(u => codes.Contains(u.Code)).OrderBy(u => u.Depth)).ToListAsync();
        var childCount = await db.OrgUnits.CountAsync(u => u.ParentId == unit.Id);
        var subtreeSize = await db.OrgUnits.InSubtree(unit.Path).CountAsync();
        return TypedResults.Ok(new OrgUnitDetailResponse(unit.Code, unit.Name, unit.Level.ToString().ToLowerInvariant(),
            ancestors.LastOrDefault()?.Code, unit.Depth, ancestors, childCount, subtreeSize));
    }

    private static async Task<Results<Ok<PageOf<OrgUnitResponse>>, NotFound>> SubtreeAsync(string code, ClaimsPrincipal user,
        OneFormDbContext db, string? level, int page = 1, int pageSize = 1000)
    {
        (page, pageSize) = (Math.Max(page, 1), Math.Clamp(pageSize, 1, MaxPageSize));
        var unit = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(u => u.Code == code);
        if (unit is null || !user.Scope().CanSeeUnit(unit))
        {
            return TypedResults.NotFound();
        }
        var units = user.Scope().VisibleUnits(db.OrgUnits.InSubtree(unit.Path));
        if (Enum.TryParse<OrgUnitLevel>(level, ignoreCase: true, out var wanted))
        {
            units = units.Where(u => u.Level == wanted);
        }
        var total = await units.CountAsync();
        var items = await Project(units.OrderBy(u => u.Path).Skip(Paging.Skip(page, pageSize)).Take(pageSize)).ToListAsync();
        return TypedResults.Ok(new PageOf<OrgUnitResponse>(items, total, page, pageSize));
    }

    private static async Task<Results<Ok<ImportReport>, ProblemHttpResult, ValidationProblem>> ImportAsync(
        IFormFile? file, DivisionImporter importer, Microsoft.Extensions.Localization.IStringLocalizer<Localization.SharedResource> l)
    {
        if (file is null || file.Length == 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [l["Choose a CSV file to import."]] });
        }
        await using var stream = file.OpenReadStream();
        var report = await importer.ImportAsync(stream, file.FileName);
        return report.FileError is null ? TypedResults.Ok(report) : ProblemAnswers.Refusal(report.FileError, report);
    }

    private static async Task<Ok<DepartmentResponse[]>> DepartmentsAsync(OneFormDbContext db) =>
        TypedResults.Ok(await db.Departments.OrderBy(d => d.Code)
            .Select(d => new DepartmentResponse(d.Code, d.Name, d.EnglishName)).ToArrayAsync());
}
