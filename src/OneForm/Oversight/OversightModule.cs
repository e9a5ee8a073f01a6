using Microsoft.AspNetCore.Http.HttpResults;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Organization;
using OneForm.Localization;
using OneForm.Oversight.Audit;

namespace OneForm.Oversight;

/// <summary>
/// A line of the trail. The line keeps only who did it (<c>ActorId</c>: an account's id, "token:" and a token's id, or
/// OneForm's own work); <c>ActorName</c> (user name or token name) and <c>ActorDisplayName</c> are what they are called now.
/// </summary>
public sealed record AuditEntryResponse(long Id, DateTimeOffset At, string ActorId, string ActorName, string? ActorDisplayName, string? ActorAddress,
    string Kind, string EntityType, string? EntityKey, int? OrgUnitId, string? Changes, string? Summary);

public static class OversightModule
{
    public static IEndpointRouteBuilder MapOversight(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/audit", SearchAuditAsync).WithTags("Oversight")
            .WithSummary("Search the audit trail by person, unit (and below), kind and local dates (yyyy-MM-dd).")
            .Allow(Operations.OversightRead);
        return routes;
    }

    private static async Task<Results<Ok<PageOf<AuditEntryResponse>>, NotFound>> SearchAuditAsync(
        OneFormDbContext db, ActorNames names, DisplayTime time, string? actor, string? unit, string? kind, DateOnly? from, DateOnly? to, int page = 1)
    {
        var (entries, total, unknownUnit) = await new AuditSearch(actor, unit, kind, from, to).RunAsync(db, names, time, page);
        if (unknownUnit)
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok(new PageOf<AuditEntryResponse>(
            entries.Select(e => new AuditEntryResponse(e.Id, e.At, e.ActorId, names[e.ActorId], names.DisplayName(e.ActorId), e.ActorAddress, e.Kind, e.EntityType, e.EntityKey,
                e.OrgUnitId, e.Changes, e.Summary)).ToList(), total, Math.Max(page, 1), AuditSearch.PageSize));
    }
}
