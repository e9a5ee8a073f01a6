using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Accounts.SignIn;

public sealed record LoginRequest(string UserName, string Password);

public sealed record CallerResponse(string Name, string DisplayName, string Role, UnitRef? OrgUnit, DepartmentRef? Department);

public sealed record UnitRef(string Code, string Name);

public sealed record DepartmentRef(string Code, string Name);

internal static class SignInApi
{
    public static void MapSignInApi(this IEndpointRouteBuilder routes)
    {
        var auth = routes.MapGroup("/api/v1/auth").WithTags("Accounts");
        auth.MapPost("/login", LoginAsync).AllowAnonymous().WithMetadata(RateLimit.SignIn)
            .WithSummary("Exchange a user name and password for a bearer token (for scripts).");

        routes.MapGet("/api/v1/me", MeAsync).WithTags("Accounts")
            .WithSummary("Who the caller is and what it may see.")
            .Allow(Operations.Me);
    }

    private static async Task<Results<SignInHttpResult, ProblemHttpResult>> LoginAsync(
        LoginRequest request, PasswordCheck passwords, SignInManager<OneFormUser> signIn)
    {
        var (user, problem) = await passwords.CheckAsync(request.UserName, request.Password);
        if (user is null)
        {
            return Refused(problem!);
        }
        var principal = await signIn.CreateUserPrincipalAsync(user);
        return TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
    }

    private static ProblemHttpResult Refused(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized);

    private static async Task<Ok<CallerResponse>> MeAsync(ClaimsPrincipal user, OneFormDbContext db)
    {
        var scope = user.Scope();
        var unit = scope.OrgUnitId is { } unitId
            ? await db.OrgUnits.Where(u => u.Id == unitId).Select(u => new UnitRef(u.Code, u.Name)).SingleOrDefaultAsync()
            : null;
        var department = scope.DepartmentId is { } departmentId
            ? await db.Departments.Where(d => d.Id == departmentId).Select(d => new DepartmentRef(d.Code, d.Name)).SingleOrDefaultAsync()
            : null;
        return TypedResults.Ok(new CallerResponse(user.Identity!.Name!, user.FindFirstValue(ScopeClaims.DisplayName) ?? "",
            scope.Role.ToString(), unit, department));
    }
}
