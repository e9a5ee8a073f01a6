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

/// <summary>A check's comparison in words, for the audit trail (the check itself shows its symbol).</summary>
public static class RuleOperators
{
    public static string Name(RuleOperator op, IStringLocalizer l) => op switch
    {
        RuleOperator.LessOrEqual => l["at most"],
        RuleOperator.Less => l["less than"],
        RuleOperator.Equal => l["equal to"],
        RuleOperator.GreaterOrEqual => l["at least"],
        RuleOperator.Greater => l["greater than"],
        RuleOperator.NotEqual => l["not equal to"],
    };
}
