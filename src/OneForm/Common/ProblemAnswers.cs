using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Localization;
using OneForm.Localization;

namespace OneForm.Common;

/// <summary>
/// Every refusal of the API is a ProblemDetails in the caller's language (Chinese unless they chose English) that
/// names the field at fault. Binding failures of minimal API handlers (malformed JSON, a wrong type, a missing body or
/// parameter) are thrown instead of answered with a bare status, and answered here, so a new endpoint cannot bring
/// back the bare English "Bad Request".
/// </summary>
public static partial class ProblemAnswers
{
    public static IServiceCollection AddProblemAnswers(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = Localise);
        services.AddExceptionHandler<BadRequestAnswer>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o => InputRules.Apply(o.SerializerOptions));
        return services;
    }

    /// <summary>
    /// A refusal that carries a report (a failed import's batch or counts): a problem whose detail is the reason, with the
    /// report's fields beside it, so a client reads it like the report it gets on success.
    /// </summary>
    public static ProblemHttpResult Refusal<T>(string? detail, T report) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest,
            extensions: JsonSerializer.SerializeToElement(report, JsonSerializerOptions.Web).EnumerateObject()
                .ToDictionary(p => p.Name, p => (object?)p.Value.Clone()));

    /// <summary>
    /// The status pages and exception handler run outside the request's localisation, so the request's culture is
    /// taken from what the localisation middleware decided, and Chinese when it never ran.
    /// </summary>
    internal static CultureInfo CultureOf(HttpContext http) =>
        http.Features.Get<IRequestCultureFeature>()?.RequestCulture.UICulture ?? LocalizationModule.Chinese;

    private static void Localise(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var l = context.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureOf(context.HttpContext);
        try
        {
            // Titles that the framework filled in (its English defaults) are replaced; a handler's own title stays.
            if (problem.Title is null || IsDefaultTitle(problem.Title))
            {
                problem.Title = TitleFor(problem.Status ?? context.HttpContext.Response.StatusCode, l);
            }
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    private static bool IsDefaultTitle(string title) => title is "One or more validation errors occurred." or "Bad Request" or "Unauthorized"
        or "Forbidden" or "Not Found" or "Method Not Allowed" or "Not Acceptable" or "Conflict" or "Gone" or "Payload Too Large"
        or "Content Too Large" or "Unsupported Media Type" or "Unprocessable Entity" or "Too Many Requests"
        or "An error occurred while processing your request." or "Internal Server Error";

    internal static string TitleFor(int status, IStringLocalizer l) => status switch
    {
        StatusCodes.Status400BadRequest => l["The request is not valid."],
        StatusCodes.Status401Unauthorized => l["Sign in first."],
        StatusCodes.Status403Forbidden => l["Your role may not do this."],
        StatusCodes.Status404NotFound => l["Not found."],
        StatusCodes.Status405MethodNotAllowed => l["This address does not take this method."],
        StatusCodes.Status409Conflict => l["This conflicts with the current state."],
        StatusCodes.Status413PayloadTooLarge => l["The request is too large."],
        StatusCodes.Status415UnsupportedMediaType => l["The request body is not of a type this address takes."],
        StatusCodes.Status429TooManyRequests => l["Too many requests; try again shortly."],
        >= 500 => l["Something went wrong on the server; try again later."],
        _ => l["The request was refused."],
    };

    /// <summary>Turns a binding failure into a validation problem naming the parameter or JSON field.</summary>
    private sealed partial class BadRequestAnswer(IProblemDetailsService problems, IStringLocalizer<SharedResource> l) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not BadHttpRequestException bad)
            {
                return false;
            }
            var previous = CultureInfo.CurrentUICulture;
            CultureInfo.CurrentUICulture = CultureOf(http);
            try
            {
                var (field, message) = Describe(bad, http);
                http.Response.StatusCode = bad.StatusCode;
                var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
                {
                    Status = bad.StatusCode,
                    Title = TitleFor(bad.StatusCode, l),
                    Detail = message,
                };
                return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
            }
            finally
            {
                CultureInfo.CurrentUICulture = previous;
            }
        }

        private (string Field, string Message) Describe(BadHttpRequestException bad, HttpContext http)
        {
            var parameter = ParameterName().Match(bad.Message) is { Success: true } m ? m.Groups[1].Value : "body";
            if (bad.InnerException is InputRules.Refused refused)
            {
                var field = FieldPath(refused.Path, refused.Member) ?? parameter;
                return (field, refused.Describe(field, l));
            }
            if (bad.InnerException is JsonException json)
            {
                var field = FieldPath(json.Path, null);
                // The reader's own error (text that is not JSON) comes wrapped; a value of the wrong type or shape does not.
                return json.InnerException is JsonException
                    ? (field ?? parameter, l["The request body is not valid JSON (line {0}, position {1}).", (json.LineNumber ?? 0) + 1, json.BytePositionInLine ?? 0])
                    : (field ?? parameter, l["{0} has a value of the wrong type or form.", field ?? parameter]);
            }
            if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } most
                    ? (parameter, l["The request body is larger than {0} KB.", most / 1024])
                    : (parameter, l["The request is too large."]);
            }
            if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
            {
                return (parameter, l["The request body is not of a type this address takes."]);
            }
            if (bad.Message.StartsWith("Required parameter", StringComparison.Ordinal) || bad.Message.Contains("no body was provided", StringComparison.Ordinal))
            {
                return (parameter, l["{0} is required.", parameter]);
            }
            if (BoundValue().Match(bad.Message) is { Success: true } value)
            {
                var shown = value.Groups[1].Value;
                return (parameter, l["{0}: '{1}' is not a valid value.", parameter, shown.Length > 40 ? shown[..40] + "…" : shown]);
            }
            return (parameter, l["{0} could not be read.", parameter]);
        }

        /// <summary>"$.values[0].text" as "values[0].text"; null for the whole body.</summary>
        private static string? FieldPath(string? path, string? member)
        {
            var field = (path ?? "$").TrimStart('$').TrimStart('.');
            if (member is not null)
            {
                field = field.Length == 0 ? member : $"{field}.{member}";
            }
            return field.Length == 0 ? null : field;
        }

        // The framework's messages name the parameter as "Type name" in quotes.
        [GeneratedRegex("parameter \"(?:[^\"]* )?([^\" ]+)\"")]
        private static partial Regex ParameterName();

        [GeneratedRegex("from \"(.*)\"\\.?$", RegexOptions.Singleline)]
        private static partial Regex BoundValue();
    }
}
