using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;

namespace OneForm.Dictionary;

/// <summary>
/// Checks a typed value against its element's type and rules, and brings it to its normal form: invariant numbers,
/// ISO dates, option codes, true/false. Messages name the field and the rule. Used by forms, files and the API alike.
/// </summary>
public static class ValueRules
{
    public sealed record Checked(string? Value, double? Number, string? Problem);

    public static Checked Check(DataElement element, string? raw, IStringLocalizer l, CultureInfo culture)
    {
        var name = element.DisplayName(culture);
        // A text keeps its punctuation as typed (，。－ are Chinese text, not number syntax); only its digits become ASCII.
        var text = Normalise(raw, keepPunctuation: element.ValueType == ElementValueType.Text);
        if (text.Length == 0)
        {
            return new(null, null, element.Required ? Text(l, "{0} is required.", name) : null);
        }
        switch (element.ValueType)
        {
            case ElementValueType.Integer:
                if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
                {
                    return new(null, null, Text(l, "{0} must be a whole number; '{1}' is not.", name, text));
                }
                return InRange(element, whole, whole.ToString(CultureInfo.InvariantCulture), name, l);
            case ElementValueType.Decimal:
                if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
                {
                    return new(null, null, Text(l, "{0} must be a number; '{1}' is not.", name, text));
                }
                return InRange(element, number, number.ToString(CultureInfo.InvariantCulture), name, l);
            case ElementValueType.Date:
                return DateOnly.TryParseExact(text, ["yyyy-MM-dd", "yyyy/M/d", "yyyy.M.d", "yyyy年M月d日"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                    ? new(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null, null)
                    : new(null, null, Text(l, "{0} must be a date such as 2026-03-31; '{1}' is not.", name, text));
            case ElementValueType.YesNo:
                return text.ToLowerInvariant() switch
                {
                    "true" or "yes" or "y" or "1" or "是" => new("true", 1, null),
                    "false" or "no" or "n" or "0" or "否" => new("false", 0, null),
                    _ => new(null, null, Text(l, "{0} must be yes or no; '{1}' is neither.", name, text)),
                };
            case ElementValueType.OptionSet:
                var option = element.Options.FirstOrDefault(o => o.Code == text || o.Label == text || o.LabelEn == text);
                return option is null
                    ? new(null, null, Text(l, "{0} must be one of {1}; '{2}' is not.", name, string.Join(", ", element.Options.Select(o => o.Label)), text))
                    : new(option.Code, null, null);
            default:
                if (text.Length > ValueLimits.MaxTextLength)
                {
                    return new(null, null, Text(l, "{0} may have at most {1} characters.", name, ValueLimits.MaxTextLength));
                }
                if (element.Pattern is { Length: > 0 } pattern && Matches(pattern, text) is var matched and not true)
                {
                    return new(null, null, matched is null
                        ? Text(l, "{0} cannot be checked: its rule is not usable. Ask the gatekeeper to correct the rule.", name)
                        : Text(l, "{0} does not have the expected form.", name));
                }
                return new(text, null, null);
        }
    }

    /// <summary>
    /// Whether a text has an element's form. Patterns run without backtracking, in time linear in the text, so no pattern
    /// set by the gatekeeper can stall a save; null when the pattern cannot run so (one stored before that rule).
    /// </summary>
    public static bool? Matches(string pattern, string text)
    {
        try
        {
            return Regex.IsMatch(text, pattern, RegexOptions.NonBacktracking, PatternTimeout);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or RegexMatchTimeoutException)
        {
            return null;
        }
    }

    public static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(200);

    /// <summary>A pattern that can check values: valid, and free of what needs backtracking (look-arounds, back-references).</summary>
    public static bool IsUsablePattern(string pattern, int maxLength) => pattern.Length <= maxLength && Matches(pattern, "") is not null;

    private static Checked InRange(DataElement element, decimal value, string normal, string name, IStringLocalizer l)
    {
        if (element.Min is { } min && value < min)
        {
            return new(null, null, Text(l, "{0} must be at least {1}; {2} is too small.", name, min.ToString("G29", CultureInfo.InvariantCulture), normal));
        }
        if (element.Max is { } max && value > max)
        {
            return new(null, null, Text(l, "{0} must be at most {1}; {2} is too large.", name, max.ToString("G29", CultureInfo.InvariantCulture), normal));
        }
        return new(normal, (double)value, null);
    }

    private static string Text(IStringLocalizer l, string key, params object[] args) => l[key, args].Value;

    /// <summary>
    /// Trims and turns full-width digits, signs and points (typed on Chinese keyboards) into ASCII; with
    /// <paramref name="keepPunctuation"/>, only the digits.
    /// </summary>
    public static string Normalise(string? raw, bool keepPunctuation = false)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return "";
        }
        var chars = raw.Trim().ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = chars[i] switch
            {
                >= '０' and <= '９' => (char)('0' + (chars[i] - '０')),
                _ when keepPunctuation => chars[i],
                '．' or '。' when i > 0 && char.IsDigit(chars[i - 1]) => '.',
                '－' => '-',
                '，' => ',',
                _ => chars[i],
            };
        }
        return new string(chars);
    }

    /// <summary>A stored value as people read it: yes or no, an option's label in the reader's language, "—" for none.</summary>
    public static string Display(DataElement element, string? value, Microsoft.Extensions.Localization.IStringLocalizer l) => element.ValueType switch
    {
        _ when value is null => "—",
        ElementValueType.YesNo => value == "true" ? l["Yes"].Value : l["No"].Value,
        ElementValueType.OptionSet => element.Options.FirstOrDefault(o => o.Code == value) is { } o
            ? (System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "zh" ? o.Label : o.LabelEn ?? o.Label)
            : value,
        _ => value,
    };
}

/// <summary>Limits shared by every writer of values.</summary>
public static class ValueLimits
{
    public const int MaxTextLength = 2000;
}
