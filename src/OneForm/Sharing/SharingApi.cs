using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Localization;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Organization;

namespace OneForm.Sharing;

public sealed record GrantView(int Id, string Grantee, string Owner, IReadOnlyList<string> Elements, string? Subtree, int FromYear, int ToYear,
    string Purpose, bool PersonLevel, bool Unmasked, string State, DateOnly? ExpiresOn, string RequestedBy, string? DecidedBy, string? DecisionNote);

public sealed record SharedValue(long Id, string Element, string Unit, string Period, string Value, double? Number, string Source, DateTimeOffset UpdatedAt);

/// <param name="DataAsOf">Every write committed up to this moment is in the answer.</param>
/// <param name="ReplicaLagSeconds">When read from the read replica, how many seconds it trails the primary (0: caught up); null when read from the primary.</param>
public sealed record SharedValuesPage(IReadOnlyList<SharedValue> Items, long? Next, DateTimeOffset? DataAsOf = null, double? ReplicaLagSeconds = null);

/// <param name="Id">The change's place in the order of commits: ask with the last one seen as <c>after</c>.</param>
public sealed record SharedChange(long Id, string Element, string Unit, string Period, string? OldValue, string? NewValue, string Source, DateTimeOffset ChangedAt);

/// <summary>Changes after a cursor, and the cursor to ask with next time (the same one when nothing was new).</summary>
/// <param name="DataAsOf">Every change committed up to this moment is in the answer (or after its last item, when the page is full).</param>
/// <param name="ReplicaLagSeconds">When read from the read replica, how many seconds it trails the primary (0: caught up); null when read from the primary.</param>
public sealed record SharedChangesPage(IReadOnlyList<SharedChange> Items, long Cursor, DateTimeOffset? DataAsOf = null, double? ReplicaLagSeconds = null);

internal static class SharingApi
{
    public const int MaxPage = 5000;

    public static void MapSharingApi(this IEndpointRouteBuilder routes)
    {
        var grants = routes.MapGroup("/api/v1/grants").WithTags("Sharing");
        grants.MapGet("/", ListAsync).WithSummary("Grants your department asked for or was asked for (the gatekeeper: all).")
            .Allow(Operations.GrantsRead);
        grants.MapPost("/", RequestAsync).WithSummary("Ask the owner of some elements for a grant: which elements, units, years and what for.")
            .WithExample(SharingExamples.Grant, SharingExamples.Granted, StatusCodes.Status201Created)
            .Allow(Operations.GrantsRequest);
        grants.MapPost("/{id:int}/approve", (int id, GrantDecision body, ClaimsPrincipal user, GrantWorkflow w, OneFormDbContext db, ActorNames names) =>
            DecideAsync(id, body, user, w, db, names, GrantState.Approved)).WithSummary("Approve (the owner or the gatekeeper), optionally until a date.")
            .Allow(Operations.GrantsDecide)
            .ProducesProblem(StatusCodes.Status409Conflict);
        grants.MapPost("/{id:int}/refuse", (int id, GrantDecision body, ClaimsPrincipal user, GrantWorkflow w, OneFormDbContext db, ActorNames names) =>
            DecideAsync(id, body, user, w, db, names, GrantState.Refused)).WithSummary("Refuse, with reasons.")
            .Allow(Operations.GrantsDecide)
            .ProducesProblem(StatusCodes.Status409Conflict);
        grants.MapPost("/{id:int}/revoke", (int id, GrantDecision body, ClaimsPrincipal user, GrantWorkflow w, OneFormDbContext db, ActorNames names) =>
            DecideAsync(id, body, user, w, db, names, GrantState.Revoked)).WithSummary("Revoke an approved grant, with reasons; reading stops at once.")
            .Allow(Operations.GrantsDecide)
            .ProducesProblem(StatusCodes.Status409Conflict);

        var statistics = routes.MapGroup("/api/v1/statistics").WithTags("Sharing");
        statistics.MapGet("/", async (ClaimsPrincipal user, Statistics stats, IOptions<JsonOptions> json, string elements, string? unit, OrgUnitLevel? level, string periods, bool? byValue, bool? acceptedOnly) =>
                await RunAsync(user, stats, elements, unit, level, periods, byValue, acceptedOnly, json.Value.SerializerOptions) is var (table, answer, refusal) && table is not null
                    ? TypedResults.Bytes(answer, "application/json")
                    : refusal!)
            .Produces<StatisticsTable>()
            .WithSummary("A table of owned or granted elements (elements=A,B) for the units of a level below a unit and periods (periods=2026Q3,2026Q4), with sub-totals, total and completeness.")
            .WithDescription("Each row has one figure per column in `values` (null: not reported), in `reported` how many of the row's `units` reported it, " +
                "and in `accepted` how many of those reported values are accepted (a task of that unit and period holding the element is accepted). " +
                "With acceptedOnly=true the figures count accepted values only. " + FreshnessNote)
            .WithExample(response: SharingExamples.Statistics)
            .Allow(Operations.SharedDataRead);
        statistics.MapGet("/xlsx", async (ClaimsPrincipal user, Statistics stats, IStringLocalizer<SharedResource> l, string elements, string? unit, OrgUnitLevel? level, string periods, bool? byValue, bool? acceptedOnly) =>
                await RunAsync(user, stats, elements, unit, level, periods, byValue, acceptedOnly) is var (table, _, refusal) && table is not null
                    ? TypedResults.File(Statistics.Xlsx(table, l), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "statistics.xlsx")
                    : refusal!)
            .WithSummary("The same table as xlsx.")
            .Allow(Operations.SharedDataRead);
        statistics.MapGet("/csv", async (ClaimsPrincipal user, Statistics stats, IStringLocalizer<SharedResource> l, string elements, string? unit, OrgUnitLevel? level, string periods, bool? byValue, bool? acceptedOnly) =>
                await RunAsync(user, stats, elements, unit, level, periods, byValue, acceptedOnly) is var (table, _, refusal) && table is not null
                    ? TypedResults.File(System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(Statistics.Csv(table, l))).ToArray(), "text/csv", "statistics.csv")
                    : refusal!)
            .WithSummary("The same table as CSV (UTF-8 with BOM, for Excel).")
            .Allow(Operations.SharedDataRead);

