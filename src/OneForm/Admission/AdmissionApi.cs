using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Admission;

public sealed record AdmissionSummary(int Id, string Title, string Department, string State, string Cycle, int Fields,
    DateTimeOffset CreatedAt, DateTimeOffset? SubmittedAt, DateTimeOffset? DecidedAt, string? AdmissionCode);

public sealed record AdmissionDetail(int Id, string Title, string Purpose, string Department, string Category, string Cycle,
    string[] TargetLevels, string? Below, int DeadlineDays, string Designer, string? ReplacesFormCode, string State, string? DecisionReasons,
    string? DecidedBy, string? FormCode, string? AdmissionCode, AnalysisResult Analysis, IReadOnlyList<string>? TargetGroups = null);

internal static class AdmissionApi
{
    public static void MapAdmissionApi(this IEndpointRouteBuilder routes)
    {
        var requests = routes.MapGroup("/api/v1/admission-requests").WithTags("Admission");
        requests.MapGet("/", ListAsync).WithSummary("Admission requests: a department's own (drafts too); for the gatekeeper every submitted one.")
            .Allow(Operations.AdmissionRead);
        requests.MapPost("/", CreateAsync).WithSummary("Propose a form (a department): saved as a draft, analysed at once.")
            .Allow(Operations.AdmissionPropose);
        requests.MapPost("/fields-from-xlsx", FieldsFromXlsx).DisableAntiforgery()
            .WithSummary("Read the fields of a form the department already uses from the header row of its xlsx (nothing is saved).")
            .Allow(Operations.AdmissionPropose);
        requests.MapGet("/{id:int}", GetAsync).WithSummary("One request with its analysis: matches, what is held or derived, burden, recommendation.")
            .Allow(Operations.AdmissionRead);
        requests.MapPut("/{id:int}", UpdateAsync).WithSummary("Change a draft or a returned request.")
            .Allow(Operations.AdmissionPropose)
            .ProducesProblem(StatusCodes.Status409Conflict);
        requests.MapPost("/{id:int}/accept", AcceptAsync).WithSummary("Bind a field to a suggested element of the dictionary (or unbind it with null).")
            .Allow(Operations.AdmissionPropose)
            .ProducesProblem(StatusCodes.Status409Conflict);
        requests.MapPost("/{id:int}/submit", (int id, ClaimsPrincipal user, AdmissionWorkflow workflow, OneFormDbContext db, AdmissionAnalyzer analyzer, ActorNames names) =>
            DepartmentStepAsync(id, user, workflow, db, analyzer, names, r => workflow.Submit(r))).WithSummary("Send the request to the gatekeeper.")
            .Allow(Operations.AdmissionPropose)
            .ProducesProblem(StatusCodes.Status409Conflict);
        requests.MapPost("/{id:int}/withdraw", (int id, ClaimsPrincipal user, AdmissionWorkflow workflow, OneFormDbContext db, AdmissionAnalyzer analyzer, ActorNames names) =>
            DepartmentStepAsync(id, user, workflow, db, analyzer, names, r => workflow.Withdraw(r))).WithSummary("Withdraw a request that is not decided.")
            .Allow(Operations.AdmissionPropose)
            .ProducesProblem(StatusCodes.Status409Conflict);
        requests.MapPost("/{id:int}/admit", AdmitAsync)
            .WithSummary("Admit (gatekeeper): an admission code is issued, the form enters the catalogue (as the next version of the form it merges into or replaces, or as a new form) and its tasks open.")
            .Allow(Operations.AdmissionDecide)
            .ProducesProblem(StatusCodes.Status409Conflict);
        requests.MapPost("/{id:int}/refuse", (int id, DecisionBody body, ClaimsPrincipal user, AdmissionWorkflow workflow, OneFormDbContext db, AdmissionAnalyzer analyzer, ActorNames names) =>
                DecideAsync(id, body, user, workflow, db, analyzer, names, AdmissionState.Refused))
            .WithSummary("Refuse (gatekeeper), with reasons the department reads.")
            .Allow(Operations.AdmissionDecide)
            .ProducesProblem(StatusCodes.Status409Conflict);
        requests.MapPost("/{id:int}/return", (int id, DecisionBody body, ClaimsPrincipal user, AdmissionWorkflow workflow, OneFormDbContext db, AdmissionAnalyzer analyzer, ActorNames names) =>
                DecideAsync(id, body, user, workflow, db, analyzer, names, AdmissionState.Returned))
            .WithSummary("Return for changes (gatekeeper), with reasons.")
            .Allow(Operations.AdmissionDecide)
            .ProducesProblem(StatusCodes.Status409Conflict);

        var codes = routes.MapGroup("/api/v1/public/admission-codes").WithTags("Public").AllowAnonymous().WithMetadata(RateLimit.Public);
        codes.MapGet("/{code}", async (string code, OneFormDbContext db, DisplayTime time) => TypedResults.Ok(await AdmissionCodes.CheckAsync(db, code, time.Today)))
            .WithSummary("Check an admission code without signing in: admitted (by whom, for which units, until when), expired, retired or unknown.");
        codes.MapGet("/{code}/qr.svg", Results<ContentHttpResult, ValidationProblem> (string code, HttpRequest request, IStringLocalizer<SharedResource> l) =>
                // A QR code holds a verification link of a real code's length; a longer text is no admission code.
                AdmissionCodes.Clean(code).Length is 0 or > AdmissionCodes.MaxLength
                    ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { [nameof(code)] = [l["{0} is not an admission code: it has 1 to {1} characters.", nameof(code), AdmissionCodes.MaxLength]] })
                    : TypedResults.Text(AdmissionCodes.QrSvg(VerifyUrl(request, code)), "image/svg+xml"))
            .WithSummary("A QR code of the page that checks the code.");
    }

    public static string VerifyUrl(HttpRequest request, string code) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}/verify?code={Uri.EscapeDataString(AdmissionCodes.Clean(code))}";

    private static AdmissionSummary Summary(AdmissionRequest r) => new(r.Id, r.Title, r.Department?.Code ?? "", r.State.ToString(), r.Cycle.ToString(),
        r.Fields.Count, r.CreatedAt, r.SubmittedAt, r.DecidedAt, r.Form?.AdmissionCode);

    private static async Task<AdmissionDetail> DetailAsync(AdmissionRequest r, AdmissionAnalyzer analyzer, ActorNames names) => new(r.Id, r.Title, r.Purpose,
        r.Department?.Code ?? "", r.Category.ToString(), r.Cycle.ToString(), [.. r.Levels.Select(l => l.ToString())], r.Subtree?.Code, r.DeadlineDays, r.Designer,
        r.ReplacesFormCode, r.State.ToString(), r.DecisionReasons, r.DecidedBy is null ? null : await names.NameAsync(r.DecidedBy), r.Form?.Code, r.Form?.AdmissionCode, await analyzer.ForAsync(r), r.Groups);

    private static async Task<Results<Ok<List<AdmissionSummary>>, ForbidHttpResult>> ListAsync(ClaimsPrincipal user, OneFormDbContext db, string? state)
    {
        if (CallerScope.From(user) is not { } scope || !scope.Admits(Operations.AdmissionRead))
        {
            return TypedResults.Forbid();
        }
        var query = AdmissionWorkflow.Visible(db.AdmissionRequests.AsNoTracking().Include(r => r.Department).Include(r => r.Fields).Include(r => r.Form), scope);
        if (Enum.TryParse<AdmissionState>(state, true, out var wanted))
        {
            query = query.Where(r => r.State == wanted);
        }
        return TypedResults.Ok((await query.OrderByDescending(r => r.Id).ToListAsync()).Select(Summary).ToList());
    }

    private static async Task<Results<Created<AdmissionDetail>, ValidationProblem, ForbidHttpResult>> CreateAsync(AdmissionBody body, ClaimsPrincipal user,
        AdmissionWorkflow workflow, OneFormDbContext db, AdmissionAnalyzer analyzer, ActorNames names)
    {
        if (CallerScope.From(user) is not { DepartmentId: not null } scope || !scope.Admits(Operations.AdmissionPropose))
        {
            return TypedResults.Forbid();
        }
        var request = workflow.New(scope, user.ActorId());
        var errors = await workflow.ApplyAsync(request, body);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        db.AdmissionRequests.Add(request);
        await db.SaveChangesAsync();
        var saved = (await workflow.FindAsync(request.Id))!;
        return TypedResults.Created($"/api/v1/admission-requests/{request.Id}", await DetailAsync(saved, analyzer, names));
    }

    private static Results<Ok<IReadOnlyList<ProposedFieldBody>>, ValidationProblem, ForbidHttpResult> FieldsFromXlsx(IFormFile file, ClaimsPrincipal user,
        IStringLocalizer<SharedResource> l)
    {
        if (CallerScope.From(user)?.Admits(Operations.AdmissionPropose) != true)
        {
            return TypedResults.Forbid();
        }
        try
        {
            using var stream = file.OpenReadStream();
            var fields = HeaderReader.Read(stream);
            return fields.Count == 0
                ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [l["No header row with field names was found in the first ten rows of {0}.", file.FileName]] })
                : TypedResults.Ok(fields);
        }
        catch (Exception e) when (e is not OperationCanceledException)  // whatever a broken upload throws, the answer is the same
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [l["{0} is not an xlsx workbook.", file.FileName]] });
        }
    }

    private static async Task<Results<Ok<AdmissionDetail>, NotFound>> GetAsync(int id, ClaimsPrincipal user, AdmissionWorkflow workflow, AdmissionAnalyzer analyzer, ActorNames names)
    {
        var request = await workflow.FindAsync(id);
        return request is null || CallerScope.From(user) is not { } scope || !AdmissionWorkflow.CanSee(scope, request)
            ? TypedResults.NotFound()
            : TypedResults.Ok(await DetailAsync(request, analyzer, names));
    }

    /// <summary>The request if the caller is its department; NotFound when they may not see it, Forbid when they see but may not act.</summary>
    private static async Task<(AdmissionRequest? Request, IResult? Refusal)> OwnAsync(int id, ClaimsPrincipal user, AdmissionWorkflow workflow)
    {
        var request = await workflow.FindAsync(id);
        if (request is null || CallerScope.From(user) is not { } scope || !AdmissionWorkflow.CanSee(scope, request))
        {
            return (null, TypedResults.NotFound());
        }
        return scope.Admits(Operations.AdmissionPropose) ? (request, null) : (null, TypedResults.Forbid());
    }

    private static async Task<IResult> UpdateAsync(int id, AdmissionBody body, ClaimsPrincipal user, AdmissionWorkflow workflow, OneFormDbContext db,
        AdmissionAnalyzer analyzer, ActorNames names, IStringLocalizer<SharedResource> l)
    {
        var (request, refusal) = await OwnAsync(id, user, workflow);
        if (request is null)
        {
            return refusal!;
        }
        if (!request.IsEditable)
        {
            return TypedResults.Problem(l["Only a draft or a returned request can be changed."], statusCode: StatusCodes.Status409Conflict);
        }
        var errors = await workflow.ApplyAsync(request, body);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        await db.SaveChangesAsync();
        return TypedResults.Ok(await DetailAsync((await workflow.FindAsync(id))!, analyzer, names));
    }

    private static async Task<IResult> AcceptAsync(int id, AcceptBody body, ClaimsPrincipal user, AdmissionWorkflow workflow, OneFormDbContext db,
        AdmissionAnalyzer analyzer, ActorNames names, IStringLocalizer<SharedResource> l)
    {
        var (request, refusal) = await OwnAsync(id, user, workflow);
        if (request is null)
        {
            return refusal!;
        }
        if (!request.IsEditable)
        {
            return TypedResults.Problem(l["Only a draft or a returned request can be changed."], statusCode: StatusCodes.Status409Conflict);
        }
        if (await workflow.AcceptAsync(request, body) is { } problem)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [nameof(body.ElementCode)] = [problem] });
        }
        await db.SaveChangesAsync();
        return TypedResults.Ok(await DetailAsync(request, analyzer, names));
    }

    private static async Task<IResult> DepartmentStepAsync(int id, ClaimsPrincipal user, AdmissionWorkflow workflow, OneFormDbContext db,
        AdmissionAnalyzer analyzer, ActorNames names, Func<AdmissionRequest, string?> step)
    {
        var (request, refusal) = await OwnAsync(id, user, workflow);
        if (request is null)
        {
            return refusal!;
        }
        if (step(request) is { } problem)
        {
            return TypedResults.Problem(problem, statusCode: StatusCodes.Status409Conflict);
        }
        await db.SaveChangesAsync();
        return TypedResults.Ok(await DetailAsync(request, analyzer, names));
    }

    private static async Task<IResult> DecideAsync(int id, DecisionBody body, ClaimsPrincipal user, AdmissionWorkflow workflow, OneFormDbContext db,
        AdmissionAnalyzer analyzer, ActorNames names, AdmissionState decision)
    {
        var request = await workflow.FindAsync(id);
        if (request is null || CallerScope.From(user) is not { } scope || !AdmissionWorkflow.CanSee(scope, request))
        {
            return TypedResults.NotFound();
        }
        if (await workflow.DecideAsync(request, decision, body.Reasons, user.ActorId()) is { } problem)
        {
            return TypedResults.Problem(problem, statusCode: StatusCodes.Status409Conflict);
        }
        await db.SaveChangesAsync();
        return TypedResults.Ok(await DetailAsync(request, analyzer, names));
    }

    private static async Task<IResult> AdmitAsync(int id, DecisionBody? body, ClaimsPrincipal user, AdmissionWorkflow workflow, AdmissionAnalyzer analyzer, ActorNames names)
    {
        var request = await workflow.FindAsync(id);
        if (request is null || CallerScope.From(user) is not { } scope || !AdmissionWorkflow.CanSee(scope, request))
        {
            return TypedResults.NotFound();
        }
        if (await workflow.AdmitAsync(request, body?.Reasons, user.ActorId()) is { } problem)
        {
            return TypedResults.Problem(problem, statusCode: StatusCodes.Status409Conflict);
        }
        return TypedResults.Ok(await DetailAsync((await workflow.FindAsync(id))!, analyzer, names));
    }
}
