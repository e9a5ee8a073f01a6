using Microsoft.Extensions.Localization;

namespace OneForm.Organization;

/// <summary>
/// The national urban–rural classification code (城乡分类代码) of a village-level unit, from the statistics division
/// codes: the first digit says urban (1) or rural (2). Shown always with its name, never as a bare code.
/// </summary>
public static class UrbanRural
{
    public const int CodeLength = 3;

    public static readonly IReadOnlyList<string> Codes = ["111", "112", "121", "122", "123", "210", "220"];

    public static bool IsCode(string? code) => code is not null && Codes.Contains(code);

    public static string Name(string code, IStringLocalizer l) => code switch
    {
        "111" => l["main urban area"],
        "112" => l["urban–rural fringe"],
        "121" => l["town centre"],
        "122" => l["town–village fringe"],
        "123" => l["special area"],
        "210" => l["township centre"],
        "220" => l["rural village"],
        _ => code,
    };

    /// <summary>The code with its name, such as "111 主城区".</summary>
    public static string Label(string code, IStringLocalizer l) => $"{code} {Name(code, l)}";
}
