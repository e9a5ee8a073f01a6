using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OneForm.Data;
using OneForm.Organization;

namespace OneForm.Accounts;

/// <summary>Puts the account's role and scope into its sign-in, so scope checks need no database round trip.</summary>
internal sealed class ScopeClaimsFactory(UserManager<OneFormUser> users, IOptions<IdentityOptions> options, OneFormDbContext db)
    : UserClaimsPrincipalFactory<OneFormUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(OneFormUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(ClaimTypes.Role, user.Role.ToString()));
        identity.AddClaim(new Claim(ScopeClaims.DisplayName, user.DisplayName));
        if (user.MayUnmask)
        {
            identity.AddClaim(new Claim(ScopeClaims.MayUnmask, "true"));
        }
        if (user.OrgUnitId is { } unitId)
        {
            var path = await db.OrgUnits.Where(u => u.Id == unitId).Select(u => u.Path).SingleAsync();
            identity.AddClaim(new Claim(ScopeClaims.OrgUnitId, unitId.ToString(CultureInfo.InvariantCulture)));
            identity.AddClaim(new Claim(ScopeClaims.OrgUnitPath, path));
        }
        if (user.DepartmentId is { } departmentId)
        {
            identity.AddClaim(new Claim(ScopeClaims.DepartmentId, departmentId.ToString(CultureInfo.InvariantCulture)));
        }
        return identity;
    }
}

/// <summary>A disabled account cannot sign in, and its existing sign-ins stop at the next stamp check.</summary>
internal sealed class ActiveAccountConfirmation : IUserConfirmation<OneFormUser>
{
    public Task<bool> IsConfirmedAsync(UserManager<OneFormUser> manager, OneFormUser user) => Task.FromResult(!user.IsDisabled);
}
