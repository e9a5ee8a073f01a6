using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Localization;

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
        auth.MapPost("/login", LoginAsync).AllowAnonymous().AddEndpointFilter(Oversight.Audit.SecurityAudit.AuditFailedSignIn)
            .WithSummary("Exchange a user name and password for a bearer token (for scripts).");

        routes.MapGet("/api/v1/me", MeAsync).WithTags("Accounts").RequireAuthorization()
            .WithSummary("Who the caller is and what it may see.");
    }

    private static async Task<Results<SignInHttpResult, ProblemHttpResult>> LoginAsync(
        LoginRequest request, UserManager<OneFormUser> users, SignInManager<OneFormUser> signIn,
        IStringLocalizer<SharedResource> l)
    {
        var user = await users.FindByNameAsync(request.UserName ?? "");
        if (user is null)
        {
            return Refused(l["Wrong user name or password."]);
        }
        var result = await signIn.CheckPasswordSignInAsync(user, request.Password ?? "", lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            return Refused(l["This account is locked after too many failed attempts; try again in 15 minutes."]);
        }
        if (result.IsNotAllowed)
        {
            return Refused(l["This account is disabled."]);
        }
        if (!result.Succeeded)
        {
            return Refused(l["Wrong user name or password."]);
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
