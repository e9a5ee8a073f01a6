using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using OneForm.Accounts.SignIn;
using OneForm.Accounts.Tokens;
using OneForm.Data;
using OneForm.Localization;

namespace OneForm.Accounts;

public static class Policies
{
    public const string Administrator = nameof(Administrator);
    public const string AuditReader = nameof(AuditReader);
    public const string Gatekeeper = nameof(Gatekeeper);
}

public static class AccountsModule
{
    /// <summary>The scheme that picks cookie, login token or access token by what the request carries.</summary>
    private const string CallerScheme = "Caller";

    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddIdentityCore<OneFormUser>(options =>
            {
                options.Password.RequiredLength = 8;
                options.Password.RequireDigit = true;
                options.Password.RequireLowercase = true;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.MaxFailedAccessAttempts = configuration.GetValue("SignIn:MaxFailedAttempts", 5);
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
                options.SignIn.RequireConfirmedAccount = true;
                options.User.RequireUniqueEmail = false;
            })
            .AddSignInManager()
            .AddEntityFrameworkStores<OneFormDbContext>()
            .AddClaimsPrincipalFactory<ScopeClaimsFactory>()
            .AddErrorDescriber<LocalizedIdentityErrors>()
            .AddUserConfirmation<ActiveAccountConfirmation>();

        // Disabling or re-scoping an account changes its stamp; open sign-ins notice within a minute.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = CallerScheme;
                options.DefaultChallengeScheme = CallerScheme;
            })
            .AddPolicyScheme(CallerScheme, null, options => options.ForwardDefaultSelector = SelectScheme)
            .AddBearerToken(IdentityConstants.BearerScheme, o => o.BearerTokenExpiration = TimeSpan.FromHours(8))
            .AddScheme<AuthenticationSchemeOptions, AccessTokenHandler>(AccessTokenHandler.SchemeName, null)
            .AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(options =>
            {
                options.Cookie.Name = "oneform";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.LoginPath = "/Account/Login";
                options.LogoutPath = "/Account/Logout";
                options.AccessDeniedPath = "/Account/AccessDenied";
                options.SlidingExpiration = true;
                options.ExpireTimeSpan = TimeSpan.FromHours(12);
                // The API answers with status codes, never with a redirect to the sign-in page.
                options.Events.OnRedirectToLogin = context => ApiOr(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => ApiOr(context, StatusCodes.Status403Forbidden);
            }));

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Administrator, p => p.RequireRole(nameof(Role.Administrator)))
            .AddPolicy(Policies.AuditReader, p => p.RequireRole(nameof(Role.Administrator), nameof(Role.Gatekeeper)))
            .AddPolicy(Policies.Gatekeeper, p => p.RequireRole(nameof(Role.Gatekeeper)));

        services.AddRateLimiter(options =>
        {
            var perMinute = configuration.GetValue("SignIn:AttemptsPerMinute", 10);
            // Other systems calling with an access token: each token its own allowance a minute.
            var perToken = configuration.GetValue("Api:RequestsPerMinutePerToken", 600);
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                IsSignInAttempt(http.Request)
                    ? RateLimitPartition.GetFixedWindowLimiter("sign-in:" + (http.Connection.RemoteIpAddress?.ToString() ?? "?"),
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1) })
                    : AccessTokenKey(http.Request) is { } key
                        ? RateLimitPartition.GetFixedWindowLimiter(key,
                            _ => new FixedWindowRateLimiterOptions { PermitLimit = perToken, Window = TimeSpan.FromMinutes(1) })
                        : RateLimitPartition.GetNoLimiter(""));
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, token) =>
            {
                await Oversight.Audit.SecurityAudit.RateLimitedAsync(context.HttpContext, IsSignInAttempt(context.HttpContext.Request));
                var l = context.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                context.HttpContext.Response.Headers.RetryAfter = "60";
                await context.HttpContext.Response.WriteAsync(IsSignInAttempt(context.HttpContext.Request)
                    ? l["Too many sign-in attempts from this address; wait a minute and try again."]
                    : l["Too many requests with this access token; wait a minute and try again."], token);
            };
        });
        return services;
    }

    /// <summary>A key per access token (its hash: the secret itself is not kept in memory), or null for other callers.</summary>
    private static string? AccessTokenKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer " + AccessToken.SecretPrefix, StringComparison.Ordinal)
            ? "token:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(authorization)))
            : null;
    }

    private static string SelectScheme(HttpContext http)
    {
        var authorization = http.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer " + AccessToken.SecretPrefix, StringComparison.Ordinal))
        {
            return AccessTokenHandler.SchemeName;
        }
        return authorization.StartsWith("Bearer ", StringComparison.Ordinal)
            ? IdentityConstants.BearerScheme
            : IdentityConstants.ApplicationScheme;
    }

    private static bool IsSignInAttempt(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && (request.Path.Equals("/Account/Login", StringComparison.OrdinalIgnoreCase)
            || request.Path.Equals("/api/v1/auth/login", StringComparison.OrdinalIgnoreCase));

    private static Task ApiOr(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder routes)
    {
        routes.MapSignInApi();
        routes.MapAccessTokenApi();
        return routes;
    }
}
