using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Accounts.Tokens;

public enum TokenHolder
{
    /// <summary>Another department's system, reading what the department may read.</summary>
    Department,

    /// <summary>A device at a unit, such as a meeting-room camera.</summary>
    Device,
}

public sealed record IssueTokenRequest(string Name, TokenHolder Holder, string? DepartmentCode, string? OrgUnitCode, int? ValidDays);

public sealed record IssuedTokenResponse(int Id, string Name, string Token, string Prefix, DateTimeOffset? ExpiresAt);

public sealed record TokenResponse(int Id, string Name, string Prefix, string Role, string? DepartmentCode, string? OrgUnitCode,
    DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt);

/// <summary>Issuing a token, shared by the administrator's page and the API.</summary>
public static class TokenIssuing
{
    public const int MaxValidDays = 3650;

    public static async Task<(IssuedTokenResponse? Issued, Dictionary<string, string[]> Errors)> IssueAsync(
        OneFormDbContext db, IssueTokenRequest request, string issuedBy, TimeProvider time, IStringLocalizer l)
    {
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > 100)
        {
            errors[nameof(request.Name)] = [l["Give the token a name of 1 to 100 characters, such as the system or device that uses it."]];
        }
        else if (InputRules.Problem(name, l["Name"], l) is { } problem)
        {
            errors[nameof(request.Name)] = [problem];
        }
        if (request.ValidDays is < 1 or > MaxValidDays)
        {
            errors[nameof(request.ValidDays)] = [l["Validity must be between 1 and {0} days.", MaxValidDays]];
        }
        int? departmentId = null, unitId = null;
        if (request.Holder == TokenHolder.Department)
        {
            departmentId = await db.Departments.Where(d => d.Code == request.DepartmentCode).Select(d => (int?)d.Id).SingleOrDefaultAsync();
            if (departmentId is null)
            {
                errors[nameof(request.DepartmentCode)] = [l["Department '{0}' does not exist.", request.DepartmentCode ?? ""]];
            }
        }
        else
        {
            unitId = await db.OrgUnits.Where(u => u.Code == request.OrgUnitCode).Select(u => (int?)u.Id).SingleOrDefaultAsync();
            if (unitId is null)
            {
                errors[nameof(request.OrgUnitCode)] = [l["Org unit '{0}' does not exist.", request.OrgUnitCode ?? ""]];
            }
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        var now = time.GetUtcNow();
        var (token, secret) = AccessToken.Issue(name, request.Holder == TokenHolder.Department ? Role.Department : Role.Device,
            departmentId, unitId, now, request.ValidDays is { } days ? now.AddDays(days) : null, issuedBy);
        db.AccessTokens.Add(token);
        await db.SaveChangesAsync();
        return (new IssuedTokenResponse(token.Id, token.Name, secret, token.Prefix, token.ExpiresAt), errors);
    }
}

internal static class AccessTokenApi
{
    public static void MapAccessTokenApi(this IEndpointRouteBuilder routes)
    {
        var tokens = routes.MapGroup("/api/v1/access-tokens").WithTags("Accounts");
        tokens.MapGet("/", ListAsync).WithSummary("Access tokens issued to other systems and devices.")
            .Allow(Operations.AccessTokens);
        tokens.MapPost("/", IssueAsync).WithSummary("Issue an access token; its secret is in this answer only.")
            .Allow(Operations.AccessTokens);
        tokens.MapDelete("/{id:int}", RevokeAsync).WithSummary("Revoke an access token at once.")
            .Allow(Operations.AccessTokens);
    }

    private static async Task<Ok<TokenResponse[]>> ListAsync(OneFormDbContext db, ActorNames names)
    {
        var tokens = await db.AccessTokens.OrderByDescending(t => t.Id)
            .Select(t => new TokenResponse(t.Id, t.Name, t.Prefix, t.Role.ToString(), t.Department!.Code, t.OrgUnit!.Code,
                t.CreatedAt, t.CreatedBy, t.ExpiresAt, t.RevokedAt))
            .ToArrayAsync();
        await names.LoadAsync(tokens.Select(t => t.CreatedBy));
        return TypedResults.Ok(tokens.Select(t => t with { CreatedBy = names[t.CreatedBy] }).ToArray());
    }

    private static async Task<Results<Created<IssuedTokenResponse>, ValidationProblem>> IssueAsync(
        IssueTokenRequest request, OneFormDbContext db, ClaimsPrincipal user, TimeProvider time, IStringLocalizer<SharedResource> l)
    {
        var (issued, errors) = await TokenIssuing.IssueAsync(db, request, user.ActorId(), time, l);
        return issued is null
            ? TypedResults.ValidationProblem(errors)
            : TypedResults.Created($"/api/v1/access-tokens/{issued.Id}", issued);
    }

    private static async Task<Results<NoContent, NotFound>> RevokeAsync(int id, OneFormDbContext db, TimeProvider time)
    {
        var token = await db.AccessTokens.FindAsync(id);
        if (token is null)
        {
            return TypedResults.NotFound();
        }
        token.RevokedAt ??= time.GetUtcNow();
        await db.SaveChangesAsync();
        return TypedResults.NoContent();
    }
}
