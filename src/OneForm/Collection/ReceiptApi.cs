using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Collection;

/// <summary>A unit's burden receipt (减负账单) for a year and each of its quarters.</summary>
public sealed record ReceiptResponse(string Unit, string Name, int Year, Receipt YearReceipt, IReadOnlyList<QuarterReceipt> Quarters);

public sealed record QuarterReceipt(string Period, Receipt Receipt);

internal static class ReceiptApi
{
    public static void MapReceiptApi(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/v1/org-units/{code}/receipt", ReceiptAsync).WithTags("Collection")
            .WithSummary("A unit's burden receipt (减负账单): the values it typed, those OneForm filled by source, those carried forward, and the minutes saved.")
            .WithDescription("For the year (this year by default) and each of its quarters, every period inside each (months, quarters, half-years, the year). " +
                "Readable by those who see the unit's tasks: its own people, the reviewers above it, the gatekeeper and the administrator.")
            .Allow(Operations.TasksRead);

    private static async Task<Results<Ok<ReceiptResponse>, NotFound>> ReceiptAsync(string code, int? year, ClaimsPrincipal user, OneFormDbContext db,
        DisplayTime time, IConfiguration configuration)
    {
        var unit = await OrgUnitQueries.ByCodeAsync(db, code);
        // Outside the caller's reach the unit does not exist, as for its tasks and values.
        if (unit is null || !user.Scope().CanSeeTasksOf(unit))
        {
            return TypedResults.NotFound();
        }
        var wanted = year is >= 2000 and <= 2100 ? year.Value : time.Today.Year;
        var minutes = BurdenReceipt.MinutesPerField(configuration);
        var whole = new Period(wanted, ReportingCycle.Annual, 1);
        var quarters = new List<QuarterReceipt>();
        foreach (var quarter in OverTime.Parts(whole, ReportingCycle.Quarterly))
        {
            quarters.Add(new QuarterReceipt(quarter.ToString(), await BurdenReceipt.ForAsync(db, unit.Id, BurdenReceipt.Within(quarter), null, minutes)));
        }
        return TypedResults.Ok(new ReceiptResponse(unit.Code, unit.Name, wanted,
            await BurdenReceipt.ForAsync(db, unit.Id, BurdenReceipt.Within(whole), null, minutes), quarters));
    }
}
