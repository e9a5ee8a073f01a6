using Microsoft.Extensions.Localization;

namespace OneForm.Dictionary.Validation;

/// <summary>The names people read for a check's importance (one table per enum).</summary>
public static class RuleImportances
{
    public static string Name(RuleImportance importance, IStringLocalizer l) => importance switch
    {
        RuleImportance.Error => l["Error"],
        RuleImportance.Warning => l["Warning"],
    };
}
