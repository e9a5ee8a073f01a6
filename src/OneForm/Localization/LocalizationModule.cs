using System.Globalization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace OneForm.Localization;

public static class LocalizationModule
{
    public static readonly CultureInfo Chinese = new("zh-CN");
    public static readonly CultureInfo English = new("en");

    public static IServiceCollection AddOneFormLocalization(this IServiceCollection services)
    {
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture(Chinese);
            options.SupportedCultures = [Chinese, English];
            options.SupportedUICultures = [Chinese, English];
            // Chinese first whatever the browser says: the choice is the user's, kept in a cookie.
            options.RequestCultureProviders = [new QueryStringRequestCultureProvider(), new CookieRequestCultureProvider()];
        });
        return services;
    }

    /// <summary>Localised model-binding and validation messages for Razor Pages.</summary>
    public static IMvcBuilder AddOneFormViewLocalization(this IMvcBuilder mvc) =>
        mvc.AddDataAnnotationsLocalization(o => o.DataAnnotationLocalizerProvider = (_, factory) => factory.Create(typeof(SharedResource)))
            .AddMvcOptions(options =>
            {
                // Resolved per message so the request's culture applies.
                var provider = options.ModelBindingMessageProvider;
                provider.SetValueIsInvalidAccessor(v => Text("The value '{0}' is not valid.", v));
                provider.SetValueMustBeANumberAccessor(f => Text("The field {0} must be a number.", f));
                provider.SetMissingBindRequiredValueAccessor(f => Text("A value for the '{0}' parameter or property was not provided.", f));
                provider.SetAttemptedValueIsInvalidAccessor((v, f) => Text("The value '{0}' is not valid for {1}.", v, f));
                provider.SetMissingKeyOrValueAccessor(() => Text("A value is required."));
                provider.SetUnknownValueIsInvalidAccessor(f => Text("The supplied value is invalid for {0}.", f));
                provider.SetValueMustNotBeNullAccessor(f => Text("The value '{0}' is invalid.", f));
                provider.SetNonPropertyAttemptedValueIsInvalidAccessor(v => Text("The value '{0}' is not valid.", v));
                provider.SetNonPropertyUnknownValueIsInvalidAccessor(() => Text("The supplied value is invalid."));
                provider.SetNonPropertyValueMustBeANumberAccessor(() => Text("The field must be a number."));
                provider.SetMissingRequestBodyRequiredValueAccessor(() => Text("A non-empty request body is required."));
            });

    private static IStringLocalizer? localizer;

    /// <summary>The shared localizer for places that run outside dependency injection (command line, model binding).</summary>
    public static IStringLocalizer Localizer => localizer ??= new ResourceManagerStringLocalizerFactory(
            Microsoft.Extensions.Options.Options.Create(new LocalizationOptions()),
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance)
        .Create(typeof(SharedResource));

    private static string Text(string key, params object[] args) => Localizer[key, args];

    public static IEndpointRouteBuilder MapCultureSwitch(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/culture", async (HttpContext http) =>
        {
            if (http.Features.Get<Microsoft.AspNetCore.Antiforgery.IAntiforgeryValidationFeature>() is { IsValid: false })
            {
                return Results.BadRequest();
            }
            var form = await http.Request.ReadFormAsync();
            var culture = form["culture"].ToString();
            var returnUrl = form["returnUrl"].ToString();
            var chosen = culture == English.Name ? English : Chinese;
            http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true });
            var target = returnUrl.Length > 0 && Uri.IsWellFormedUriString(returnUrl, UriKind.Relative) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
                ? returnUrl
                : "/";
            return Results.LocalRedirect(target);
        }).ExcludeFromDescription().AllowAnonymous().WithMetadata(new Microsoft.AspNetCore.Antiforgery.RequireAntiforgeryTokenAttribute());
        return routes;
    }
}
