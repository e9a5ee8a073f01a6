using System.Net;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using OneForm.Accounts.Tokens;

namespace OneForm.Web;

/// <summary>
/// What the OpenAPI document tells a client about every operation, worked out from the endpoint itself so that a new
/// endpoint gets it without being touched: how to authenticate (or that it need not), a stable operationId, the 4xx
/// answers it can give as ProblemDetails, and what each tag is for. The lint test holds the document to it.
/// </summary>
internal static partial class OpenApiDocumentRules
{
    public const string BearerScheme = "bearer";
    public const string CookieScheme = "cookie";
    private const string Problem = "ProblemDetails";
    private const string ValidationProblem = "HttpValidationProblemDetails";
    private const string ProblemJson = "application/problem+json";

    /// <summary>What each tag (one per module, set with WithTags) is for; a tag missing here is a lint warning.</summary>
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Health"] = "Whether the app and its database answer, for load balancers and monitoring; no sign-in.",
        ["Accounts"] = "Signing in from a script (a bearer token), who the caller is, and the access tokens an administrator issues to other systems and devices.",
        ["Organization"] = "The org-unit tree (prefecture > county > township > village or community, 12-digit statistical codes), departments, and importing divisions.",
        ["Dictionary"] = "The data dictionary: data elements, each entered once, with its value type, owner department, aggregation and source.",
        ["Catalog"] = "Forms and the catalogue in force: drafting, admitting, new versions and retiring forms, the legacy inventory and the compression figures.",
        ["Collection"] = "Filling tasks (form x period x unit): values, sign-off, review (accept or return), files, value history, roll-ups and periods.",
        ["Registry"] = "Base data from the registry: resident imports, person attributes, residents shown masked, and the rules that derive elements from base data.",
        ["Admission"] = "Admission requests: a department proposes a form, OneForm analyses its fields against the dictionary, the gatekeeper admits or refuses it.",
        ["Public"] = "What anyone may check without signing in: an admission code printed on a form, and its QR code.",
        ["Reports"] = "Reports of forms pushed on units without admission and their investigation, the departments' annual assessment, and the burden figures.",
        ["Sharing"] = "What departments take instead of sending forms down: grants, statistics, values and changes, roster exports and webhooks.",
        ["Oversight"] = "The audit trail: who did what, when, and in which unit.",
        ["Field"] = "Activity records and photos from phones and meeting-room devices: uploading, the inbox, attaching photos to an activity.",
        ["Ledgers"] = "Ledgers (台账): kinds the gatekeeper defines, entries units record as things happen, and the rules that count them into values.",
        ["Messages"] = "The caller's own messages (returns, sign-offs, acceptances, decisions, deadlines) and a reviewer's reminders (催报) to units not started.",
    };

    public static OpenApiOptions AddDocumentRules(this OpenApiOptions options) =>
        options.AddOperationTransformer(DescribeOperation).AddDocumentTransformer(DescribeDocument);

    private static async Task DescribeOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var document = context.Document;
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();

        operation.OperationId = metadata.OfType<IEndpointNameMetadata>().LastOrDefault() is { } name
            ? CamelCase(Words(name.EndpointName))
            : OperationId(description.HttpMethod ?? "GET", description.RelativePath ?? "");

        // Either credential will do; an empty list says the operation needs none (without it the document-wide default would apply).
        operation.Security = anonymous ? [] : [Requirement(BearerScheme, document), Requirement(CookieScheme, document)];

        operation.Responses ??= [];
        var responses = operation.Responses;
        var parameters = operation.Parameters ?? [];
        if (operation.RequestBody is not null || parameters.Count > 0)
        {
            Answer(responses, document, StatusCodes.Status400BadRequest, ValidationProblem,
                "The request is malformed or a value is not valid: the answer names each field.");
        }
        if (!anonymous)
        {
            Answer(responses, document, StatusCodes.Status401Unauthorized, Problem,
                "No valid credentials: sign in (POST /api/v1/auth/login) or send an access token.");
            Answer(responses, document, StatusCodes.Status403Forbidden, Problem,
                "The caller is signed in, but its role or token may not do this.");
            if (parameters.Any(p => p.In == ParameterLocation.Path))
            {
                // Out of the caller's reach answers as not there: the answer does not tell what exists.
                Answer(responses, document, StatusCodes.Status404NotFound, Problem,
                    "Nothing with this identifier is within the caller's reach.");
            }
        }
        if (SignsIn(metadata))
        {
            // A sign-in answers with the bearer token's fields; the generator sees only "a result".
            responses["200"] = new OpenApiResponse
            {
                Description = "Signed in: send `accessToken` as `Authorization: Bearer <accessToken>` until `expiresIn` seconds have passed.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(AccessTokenResponse), cancellationToken: cancellationToken) },
                },
            };
            Answer(responses, document, StatusCodes.Status401Unauthorized, Problem,
                "The credentials were not accepted.");
        }
        if (IsRateLimited(context, anonymous))
        {
            responses["429"] = new OpenApiResponse
            {
                Description = "Too many requests from this address or with this token: wait the seconds in Retry-After.",
                Headers = new Dictionary<string, IOpenApiHeader>
                {
                    ["Retry-After"] = new OpenApiHeader
                    {
                        Description = "Seconds to wait before trying again.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
                    },
                },
            };
        }
        // Any other 4xx an endpoint declares (409 and the like) without saying what it sends is a ProblemDetails too.
        foreach (var (status, response) in responses.ToList())
        {
            if (status.StartsWith('4') && status != "429" && response is OpenApiResponse plain && (plain.Content is null || plain.Content.Count == 0)
                && int.TryParse(status, System.Globalization.CultureInfo.InvariantCulture, out var code))
            {
                Answer(responses, document, code, Problem, plain.Description ?? "");
            }
        }
        // An endpoint answering a file through IResult declares no success; it has one all the same.
        if (!responses.Keys.Any(status => status.StartsWith('2')))
        {
            responses["200"] = new OpenApiResponse { Description = "OK" };
        }
    }

    private static Task DescribeDocument(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        // The server is the address the document was asked at; redocly (and clients joining paths) want no trailing slash.
        foreach (var server in document.Servers ?? [])
        {
            if (server.Url is { Length: > 1 } url && url.EndsWith('/'))
            {
                server.Url = url.TrimEnd('/');
            }
        }

        var services = context.ApplicationServices;
        var bearer = services.GetRequiredService<IOptionsMonitor<BearerTokenOptions>>().Get(IdentityConstants.BearerScheme);
        var cookie = services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "Send `Authorization: Bearer <token>`. A script signing in as a person gets the token from POST /api/v1/auth/login " +
                $"(`accessToken` in the answer, valid {Duration(bearer.BearerTokenExpiration)}); another department's system or a device " +
                $"uses the access token (`{AccessToken.SecretPrefix}...`) an administrator issued to it.",
        };
        document.Components.SecuritySchemes[CookieScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = cookie.Cookie.Name,
            Description = "The sign-in cookie of a person signed in through the web pages (/Account/Login): for the pages' own scripts and this reference page.",
        };

        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas.TryAdd(Problem, ProblemSchema(withErrors: false));
        document.Components.Schemas.TryAdd(ValidationProblem, ProblemSchema(withErrors: true));

        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            if (tag.Name is { } name && tag.Description is null && TagDescriptions.TryGetValue(name, out var text))
            {
                tag.Description = text;
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>"get" + the route's words, the parameters as "By" + name: GET /api/v1/tasks/{id}/file is getTasksByIdFile.</summary>
    internal static string OperationId(string method, string route)
    {
        var words = new List<string> { method.ToLowerInvariant() };
        var segments = route.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        // The "api/v1" every operation shares says nothing about the operation.
        var skip = segments.Length >= 2 && segments[0] == "api" && VersionSegment().IsMatch(segments[1]) ? 2 : 0;
        foreach (var segment in segments.Skip(skip))
        {
            // A segment may mix a parameter and literals: "{year}.xlsx".
            foreach (Match part in SegmentPart().Matches(segment))
            {
                if (part.Groups["parameter"].Success)
                {
                    words.Add("By");
                    words.AddRange(Words(part.Groups["parameter"].Value));
                }
                else
                {
                    words.Add(part.Value);
                }
            }
        }
        return CamelCase(words);
    }

    private static string Duration(TimeSpan span) => span.TotalHours >= 1
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{span.TotalHours:0.#} hour{(span.TotalHours == 1 ? "" : "s")}")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{span.TotalMinutes:0} minute{(span.TotalMinutes == 1 ? "" : "s")}");

    private static IEnumerable<string> Words(string text) => WordPart().Matches(text).Select(m => m.Value);

    private static string CamelCase(IEnumerable<string> words)
    {
        var id = new StringBuilder();
        foreach (var word in words)
        {
            id.Append(id.Length == 0 ? char.ToLowerInvariant(word[0]) : char.ToUpperInvariant(word[0])).Append(word.AsSpan(1));
        }
        return id.ToString();
    }

    private static OpenApiSecurityRequirement Requirement(string scheme, OpenApiDocument? document) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };

    /// <summary>Adds the answer, or says what an answer declared without content sends.</summary>
    private static void Answer(OpenApiResponses responses, OpenApiDocument? document, int status, string schema, string description)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (responses.TryGetValue(key, out var declared) && declared.Content is { Count: > 0 })
        {
            return;
        }
        var generic = declared?.Description is null || declared.Description == ReasonPhrases.GetReasonPhrase(status);
        responses[key] = new OpenApiResponse
        {
            Description = generic ? description : declared!.Description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemJson] = new() { Schema = new OpenApiSchemaReference(schema, document) },
            },
        };
    }

    /// <summary>
    /// Asks the app's own rate limiter whether a request to this operation counts against an allowance (as a caller
    /// without credentials and, where credentials are needed, with an access token), so the document follows the
    /// limiter wherever its rules live. Asking takes no permit.
    /// </summary>
    private static bool IsRateLimited(OpenApiOperationTransformerContext context, bool anonymous)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<DisableRateLimitingAttribute>().Any())
        {
            return false;
        }
        if (metadata.OfType<EnableRateLimitingAttribute>().Any())
        {
            return true;
        }
        if (context.ApplicationServices.GetRequiredService<IOptions<RateLimiterOptions>>().Value.GlobalLimiter is not { } limiter)
        {
            return false;
        }
        var endpoint = new Endpoint(null, new EndpointMetadataCollection(metadata), context.Description.ActionDescriptor.DisplayName);
        string?[] credentials = anonymous ? [null] : [null, $"Bearer {AccessToken.SecretPrefix}openapi-probe"];
        return credentials.Any(authorization =>
        {
            var http = new DefaultHttpContext { RequestServices = context.ApplicationServices };
            http.Request.Method = context.Description.HttpMethod ?? HttpMethods.Get;
            http.Request.Path = "/" + RouteParameter().Replace((context.Description.RelativePath ?? "").TrimStart('/'), "1");
            http.Connection.RemoteIpAddress = IPAddress.Loopback;
            if (authorization is not null)
            {
                http.Request.Headers.Authorization = authorization;
            }
            http.SetEndpoint(endpoint);
            return limiter.GetStatistics(http) is { } statistics && statistics.CurrentAvailablePermits < long.MaxValue;
        });
    }

    /// <summary>Whether the handler can answer by signing in with a bearer token (its return type says so).</summary>
    private static bool SignsIn(IList<object> metadata) =>
        metadata.OfType<MethodInfo>().FirstOrDefault() is { } handler && Answers(handler.ReturnType).Contains(typeof(SignInHttpResult));

    /// <summary>The result types a handler's return type can stand for: Task and Results unwrapped.</summary>
    private static IEnumerable<Type> Answers(Type type)
    {
        if (!type.IsGenericType)
        {
            return [type];
        }
        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(Task<>) || definition == typeof(ValueTask<>) || typeof(INestedHttpResult).IsAssignableFrom(type)
            ? type.GetGenericArguments().SelectMany(Answers)
            : [type];
    }

    private static OpenApiSchema ProblemSchema(bool withErrors)
    {
        var properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int32" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
        };
        if (withErrors)
        {
            properties["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            };
        }
        return new OpenApiSchema { Type = JsonSchemaType.Object, Properties = properties };
    }

    [GeneratedRegex(@"^v\d+$")]
    private static partial Regex VersionSegment();

    [GeneratedRegex(@"\{\**(?<parameter>[A-Za-z0-9_]+)[^}]*\}|[A-Za-z0-9]+")]
    private static partial Regex SegmentPart();

    [GeneratedRegex(@"[A-Za-z0-9]+")]
    private static partial Regex WordPart();

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
