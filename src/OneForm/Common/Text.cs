namespace OneForm.Common;

/// <summary>Small text conventions shared by files and query strings.</summary>
public static class Text
{
    /// <summary>A CSV field: defused (see <see cref="Defused"/>), then quoted (quotes doubled) when it holds a comma, a quote or a line break.</summary>
    public static string CsvField(string? value) =>
        Defused(value) is not { } text ? "" : text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;

    /// <summary>
    /// A cell a spreadsheet would run as a formula — text starting with = + - @, a tab or a carriage return, such as a
    /// resident's name typed as <c>=HYPERLINK(…)</c> — gets a leading ' so it opens as text (OWASP's advice on CSV
    /// injection). A number stays as it is: -3 is a figure, not a formula.
    /// </summary>
    public static string? Defused(string? value) =>
        value is [('=' or '+' or '-' or '@' or '\t' or '\r'), ..] && !decimal.TryParse(value,
            System.Globalization.NumberStyles.AllowLeadingSign | System.Globalization.NumberStyles.AllowDecimalPoint | System.Globalization.NumberStyles.AllowExponent,
            System.Globalization.CultureInfo.InvariantCulture, out _)
            ? "'" + value
            : value;

    /// <summary>Codes typed as a list: separated by commas (also the full-width ，) or spaces.</summary>
    public static List<string> Codes(string? list) =>
        [.. (list ?? "").Split([',', '，', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