        routes.MapGet("/api/v1/data/changes", ChangesAsync).WithTags("Sharing")
            .WithSummary("Every change of the values the caller may read, after a cursor (after=0 from the start), in the order they committed: none skipped, none repeated.")
            .WithDescription("Ask again with `after` set to the `cursor` of the answer; an empty page keeps the same cursor. " +
                "A read replica replays the primary's commits in order, so reading the cursor there skips nothing either. " + FreshnessNote)
            .WithExample(response: SharingExamples.Changes)
            .Allow(Operations.SharedDataRead);

        routes.MapGet("/api/v1/data/values", ValuesAsync).WithTags("Sharing")
            .WithSummary("Values of one element over a unit's subtree (and a period), as far as the caller owns or is granted them; paged by id (after=).")
            .WithDescription(FreshnessNote)
            .WithExample(response: SharingExamples.Values)
            .Allow(Operations.SharedDataRead);
    }

    /// <summary>What every read answer says about its freshness (the read replica is ConnectionStrings:OneFormReadOnly).</summary>
    private const string FreshnessNote = "Read from the read replica when the deployment has one, from the primary otherwise: `dataAsOf` is the moment up to " +
        "which every committed write is in the answer, and `replicaLagSeconds` how many seconds the replica trails the primary (0: caught up; null: read from the primary).";

    /// <summary>
    /// The table, or why not: 404 for an unknown unit, 403 when none of the elements is owned or granted. With JSON options,
    /// also the answer as JSON, from the cache's bytes.
    /// </summary>
    private static async Task<(StatisticsTable? Table, byte[] Json, IResult? Refusal)> RunAsync(ClaimsPrincipal user, Statistics stats, string elements, string? unit,
        OrgUnitLevel? level, string periods, bool? byValue, bool? acceptedOnly, JsonSerializerOptions? json = null)
    {
        var scope = user.Scope();
        if (!scope.Admits(Operations.SharedDataRead))
        {
            return (null, [], TypedResults.Forbid());
        }
        var query = new StatisticsQuery(Text.Codes(elements), unit, level ?? OrgUnitLevel.Village, Text.Codes(periods), byValue ?? false, acceptedOnly ?? false);
        var (table, answer) = json is null ? (await stats.RunAsync(scope, query), []) : await stats.RunJsonAsync(scope, query, json);
        if (table is null)
        {
            return (null, [], TypedResults.NotFound());
        }
        return table.Columns.Count == 0 && table.NotGranted.Count > 0 ? (null, [], TypedResults.Forbid()) : (table, answer, null);
    }

    private static GrantView View(DataGrant g, string? subtree, ActorNames names) => new(g.Id, g.Grantee!.Code, g.Owner!.Code,
        [.. g.Elements.Select(e => e.DataElement!.Code).Order(StringComparer.Ordinal)], subtree, g.FromYear, g.ToYear, g.Purpose, g.PersonLevel,
        g.Unmasked, g.State.ToString(), g.ExpiresOn, names[g.RequestedBy], g.DecidedBy is null ? null : names[g.DecidedBy], g.DecisionNote);

    private static async Task<string?> SubtreeCodeAsync(OneFormDbContext db, string? path) =>
        path is null ? null : await db.OrgUnits.Where(u => u.Path == path).Select(u => u.Code).SingleOrDefaultAsync();

    private static async Task<Results<Ok<List<GrantView>>, ForbidHttpResult>> ListAsync(ClaimsPrincipal user, OneFormDbContext db, ActorNames names)
    {
        var scope = user.Scope();
        if (!scope.Admits(Operations.GrantsRead))
        {
            return TypedResults.Forbid();
        }
        var grants = await GrantWorkflow.Visible(db.DataGrants.AsNoTracking().Include(g => g.Grantee).Include(g => g.Owner)
            .Include(g => g.Elements).ThenInclude(e => e.DataElement), scope).OrderByDescending(g => g.Id).ToListAsync();
        var paths = grants.Select(g => g.SubtreePath).OfType<string>().Distinct().ToList();
        var codes = await db.OrgUnits.Where(u => paths.Contains(u.Path)).ToDictionaryAsync(u => u.Path, u => u.Code);
        await names.LoadAsync(grants.SelectMany(g => new[] { g.RequestedBy, g.DecidedBy }));
        return TypedResults.Ok(grants.Select(g => View(g, g.SubtreePath is { } path ? codes.GetValueOrDefault(path) : null, names)).ToList());
    }

    private static async Task<IResult> RequestAsync(GrantRequest request, ClaimsPrincipal user, GrantWorkflow workflow, ActorNames names)
    {
        var scope = user.Scope();
        if (!scope.Admits(Operations.GrantsRequest) || scope.DepartmentId is null)
        {
            return TypedResults.Forbid();
        }
        var (grant, errors) = await workflow.RequestAsync(request, scope, user.ActorId());
        if (grant is null)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var saved = (await workflow.FindAsync(grant.Id))!;
        await names.LoadAsync([saved.RequestedBy]);
        return TypedResults.Created($"/api/v1/grants/{grant.Id}", View(saved, request.UnitCode, names));
    }

    private static async Task<IResult> DecideAsync(int id, GrantDecision body, ClaimsPrincipal user, GrantWorkflow workflow, OneFormDbContext db, ActorNames names,
        GrantState decision)
    {
        var scope = user.Scope();
        var grant = await workflow.FindAsync(id);
        if (grant is null || !await GrantWorkflow.Visible(db.DataGrants, scope).AnyAsync(g => g.Id == id))
        {
            return TypedResults.NotFound();
        }
        if (!GrantWorkflow.MayDecide(scope, grant))
        {
            return TypedResults.Forbid();
        }
        if (workflow.Decide(grant, decision, body, user.ActorId()) is { } problem)
        {
            return TypedResults.Problem(problem, statusCode: StatusCodes.Status409Conflict);
        }
        await db.SaveChangesAsync();
        await names.LoadAsync([grant.RequestedBy, grant.DecidedBy]);
        return TypedResults.Ok(View(grant, await SubtreeCodeAsync(db, grant.SubtreePath), names));
    }

    private static async Task<IResult> ChangesAsync(ClaimsPrincipal user, OneFormDbContext primary, ReadDatabase read, DisplayTime time, long? after, int? take)
    {
        var scope = user.Scope();
        if (!scope.Admits(Operations.SharedDataRead))
        {
            return TypedResults.Forbid();
        }
        var from = after ?? 0;
        var size = Math.Clamp(take ?? 1000, 1, MaxPage);
        await ValueChangeOrder.PlaceBeforeReadingAsync(primary);
        var freshness = await read.FreshnessAsync();
        var completeUpTo = await ValueChangeOrder.CompleteUpToAsync(read.Db, freshness.AsOf);
        var ordered = await new SharingPolicy(read.Db, time).ChangesAfterAsync(scope, from, size);
        return TypedResults.Ok(new SharedChangesPage(ordered, ordered.Count == 0 ? from : ordered[^1].Id, completeUpTo, freshness.LagSeconds));
    }

    private static async Task<IResult> ValuesAsync(ClaimsPrincipal user, ReadDatabase read, DisplayTime time, string element, string? unit,
        string? period, long? after, int? take)
    {
        // Read from the read replica when there is one, the sharing rule included (as strict there as on the primary).
        var (db, policy) = (read.Db, new SharingPolicy(read.Db, time));
        var freshness = await read.FreshnessAsync();
        var scope = user.Scope();
        var theElement = await db.DataElements.AsNoTracking().SingleOrDefaultAsync(e => e.Code == element);
        if (theElement is null)
        {
            return TypedResults.NotFound();
        }
        if (!await policy.MayReadElementAsync(scope, theElement.Id))
        {
            return TypedResults.Forbid();
        }
        var query = policy.Readable(scope).AsNoTracking().Where(v => v.DataElementId == theElement.Id);
        if (!string.IsNullOrWhiteSpace(unit))
        {
            var root = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(u => u.Code == unit);
            if (root is null)
            {
                return TypedResults.NotFound();
            }
            var below = db.OrgUnits.InSubtree(root.Path).Select(u => u.Id);
            query = query.Where(v => below.Contains(v.OrgUnitId));
        }
        if (!string.IsNullOrWhiteSpace(period))
        {
            query = query.Where(v => v.PeriodCode == period);
        }
        var size = Math.Clamp(take ?? 1000, 1, MaxPage);
        var rows = await query.Where(v => after == null || v.Id > after).OrderBy(v => v.Id).Take(size + 1)
            .Select(v => new SharedValue(v.Id, element, v.OrgUnit!.Code, v.PeriodCode, v.Value, v.Number, v.Source.ToString(), v.UpdatedAt))
            .ToListAsync();
        var more = rows.Count > size;
        var items = more ? rows[..size] : rows;
        return TypedResults.Ok(new SharedValuesPage(items, more ? items[^1].Id : null, freshness.AsOf, freshness.LagSeconds));
    }
}
