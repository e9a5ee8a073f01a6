using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OneForm.Data;
using OneForm.Organization;

namespace OneForm.Accounts.Tokens;

/// <summary>Authenticates <c>Authorization: Bearer oft_...</c> against the stored token hashes.</summary>
internal sealed class AccessTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    OneFormDbContext db, TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AccessToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer " + AccessToken.SecretPrefix, StringComparison.Ordinal))
        {
            return AuthenticateResult.NoResult();
        }
        var hash = AccessToken.Hash(header["Bearer ".Length..].Trim());
        var token = await db.AccessTokens.AsNoTracking().Include(t => t.OrgUnit)
            .SingleOrDefaultAsync(t => t.TokenHash == hash, Context.RequestAborted);
        if (token is null || !token.IsActive(time.GetUtcNow()))
        {
            return AuthenticateResult.Fail("The access token is unknown, expired or revoked.");
        }

        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, "token:" + token.Id.ToString(CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, "token:" + token.Name),
            new(ScopeClaims.AccessTokenId, token.Id.ToString(CultureInfo.InvariantCulture)),
            new(ClaimTypes.Role, token.Role.ToString()),
            new(ScopeClaims.DisplayName, token.Name),
        ];
        if (token.DepartmentId is { } departmentId)
        {
            claims.Add(new(ScopeClaims.DepartmentId, departmentId.ToString(CultureInfo.InvariantCulture)));
        }
        if (token.OrgUnit is { } unit)
        {
            claims.Add(new(ScopeClaims.OrgUnitId, unit.Id.ToString(CultureInfo.InvariantCulture)));
            claims.Add(new(ScopeClaims.OrgUnitPath, unit.Path));
        }
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }
}
