namespace OneForm.Web;

/// <summary>Small text conventions shared by files and query strings.</summary>
public static class Text
{
    /// <summary>A CSV field: quoted (quotes doubled) when it holds a comma, a quote or a line break.</summary>
    public static string CsvField(string? value) =>
        value is null ? "" : value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    /// <summary>Codes typed as a list: separated by commas (also the full-width ，) or spaces.</summary>
    public static List<string> Codes(string? list) =>
        [.. (list ?? "").Split([',', '，', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
