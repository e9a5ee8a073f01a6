using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Localization;
using OneForm.Localization;

namespace OneForm.Web;

/// <summary>
/// What every response and every request goes through before any module sees it: the real client address from
/// trusted proxies only, the security headers, and the refusal of cross-site writes to the API.
/// </summary>
internal static class RequestGuards
{
    /// <summary>Scripts only from OneForm's own files; never framed; styles may sit in attributes (progress bars).</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; " +
        "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; manifest-src 'self'; worker-src 'self'";

    public static IServiceCollection AddRequestGuards(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // Forwarded headers are believed from the proxies the administrator names, and from nobody else
            // (not even loopback, the framework's default): a client cannot pick its own address or scheme.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [])
            {
                if (System.Net.IPAddress.TryParse(proxy, out var address))
                {
                    options.KnownProxies.Add(address);
                }
                else if (System.Net.IPNetwork.TryParse(proxy, out var network))
                {
                    options.KnownIPNetworks.Add(network);
                }
                else
                {
                    throw new CommandLine.StartupProblem($"ForwardedHeaders:KnownProxies: '{proxy}' is neither an address nor a network (10.0.0.0/8).");
                }
            }
            if (options.KnownProxies.Count == 0 && options.KnownIPNetworks.Count == 0)
            {
                // With both lists empty the middleware would believe anyone: no proxy named, no header believed.
                options.ForwardedHeaders = ForwardedHeaders.None;
            }
        });
        return services;
    }

    public static WebApplication UseRequestGuards(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.Use((http, next) =>
        {
            var headers = http.Response.Headers;
            http.Response.OnStarting(() =>
            {
                // The API reference page starts itself with one inline script, allowed by the nonce it was written with.
                headers.ContentSecurityPolicy = http.Items[Scalar.AspNetCore.ScalarOptions.NonceHttpContextItemKey] is string nonce
                    ? ContentSecurityPolicy.Replace("script-src 'self'", $"script-src 'self' 'nonce-{nonce}'", StringComparison.Ordinal)
                    : ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "same-origin";
                if (http.Request.IsHttps)
                {
                    headers.StrictTransportSecurity = "max-age=31536000";
                }
                return Task.CompletedTask;
            });
            return next(http);
        });
        app.Use(async (http, next) =>
        {
            if (IsCrossSiteWrite(http.Request))
            {
                var l = http.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
                http.Response.StatusCode = StatusCodes.Status403Forbidden;
                await Results.Problem(l["A page of another site may not change anything in OneForm."], statusCode: StatusCodes.Status403Forbidden)
                    .ExecuteAsync(http);
                return;
            }
            await next(http);
        });
        return app;
    }

    /// <summary>
    /// A change to the API sent by a browser from another site with the user's cookie (a form post needs no script).
    /// Callers with an Authorization header are programs, not browsers carrying cookies; pages have antiforgery tokens.
    /// </summary>
    private static bool IsCrossSiteWrite(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || !request.Path.StartsWithSegments("/api") || request.Headers.Authorization.Count > 0)
        {
            return false;
        }
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return site is not ("same-origin" or "none");
        }
        var origin = request.Headers.Origin.ToString();
        return origin.Length > 0 && origin != "null"
            ? !Uri.TryCreate(origin, UriKind.Absolute, out var from) || !string.Equals(from.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)
            : origin == "null";
    }
}
