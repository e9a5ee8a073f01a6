using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Registry;

public sealed record BatchResponse(long Id, string FileName, string StartedBy, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
    string State, int Percent, int Read, int Inserted, int Updated, int Unchanged, int Rejected, string? Problem, double DurationSeconds);

public sealed record ResidentResponse(long Id, string IdentityNumber, string Name, string Sex, DateOnly BirthDate, string? Ethnicity,
    string HouseholdNumber, string? RelationToHead, string OrgUnitCode, string Status);

public sealed record UnmaskRequest(string Reason);

public sealed record UnmaskedResponse(long Id, string IdentityNumber);

internal static class RegistryApi
{
    public static void MapRegistryApi(this IEndpointRouteBuilder routes)
    {
        var imports = routes.MapGroup("/api/v1/registry/imports").WithTags("Registry");
        imports.MapPost("/", UploadAsync).DisableAntiforgery().TakesFilesUpTo(UploadLimits.RegistryFile)
            .WithSummary("Start importing a registry file (CSV in UTF-8 or GB18030, or xlsx); follow it at the returned batch.")
            .Allow(Operations.RegistryImport);
        imports.MapGet("/", async (OneFormDbContext db, TimeProvider time, ActorNames names) =>
            {
                var batches = await db.ImportBatches.AsNoTracking().OrderByDescending(b => b.Id).Take(100).ToListAsync();
                await names.LoadAsync(batches.Select(b => b.StartedBy));
                return TypedResults.Ok(batches.Select(b => Response(b, time, names)).ToList());
            })
            .WithSummary("The latest import batches.")
            .Allow(Operations.RegistryImport);
        imports.MapGet("/{id:long}", async Task<Results<Ok<BatchResponse>, NotFound>> (long id, OneFormDbContext db, TimeProvider time, ActorNames names) =>
                await db.ImportBatches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == id) is { } batch
                    ? TypedResults.Ok(await ResponseAsync(batch, time, names)) : TypedResults.NotFound())
            .WithSummary("One batch: its state, progress and counts.")
            .Allow(Operations.RegistryImport);
        imports.MapGet("/{id:long}/rejected", RejectedAsync).WithSummary("The rejected rows of a batch as CSV: line, column, value (masked), reason.")
            .Allow(Operations.RegistryImport);

        routes.MapPost("/api/v1/registry/attributes/import", ImportAttributesAsync).WithTags("Registry").DisableAntiforgery()
            .WithSummary("A department loads its person attributes: 身份证号 and one column per attribute (code or name); rejected rows by line.")
            .Allow(Operations.AttributesImport);

