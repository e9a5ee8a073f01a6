using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Localization;
using OneForm.Localization;

namespace OneForm.Common;

/// <summary>
/// What any text or request must be before a handler sees it. One check for text (names, titles, comments, value
/// text): no control characters and no characters that reverse or isolate the reading direction (a name that shows
/// one thing and sorts as another), no broken surrogate pairs (PostgreSQL refuses them). JSON bodies are checked as
/// they are read: no null where a value is required, no null inside a list, no list longer than
/// <see cref="MaxItems"/>, no body larger than <see cref="MaxJsonBytes"/>; query strings carry no control characters.
/// </summary>
public static class InputRules
{
    public const int MaxItems = 1000;
    public const int MaxTextLength = 20_000;
    public const long MaxJsonBytes = 1024 * 1024;

    public enum TextProblem
    {
        None,
        ControlCharacter,
        DirectionCharacter,
        BrokenCharacter,
        TooLong,
    }

    /// <summary>What is wrong with a text, if anything; line breaks and tabs are allowed only in multi-line text.</summary>
    public static TextProblem Check(string? text, bool multiline = false)
    {
        if (text is null)
        {
            return TextProblem.None;
        }
        if (text.Length > MaxTextLength)
        {
            return TextProblem.TooLong;
        }
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF')
            {
                return TextProblem.BrokenCharacter;
            }
            if (char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t'))
            {
                return TextProblem.ControlCharacter;
            }
            // Embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI) and the Arabic letter mark.
            if (c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u061C')
            {
                return TextProblem.DirectionCharacter;
            }
        }
        return TextProblem.None;
    }

    /// <summary>The message for a text problem, naming the field; null when the text is fine.</summary>
    public static string? Problem(string? text, string field, IStringLocalizer l, bool multiline = false) => Describe(Check(text, multiline), field, l);

    public static string? Describe(TextProblem problem, string field, IStringLocalizer l) => problem switch
    {
        TextProblem.ControlCharacter => l["{0} contains a control character (such as NUL or a line break); remove it.", field].Value,
        TextProblem.DirectionCharacter => l["{0} contains a character that changes the reading direction; remove it.", field].Value,
        TextProblem.BrokenCharacter => l["{0} contains an incomplete or invalid character; remove it.", field].Value,
        TextProblem.TooLong => l["{0} is longer than {1} characters.", field, MaxTextLength].Value,
        _ => null,
    };

    /// <summary>A JSON body broke a rule; the handler of bad requests names the field from <see cref="JsonException.Path"/>.</summary>
    public sealed class Refused(string member, Func<string, IStringLocalizer, string> describe) : JsonException(member)
    {
        public string Member { get; } = member;

        public string Describe(string field, IStringLocalizer l) => describe(field, l);
    }

    internal static void Apply(JsonSerializerOptions options) =>
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(CheckAfterReading);

    private static readonly Assembly Own = typeof(InputRules).Assembly;

    /// <summary>Every request record of OneForm is checked once it is read, whichever endpoint reads it.</summary>
    private static void CheckAfterReading(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object || type.Type.Assembly != Own)
        {
            return;
        }
        var nullability = new NullabilityInfoContext();
        var members = type.Properties
            .Where(p => p.Get is not null && p.AttributeProvider is PropertyInfo)
            .Select(p => (Property: p, Required: p.PropertyType.IsClass && nullability.Create((PropertyInfo)p.AttributeProvider!).ReadState == NullabilityState.NotNull))
            .ToList();
        type.OnDeserialized = value =>
        {
            foreach (var (property, required) in members)
            {
                var name = property.Name;
                switch (property.Get!(value))
                {
                    case null when required:
                        throw new Refused(name, (field, l) => l["{0} is required.", field]);
                    case string text when Check(text, multiline: true) is var problem and not TextProblem.None:
                        throw new Refused(name, (field, l) => Describe(problem, field, l)!);
                    case IEnumerable list and not string:
                        var count = 0;
                        foreach (var item in list)
                        {
                            var index = count;
                            if (item is null)
                            {
                                throw new Refused($"{name}[{index}]", (field, l) => l["{0} is empty; a list holds no empty items.", field]);
                            }
                            if (item is string text && Check(text, multiline: true) is var problem and not TextProblem.None)
                            {
                                throw new Refused($"{name}[{index}]", (field, l) => Describe(problem, field, l)!);
                            }
                            if (++count > MaxItems)
                            {
                                throw new Refused(name, (field, l) => l["{0} has more than {1} items.", field, MaxItems]);
                            }
                        }
                        break;
                }
            }
        };
    }

    /// <summary>
    /// Refuses, before any handler runs, a JSON body over <see cref="MaxJsonBytes"/> and a query string or path with
    /// a control or direction character: answered as a problem naming the parameter (the API) or the status page.
    /// </summary>
    public static IApplicationBuilder UseInputRules(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var request = http.Request;
        string? field = null, message = null;
        var status = StatusCodes.Status400BadRequest;
        var l = http.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = ProblemAnswers.CultureOf(http);
        try
        {
            if (request.ContentLength > MaxJsonBytes && request.HasJsonContentType())
            {
                (field, message, status) = ("body", l["The request body is larger than {0} KB.", MaxJsonBytes / 1024], StatusCodes.Status413PayloadTooLarge);
            }
            else if (Check(request.Path.Value) is var pathProblem and not TextProblem.None)
            {
                (field, message) = ("path", Describe(pathProblem, l["The address"], l));
            }
            else
            {
                foreach (var (key, values) in request.Query)
                {
                    var problem = Check(key);
                    foreach (var value in values)
                    {
                        if (problem != TextProblem.None)
                        {
                            break;
                        }
                        problem = Check(value);
                    }
                    if (problem != TextProblem.None)
                    {
                        (field, message) = (key, Describe(problem, key, l));
                        break;
                    }
                }
            }
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
        if (field is null)
        {
            await next(http);
            return;
        }
        http.Response.StatusCode = status;
        if (!request.Path.StartsWithSegments("/api"))
        {
            return;  // the status page explains
        }
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message!] }) { Status = status, Detail = message },
        });
    });
}
