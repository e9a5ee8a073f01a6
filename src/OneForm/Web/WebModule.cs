using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using OneForm.Accounts;
using OneForm.Accounts.SignIn;
using OneForm.Data;
using OneForm.Localization;
using Scalar.AspNetCore;

namespace OneForm.Web;

/// <summary>The web shell: Razor Pages, the API's OpenAPI document and reference page, errors, health.</summary>
public static class WebModule
{
    public static WebApplicationBuilder AddWeb(this WebApplicationBuilder builder)
    {
        // Run from a build (dotnet run, the test hosts) in any environment, the static files and their
        // precompressed copies are found through the build's manifest; a published app has them in wwwroot.
        builder.WebHost.UseStaticWebAssets();
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddRequestGuards(configuration);
        services.AddRazorPages(options => PageRules.Apply(options.Conventions))
            .AddOneFormViewLocalization();
        // Chinese text goes out as text, not as numeric character references: readable and a third of the bytes.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddProblemDetails();
        services.AddProblemAnswers();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        services.AddOpenApi("v1", options => options.AddExamples().AddDocumentRules().AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "OneForm API";
            document.Info.Description = "一表通 OneForm: sign in with POST /api/v1/auth/login or an access token (Authorization: Bearer ...).";
            return Task.CompletedTask;
        }));
        // A refusal by kind on a resource named in the path answers 404, like one out of scope.
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, HiddenResourceResultHandler>();
        services.AddSingleton(sp => new DisplayTime(configuration["Display:TimeZone"] ?? "Asia/Shanghai", sp.GetRequiredService<TimeProvider>()));
        return builder;
    }

    public static WebApplication UseWeb(this WebApplication app)
    {
        app.UseWhen(http => IsApi(http.Request), api =>
        {
            api.UseExceptionHandler();
            api.UseStatusCodePages();
        });
        app.UseWhen(http => !IsApi(http.Request), pages =>
        {
            // A body over the page's limit (Common/UploadLimits) is a 413 with its own message, not "something went wrong".
            pages.UseExceptionHandler(new ExceptionHandlerOptions
            {
                ExceptionHandlingPath = "/Error",
                StatusCodeSelector = exception => exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
                    ? StatusCodes.Status413PayloadTooLarge
                    : StatusCodes.Status500InternalServerError,
            });
            pages.UseStatusCodePagesWithReExecute("/Status", "?code={0}");
        });
        app.UseRequestLocalization();
        app.UseRequestGuards();
        app.UseInputRules();
        app.UseRouting();
        app.UseWhen(http => !IsApi(http.Request), pages => pages.Use(RefuseBodiesOverThePageLimit));
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseLoginTokenValidation();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapWeb(this WebApplication app)
    {
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorPages().WithStaticAssets();
        app.MapCultureSwitch();
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/api", options => options
                .WithTitle("OneForm API")
                // Nothing is fetched from outside: the reference's scripts are served by the app, fonts are the system's.
                .DisableDefaultFonts()
                .WithNonce()
                .WithOpenApiRoutePattern("/openapi/{documentName}.json"))
            .AllowAnonymous();
        app.MapGet("/health", async (OneFormDbContext db, CancellationToken cancellationToken) =>
                await db.Database.CanConnectAsync(cancellationToken)
                    ? Results.Ok(new { status = "ok", database = db.Provider.ToString() })
                    : Results.Json(new { status = "unavailable", database = db.Provider.ToString() }, statusCode: StatusCodes.Status503ServiceUnavailable))
            .AllowAnonymous().WithTags("Health").WithSummary("Whether the app and its database answer.");
        return app;
    }

    /// <summary>
    /// A page post larger than its page takes (<see cref="Common.UploadLimits.For"/>) is refused before any of it is read,
    /// with the limit in the answer (Pages/Shared/_TooLarge, which reads it from the request's body-size feature). Read
    /// on, it would fail inside the antiforgery check, which answers a bare 400.
    /// </summary>
    private static Task RefuseBodiesOverThePageLimit(HttpContext http, RequestDelegate next)
    {
        if (http.Request.ContentLength is { } length && Common.UploadLimits.For(http) is { } most && length > most
            && http.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is null)  // not the refusal's own page
        {
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } body)
            {
                body.MaxRequestBodySize = most;
            }
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return Task.CompletedTask;
        }
        return next(http);
    }

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");
}