        var residents = routes.MapGroup("/api/v1/registry/residents").WithTags("Registry");
        residents.MapGet("/", ResidentsAsync).WithSummary("Residents of a unit the caller may see; identity numbers masked.")
            .Allow(Operations.ResidentsRead);
        residents.MapPost("/{id:long}/unmask", UnmaskAsync)
            .WithSummary("One resident's full identity number: needs the unmask permission and a reason, and is written to the audit trail.")
            .Allow(Operations.ResidentsRead);
    }

    private static async Task<BatchResponse> ResponseAsync(ImportBatch b, TimeProvider time, ActorNames names)
    {
        await names.LoadAsync([b.StartedBy]);
        return Response(b, time, names);
    }

    /// <summary>A batch as the API shows it, with who started it by name (looked up in <paramref name="names"/> beforehand).</summary>
    public static BatchResponse Response(ImportBatch b, TimeProvider time, ActorNames names) => new(b.Id, b.FileName, names[b.StartedBy], b.StartedAt, b.FinishedAt,
        b.WasInterrupted(time.GetUtcNow()) ? "Interrupted" : b.State.ToString(), b.Percent, b.Read, b.Inserted, b.Updated, b.Unchanged, b.Rejected, b.Problem, b.Duration.TotalSeconds);

    private static async Task<Results<Accepted<BatchResponse>, ValidationProblem>> UploadAsync(IFormFile? file, ClaimsPrincipal user,
        ImportRunner runner, OneFormDbContext db, TimeProvider time, ActorNames names, IStringLocalizer<SharedResource> l)
    {
        if (file is null || file.Length == 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [l["Choose an xlsx or CSV file to import."]] });
        }
        await using var stream = file.OpenReadStream();
        var id = await runner.StartAsync(stream, file.FileName, file.Length, user.ActorId());
        var batch = await db.ImportBatches.AsNoTracking().SingleAsync(b => b.Id == id);
        return TypedResults.Accepted($"/api/v1/registry/imports/{id}", await ResponseAsync(batch, time, names));
    }

    private static async Task<IResult> RejectedAsync(long id, OneFormDbContext db)
    {
        if (!await db.ImportBatches.AnyAsync(b => b.Id == id))
        {
            return TypedResults.NotFound();
        }
        return Results.Stream(async output =>
        {
            await using var writer = new StreamWriter(output, new UTF8Encoding(true));
            await writer.WriteLineAsync("line,column,value,reason");
            await foreach (var r in db.ImportRejections.AsNoTracking().Where(r => r.BatchId == id).OrderBy(r => r.Line).ThenBy(r => r.Id).AsAsyncEnumerable())
            {
                await writer.WriteLineAsync(string.Join(',', r.Line.ToString(CultureInfo.InvariantCulture), Text.CsvField(r.Column), Text.CsvField(r.Value), Text.CsvField(r.Reason)));
            }
        }, "text/csv; charset=utf-8", $"rejected-{id}.csv");
    }

    private static async Task<Results<Ok<BatchResponse>, ProblemHttpResult, ForbidHttpResult, ValidationProblem>> ImportAttributesAsync(
        IFormFile? file, ClaimsPrincipal user, AttributeImporter importer, TimeProvider time, ActorNames names, IStringLocalizer<SharedResource> l)
    {
        var scope = user.Scope();
        if (!scope.Admits(Operations.AttributesImport))
        {
            return TypedResults.Forbid();
        }
        if (file is null || file.Length == 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [l["Choose an xlsx or CSV file to import."]] });
        }
        await using var stream = new MemoryStream();
        await file.CopyToAsync(stream);
        stream.Position = 0;
        var batch = await importer.ImportAsync(stream, file.FileName, file.FileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase), scope, user.ActorId());
        var response = await ResponseAsync(batch, time, names);
        return batch.State == BatchState.Failed ? ProblemAnswers.Refusal(batch.Problem, response) : TypedResults.Ok(response);
    }

    private static async Task<Results<Ok<List<ResidentResponse>>, NotFound>> ResidentsAsync(string unit, ClaimsPrincipal user, OneFormDbContext db, int page = 1)
    {
        var target = await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(u => u.Code == unit);
        if (target is null || !user.Scope().CanSeeTasksOf(target))
        {
            return TypedResults.NotFound();
        }
        var ids = db.OrgUnits.InSubtree(target.Path).Select(u => u.Id);
        return TypedResults.Ok(await db.Residents.AsNoTracking().Where(r => ids.Contains(r.OrgUnitId))
            .OrderBy(r => r.HouseholdNumber).ThenBy(r => r.Id).Skip(Paging.Skip(page, 200)).Take(200)
            .Select(r => new ResidentResponse(r.Id, r.IdentityMasked, r.Name, r.Sex.ToString(), r.BirthDate, r.Ethnicity, r.HouseholdNumber,
                r.RelationToHead, r.OrgUnit!.Code, r.Status.ToString()))
            .ToListAsync());
    }

    private static async Task<Results<Ok<UnmaskedResponse>, NotFound, ForbidHttpResult, ValidationProblem>> UnmaskAsync(long id, UnmaskRequest request,
        ClaimsPrincipal user, Unmasking unmasking)
    {
        var (outcome, number, problem) = await unmasking.UnmaskAsync(id, user, request.Reason);
        return outcome switch
        {
            Unmasking.Outcome.Shown => TypedResults.Ok(new UnmaskedResponse(id, number!)),
            Unmasking.Outcome.NotPermitted => TypedResults.Forbid(),
            Unmasking.Outcome.NoReason => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [nameof(request.Reason)] = [problem!] }),
            _ => TypedResults.NotFound(),
        };
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
