using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using OneForm.Accounts.SignIn;
using OneForm.Accounts.Tokens;
using OneForm.Data;
using OneForm.Localization;

namespace OneForm.Accounts;

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

        // Anything that declares no operation is for signed-in people only: an access token reaches only what admits it.
        var people = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(new PersonRequirement()).Build();
        services.AddSingleton<IAuthorizationHandler, CallerKindHandler>();
        services.AddScoped<PasswordCheck>();
        services.AddScoped<ActorNames>();
        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(people)
            .SetFallbackPolicy(people)
            .AddOperationPolicies();

        services.AddRateLimiter(options =>
        {
            var perMinute = configuration.GetValue("SignIn:AttemptsPerMinute", 10);
            // Other systems calling with an access token: each token its own allowance a minute.
            var perToken = configuration.GetValue("Api:RequestsPerMinutePerToken", 600);
            // Anyone may check an admission code; nobody may use the check to walk through every code.
            var publicPerMinute = configuration.GetValue("Public:RequestsPerMinute", 60);
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                Limited(http) switch
                {
                    RateLimited.SignIn => RateLimitPartition.GetFixedWindowLimiter("sign-in:" + Address(http),
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1) }),
                    RateLimited.Public => RateLimitPartition.GetFixedWindowLimiter("public:" + Address(http),
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = publicPerMinute, Window = TimeSpan.FromMinutes(1) }),
                    _ => AccessTokenKey(http.Request) is { } key
                        ? RateLimitPartition.GetFixedWindowLimiter(key,
                            _ => new FixedWindowRateLimiterOptions { PermitLimit = perToken, Window = TimeSpan.FromMinutes(1) })
                        : RateLimitPartition.GetNoLimiter(""),
                });
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, token) =>
            {
                // Sign-in and the public check are limited per address, access tokens per token: the trail says which.
                var limited = Limited(context.HttpContext);
                await SecurityAudit.RateLimitedAsync(context.HttpContext, limited == RateLimited.None ? null : limited.ToString());
                var l = context.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                context.HttpContext.Response.Headers.RetryAfter = "60";
                await context.HttpContext.Response.WriteAsync(Limited(context.HttpContext) switch
                {
                    RateLimited.SignIn => l["Too many sign-in attempts from this address; wait a minute and try again."],
                    RateLimited.Public => l["Too many checks from this address; wait a minute and try again."],
                    _ => l["Too many requests with this access token; wait a minute and try again."],
                }, token);
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

    /// <summary>
    /// Which allowance a request draws on, by the endpoint it reached (routing has run), not by how its path is
    /// spelt: /api/v1/auth//login/ is the sign-in endpoint like any other spelling that reaches it.
    /// </summary>
    private static RateLimited Limited(HttpContext http)
    {
        var endpoint = http.GetEndpoint();
        return endpoint?.Metadata.GetMetadata<RateLimit>()?.Allowance is { } limited && (limited != RateLimited.SignIn || HttpMethods.IsPost(http.Request.Method))
            ? limited
            : RateLimited.None;
    }

    /// <summary>The client's address: behind a trusted proxy, the one it forwarded (see RequestGuards).</summary>
    private static string Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "?";

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
