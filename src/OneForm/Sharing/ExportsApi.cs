using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Organization;

namespace OneForm.Sharing;

public sealed record RosterExportRequest(string Unit, int? MinAge = null, int? MaxAge = null, string? Attribute = null, string? Attributes = null,
    ExportFormat Format = ExportFormat.Xlsx);

public sealed record ExportView(int Id, string FileName, string Format, string State, long RowsDone, long RowsTotal, int Percent, long? Bytes,
    DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt, string? Error, string? Download)
{
    public static ExportView Of(ExportJob j) => new(j.Id, j.FileName, j.Format.ToString(), j.State.ToString(), j.RowsDone, j.RowsTotal, j.Percent, j.Bytes,
        j.CreatedAt, j.FinishedAt, j.Error, j.State == ExportState.Done ? $"/api/v1/exports/{j.Id}/file" : null);
}

internal static class ExportsApi
{
    public static void MapExportsApi(this IEndpointRouteBuilder routes)
    {
        var exports = routes.MapGroup("/api/v1/exports").WithTags("Sharing");
        exports.MapPost("/roster", QueueRosterAsync)
            .WithSummary("Export a roster in the background (any size): 202 with the export; follow its progress at Location, download it when done.")
            .WithExample(SharingExamples.Roster, SharingExamples.Export, StatusCodes.Status202Accepted)
            .Allow(Operations.ExportsOwn);
        exports.MapGet("/", async (ClaimsPrincipal user, Exports all) =>
                TypedResults.Ok((await all.MineAsync(user.ActorId(), take: 50)).Select(ExportView.Of).ToList()))
            .WithSummary("Your exports, newest first, with their progress.")
            .Allow(Operations.ExportsOwn);
        exports.MapGet("/{id:int}", async Task<IResult> (int id, ClaimsPrincipal user, Exports all) =>
                await all.FindOwnAsync(id, user.ActorId()) is { } job ? TypedResults.Ok(ExportView.Of(job)) : TypedResults.NotFound())
            .WithSummary("One of your exports: state, rows written of rows in all, percent.")
            .Allow(Operations.ExportsOwn);
        exports.MapGet("/{id:int}/file", DownloadAsync)
            .WithSummary("The finished file; only for the person who asked for the export (404 for anyone else).")
            .Allow(Operations.ExportsOwn)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> QueueRosterAsync(RosterExportRequest request, ClaimsPrincipal user, Exports exports,
        Microsoft.Extensions.Localization.IStringLocalizer<Localization.SharedResource> l)
    {
        if (Registry.ResidentFilters.AgeProblem(request.MinAge, request.MaxAge, l, nameof(request.MinAge), nameof(request.MaxAge)) is { } ages)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [ages.Field] = [ages.Message] });
        }
        var (job, status) = await exports.QueueRosterAsync(user.Scope(), user.ActorId(),
            new RosterQuery(request.Unit, request.MinAge, request.MaxAge, request.Attribute, request.Attributes), request.Format);
        return job is null
            ? status == StatusCodes.Status404NotFound ? TypedResults.NotFound() : TypedResults.Forbid()
            : TypedResults.Accepted($"/api/v1/exports/{job.Id}", ExportView.Of(job));
    }

    private static async Task<IResult> DownloadAsync(int id, ClaimsPrincipal user, Exports exports, OneFormDbContext db, AuditActor actor,
        Microsoft.Extensions.Localization.IStringLocalizer<Localization.SharedResource> l)
    {
        var job = await exports.FindOwnAsync(id, user.ActorId());
        if (job is null || job.State is ExportState.Expired)
        {
            return TypedResults.NotFound();
        }
        if (job.State == ExportState.Done && !await exports.StillPermittedAsync(job, user.Scope()))
        {
            return TypedResults.Problem(l["The grant for this roster is no longer in force."], statusCode: StatusCodes.Status403Forbidden);
        }
        if (job.State != ExportState.Done)
        {
            return TypedResults.Problem(job.State == ExportState.Failed
                ? l["The export failed: {0}", job.Error == ExportJob.GrantEnded ? l["The grant for this roster is no longer in force."] : job.Error ?? ""]
                : l["The export is not finished yet ({0}%).", job.Percent], statusCode: StatusCodes.Status409Conflict);
        }
        var file = await exports.OpenAsync(job);
        if (file is null)
        {
            return TypedResults.NotFound();
        }
        db.AuditEntries.Add(actor.Entry("Registry.RosterDownloaded", "ExportJob", job.FileName, null, null, $"export {job.Id}: {job.RowsDone} rows"));
        await db.SaveChangesAsync();
        return TypedResults.File(file, RosterExporter.ContentType(job.Format), job.FileName);
    }
}
