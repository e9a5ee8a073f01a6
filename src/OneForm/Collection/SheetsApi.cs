using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Catalog;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Collection;

public sealed record SheetForm(int TaskId, string Code, string Name, string Period, string Status);

/// <param name="Prefilled">Elements OneForm filled (registry, other periods …); <paramref name="Missing"/>: elements still without a value.</param>
public sealed record SheetResponse(string Unit, string UnitName, string Category, string CategoryName, DateOnly PeriodEnd, DateOnly Deadline,
    bool Overdue, string State, string StateName, int Elements, int Prefilled, int Missing, IReadOnlyList<SheetForm> Forms);

public static class SheetsApi
{
    public static void MapSheetsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/v1/sheets").WithTags("Collection")
            .MapGet("/", ListAsync)
            .WithSummary("The category sheets of a unit (一类工作一张表): one per category of work and period end, each element once, due soonest first.")
            .WithDescription("Without `unit`, the caller's own unit. A sheet gathers the unit's tasks of one category whose periods end on the same day " +
                "(a month, its quarter, its half-year and its year); its forms stay what departments receive.")
            .Allow(Operations.TasksRead);
    }

    private static async Task<Results<Ok<List<SheetResponse>>, NotFound>> ListAsync(string? unit, ClaimsPrincipal user, OneFormDbContext db,
        DisplayTime time, IStringLocalizer<SharedResource> l)
    {
        var scope = user.Scope();
        var code = string.IsNullOrWhiteSpace(unit) ? null : unit.Trim();
        var target = code is null
            ? scope.OrgUnitId is { } own ? await db.OrgUnits.AsNoTracking().SingleAsync(u => u.Id == own) : null
            : await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(u => u.Code == code);
        if (target is null || !scope.CanSeeTasksOf(target))
        {
            return TypedResults.NotFound();
        }
        var today = time.Today;
        var culture = CultureInfo.CurrentUICulture;
        var sheets = await CategorySheets.OfUnitAsync(db, target.Id, today.AddMonths(-3));
        return TypedResults.Ok(sheets.OrderByDescending(s => s.IsOverdue(today)).ThenBy(s => s.Deadline).ThenBy(s => s.Key.Category)
            .Select(s => new SheetResponse(target.Code, target.Name, s.Key.Category.ToString(), FormCategories.Name(s.Key.Category, l), s.Key.PeriodEnd,
                s.Deadline, s.IsOverdue(today), s.State.ToString(), TaskStates.Name(s.State, l), s.Cells.Count, s.Prefilled, s.Missing,
                [.. s.Tasks.Select(t => new SheetForm(t.Id, t.Form!.Code, t.Form.DisplayName(culture), t.PeriodCode, t.Status.ToString()))]))
            .ToList());
    }
}
