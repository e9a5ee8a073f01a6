using System.Security.Claims;
using Microsoft.AspNetCore.Identity;

namespace OneForm.Accounts.SignIn;

/// <summary>
/// Bearer tokens from <c>POST /api/v1/auth/login</c> carry the account's security stamp. It is checked against the
/// account on every request, so a password change, a disable or a move to another unit ends them at once: the
/// token handler itself only checks the token's signature and expiry.
/// </summary>
internal static class LoginTokenValidation
{
    public static IApplicationBuilder UseLoginTokenValidation(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (IsLoginToken(http.Request) && http.User.Identity?.IsAuthenticated == true)
        {
            var signIn = http.RequestServices.GetRequiredService<SignInManager<OneFormUser>>();
            var user = await signIn.ValidateSecurityStampAsync(http.User);
            if (user is null || user.IsDisabled)
            {
                http.User = new ClaimsPrincipal(new ClaimsIdentity());
            }
        }
        await next(http);
    });

    private static bool IsLoginToken(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.Ordinal)
            && !authorization.StartsWith("Bearer " + Tokens.AccessToken.SecretPrefix, StringComparison.Ordinal);
    }
}
