using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Organization;

namespace OneForm.Dictionary.Validation;

public sealed record ValidationRuleRequest(string Name, string Left, string Operator, string Right, RuleImportance Importance,
    string? Message = null, string? MessageEn = null);

public sealed record ValidationRuleResponse(int Id, string Name, string Left, string Operator, string Right, string Importance,
    string? Message, string? MessageEn, string Description);

/// <summary>A rule broken by a unit's values in one period, with the message that names both sides and their values.</summary>
/// <param name="Importance">Error (blocks submission) or Warning (needs a reason).</param>
public sealed record RuleViolation(int RuleId, string Rule, string Importance, string Period, string Message, double Left, double Right)
{
    public bool IsError => Importance == nameof(RuleImportance.Error);
}

/// <summary>A unit whose values break a rule, for the validation run and a rule's test.</summary>
public sealed record UnitViolation(string UnitCode, string UnitName, string Period, int RuleId, string Rule, string Importance, string Message,
    double Left, double Right);

/// <summary>A number held for an element, unit and period: what the rules are checked against.</summary>
public sealed class HeldNumber
{
    public int OrgUnitId { get; init; }
    public int DataElementId { get; init; }
    public string PeriodCode { get; init; } = "";
    public double Number { get; init; }
}

/// <summary>
/// The values held, as numbers, limited to what a caller may read: a reviewer its subtree, a department what it owns or
/// is granted. Dictionary owns the question; the module that knows who reads what answers it.
/// </summary>
public interface IHeldValues
{
    IQueryable<HeldNumber> Readable(CallerScope scope);
}

/// <summary>A rule with both sides parsed, ready to check.</summary>
public sealed record CheckedRule(ValidationRule Rule, RuleExpression Left, RuleExpression Right)
{
    public IEnumerable<ElementReference> References => Left.References().Concat(Right.References());

    public int MaxBack => References.Select(r => r.Back).DefaultIfEmpty(0).Max();
}

/// <summary>
/// Checks across fields: the rules as data, how a side names its elements, and the one evaluation used on save, on
/// submit, for a rule's test and for the validation run. The evaluation takes the numbers as a lookup, so it does not
/// know where values are kept (Collection hands them in; docs/adr/0006).
/// </summary>
public static partial class ValidationRules
{
    private static readonly (RuleOperator Operator, string Symbol)[] Symbols =
    [
        (RuleOperator.LessOrEqual, "<="), (RuleOperator.Less, "<"), (RuleOperator.Equal, "="),
        (RuleOperator.GreaterOrEqual, ">="), (RuleOperator.Greater, ">"), (RuleOperator.NotEqual, "!="),
    ];

    public static string Symbol(RuleOperator op) => Symbols.Single(s => s.Operator == op).Symbol;

    public static IEnumerable<string> OperatorSymbols => Symbols.Select(s => s.Symbol);

    public static bool TryParseOperator(string? text, out RuleOperator op)
    {
        var symbol = (text ?? "").Trim().Replace('＜', '<').Replace('＞', '>').Replace('＝', '=').Replace('！', '!')
            .Replace("≤", "<=", StringComparison.Ordinal).Replace("≥", ">=", StringComparison.Ordinal).Replace("≠", "!=", StringComparison.Ordinal)
            .Replace("==", "=", StringComparison.Ordinal).Replace("<>", "!=", StringComparison.Ordinal);
        foreach (var (candidate, s) in Symbols)
        {
            if (s == symbol || string.Equals(candidate.ToString(), symbol, StringComparison.OrdinalIgnoreCase))
            {
                op = candidate;
                return true;
            }
        }
        op = default;
        return false;
    }

    /// <summary>Whether left op right holds; equality allows for the rounding of decimal values.</summary>
    public static bool Holds(RuleOperator op, double left, double right)
    {
        var equal = Math.Abs(left - right) <= 1e-9 * Math.Max(1, Math.Max(Math.Abs(left), Math.Abs(right)));
        return op switch
        {
            RuleOperator.LessOrEqual => left < right || equal,
            RuleOperator.Less => left < right && !equal,
            RuleOperator.Equal => equal,
            RuleOperator.GreaterOrEqual => left > right || equal,
            RuleOperator.Greater => left > right && !equal,
            RuleOperator.NotEqual => !equal,
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
        };
    }

    /// <summary>The standard message of a broken rule, naming both sides and their values ({0} ({1}) … {2} ({3})).</summary>
    private static string StandardMessage(RuleOperator op, IStringLocalizer l, string left, string leftValue, string right, string rightValue) => op switch
    {
        RuleOperator.LessOrEqual => l["{0} ({1}) should not be greater than {2} ({3}).", left, leftValue, right, rightValue],
        RuleOperator.Less => l["{0} ({1}) should be less than {2} ({3}).", left, leftValue, right, rightValue],
        RuleOperator.Equal => l["{0} ({1}) should equal {2} ({3}).", left, leftValue, right, rightValue],
        RuleOperator.GreaterOrEqual => l["{0} ({1}) should not be less than {2} ({3}).", left, leftValue, right, rightValue],
        RuleOperator.Greater => l["{0} ({1}) should be greater than {2} ({3}).", left, leftValue, right, rightValue],
        RuleOperator.NotEqual => l["{0} ({1}) should not equal {2} ({3}).", left, leftValue, right, rightValue],
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    public static string Format(double value) => Math.Round(value, 4).ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>The rules in force, parsed. A stored rule that no longer parses (a code renamed since) is left out, not failed on.</summary>
    public static async Task<List<CheckedRule>> LoadAsync(OneFormDbContext db, IStringLocalizer l, CancellationToken cancellationToken = default) =>
        Parse(await db.ValidationRules.AsNoTracking().OrderBy(r => r.Id).ToListAsync(cancellationToken), l);

    public static List<CheckedRule> Parse(IEnumerable<ValidationRule> rules, IStringLocalizer l) =>
        [.. rules.Select(r => (Rule: r, Left: RuleExpression.Parse(r.Left, l).Expression, Right: RuleExpression.Parse(r.Right, l).Expression))
            .Where(r => r.Left is not null && r.Right is not null)
            .Select(r => new CheckedRule(r.Rule, r.Left!, r.Right!))];

    /// <summary>The elements the rules name, by code (retired ones too: a value may still be held).</summary>
    public static async Task<Dictionary<string, DataElement>> ElementsAsync(OneFormDbContext db, IEnumerable<CheckedRule> rules,
        CancellationToken cancellationToken = default)
    {
        var codes = rules.SelectMany(r => r.References).Select(r => r.Code).Distinct().ToList();
        return await db.DataElements.AsNoTracking().Where(e => codes.Contains(e.Code)).ToDictionaryAsync(e => e.Code, cancellationToken);
    }

    /// <summary>The period <paramref name="back"/> periods before <paramref name="period"/> in the same cycle, or null for a code that is no period.</summary>
    public static string? Back(string period, int back)
    {
        if (!Period.TryParse(period, out var p))
        {
            return null;
        }
        for (var i = 0; i < back; i++)
        {
            p = p.Previous;
        }
        return p.ToString();
    }

    /// <summary>Every period a check of <paramref name="periods"/> reads: those, and as many before each as the rules look back.</summary>
    public static List<string> PeriodsRead(IEnumerable<CheckedRule> rules, IEnumerable<string> periods)
    {
        var back = rules.Select(r => r.MaxBack).DefaultIfEmpty(0).Max();
        return [.. periods.SelectMany(p => Enumerable.Range(0, back + 1).Select(b => Back(p, b))).OfType<string>().Distinct()];
    }

    /// <summary>
    /// The rules broken by one unit's numbers in each of <paramref name="periods"/>. <paramref name="number"/> gives the number an
    /// element holds in a period, or null; a rule one of whose elements holds nothing is skipped, not failed.
    /// </summary>
    public static List<RuleViolation> Evaluate(IEnumerable<CheckedRule> rules, Func<string, string, double?> number, IEnumerable<string> periods,
        IReadOnlyDictionary<string, DataElement> elements, IStringLocalizer l)
    {
        var culture = CultureInfo.CurrentUICulture;
        var violations = new List<RuleViolation>();
        foreach (var period in periods.Distinct())
        {
            double? Value(ElementReference reference) => Back(period, reference.Back) is { } at ? number(reference.Code, at) : null;
            foreach (var rule in rules)
            {
                if (rule.Left.Evaluate(Value) is not { } left || rule.Right.Evaluate(Value) is not { } right
                    || Holds(rule.Rule.Operator, left, right))
                {
                    continue;
                }
                violations.Add(new RuleViolation(rule.Rule.Id, rule.Rule.Name, rule.Rule.Importance.ToString(), period,
                    Message(rule, left, right, elements, l, culture), left, right));
            }
        }
        return violations;
    }

    /// <summary>A side in words: an element by its name (with "previous period" for [-1]), an expression with every code named.</summary>
    public static string Describe(RuleExpression side, IReadOnlyDictionary<string, DataElement> elements, IStringLocalizer l, CultureInfo culture) =>
        side.Describe(reference =>
        {
            var name = elements.TryGetValue(reference.Code, out var element) ? element.DisplayName(culture) : reference.Code;
            return reference.Back switch
            {
                0 => name,
                1 => l["{0} of the previous period", name],
                var back => l["{0} of {1} periods before", name, back],
            };
        });

    public static string Message(CheckedRule rule, double left, double right, IReadOnlyDictionary<string, DataElement> elements, IStringLocalizer l,
        CultureInfo culture)
    {
        var (leftName, rightName) = (Describe(rule.Left, elements, l, culture), Describe(rule.Right, elements, l, culture));
        var template = culture.TwoLetterISOLanguageName == "zh" ? rule.Rule.Message : rule.Rule.MessageEn;
        if (string.IsNullOrWhiteSpace(template))
        {
            return StandardMessage(rule.Rule.Operator, l, leftName, Format(left), rightName, Format(right));
        }
        return template.Replace("{left}", leftName, StringComparison.Ordinal).Replace("{leftValue}", Format(left), StringComparison.Ordinal)
            .Replace("{right}", rightName, StringComparison.Ordinal).Replace("{rightValue}", Format(right), StringComparison.Ordinal);
    }

    /// <summary>The rule in words, for lists: 预备党员数 ≤ 党员总数.</summary>
    public static string Description(CheckedRule rule, IReadOnlyDictionary<string, DataElement> elements, IStringLocalizer l, CultureInfo culture) =>
        $"{Describe(rule.Left, elements, l, culture)} {Symbol(rule.Rule.Operator).Replace("<=", "≤", StringComparison.Ordinal).Replace(">=", "≥", StringComparison.Ordinal).Replace("!=", "≠", StringComparison.Ordinal)} {Describe(rule.Right, elements, l, culture)}";

    /// <summary>
    /// The units of <paramref name="units"/> whose numbers (as far as <paramref name="numbers"/> lets the caller read them) break
    /// <paramref name="rules"/> in <paramref name="periods"/>: the validation run and a rule's test.
    /// </summary>
    public static async Task<List<UnitViolation>> RunAsync(OneFormDbContext db, IQueryable<HeldNumber> numbers, IQueryable<OrgUnit> units,
        IReadOnlyList<CheckedRule> rules, IReadOnlyCollection<string> periods, IStringLocalizer l, int limit = 1000, CancellationToken cancellationToken = default)
    {
        var elements = await ElementsAsync(db, rules, cancellationToken);
        var ids = elements.Values.Select(e => e.Id).ToList();
        var codes = elements.Values.ToDictionary(e => e.Id, e => e.Code);
        var read = PeriodsRead(rules, periods);
        var unitIds = units.Select(u => u.Id);
        var held = await numbers.Where(n => ids.Contains(n.DataElementId) && read.Contains(n.PeriodCode) && unitIds.Contains(n.OrgUnitId))
            .Select(n => new { n.OrgUnitId, n.DataElementId, n.PeriodCode, n.Number })
            .ToListAsync(cancellationToken);
        var byUnit = held.GroupBy(n => n.OrgUnitId).ToList();
        var violations = new List<(int Unit, RuleViolation Violation)>();
        foreach (var unit in byUnit)
        {
            var lookup = unit.ToDictionary(n => (codes[n.DataElementId], n.PeriodCode), n => n.Number);
            violations.AddRange(Evaluate(rules, (code, period) => lookup.TryGetValue((code, period), out var n) ? n : null, periods, elements, l)
                .Select(v => (unit.Key, v)));
        }
        var brokenUnits = violations.Select(v => v.Unit).Distinct().ToList();
        var names = await db.OrgUnits.AsNoTracking().Where(u => brokenUnits.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => (u.Code, u.Name), cancellationToken);
        return [.. violations
            .Select(v => new UnitViolation(names[v.Unit].Code, names[v.Unit].Name, v.Violation.Period, v.Violation.RuleId, v.Violation.Rule,
                v.Violation.Importance, v.Violation.Message, v.Violation.Left, v.Violation.Right))
            .OrderBy(v => v.UnitCode, StringComparer.Ordinal).ThenBy(v => v.Period, StringComparer.Ordinal).ThenBy(v => v.RuleId)
            .Take(limit)];
    }

    public static async Task<ValidationRuleResponse> ResponseAsync(OneFormDbContext db, ValidationRule rule, IStringLocalizer l)
    {
        var parsed = Parse([rule], l);
        var elements = await ElementsAsync(db, parsed);
        return Response(rule, parsed.SingleOrDefault(), elements, l);
    }

    public static ValidationRuleResponse Response(ValidationRule rule, CheckedRule? parsed, IReadOnlyDictionary<string, DataElement> elements, IStringLocalizer l) =>
        new(rule.Id, rule.Name, rule.Left, Symbol(rule.Operator), rule.Right, rule.Importance.ToString(), rule.Message, rule.MessageEn,
            parsed is null ? "" : Description(parsed, elements, l, CultureInfo.CurrentUICulture));

    /// <summary>
    /// Checks a request and applies it to <paramref name="rule"/> (a new one when null, not yet added); the problems by field,
    /// each naming what is wrong and, for a side, where.
    /// </summary>
    public static async Task<(ValidationRule? Rule, Dictionary<string, string[]> Errors)> ApplyAsync(OneFormDbContext db, ValidationRule? rule,
        ValidationRuleRequest request, IStringLocalizer l, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > ValidationRule.MaxNameLength)
        {
            errors[nameof(request.Name)] = [l["Give the rule a name of 1 to {0} characters.", ValidationRule.MaxNameLength]];
        }
        else if (InputRules.Problem(name, l["Name"], l) is { } badName)
        {
            errors[nameof(request.Name)] = [badName];
        }
        else if (await db.ValidationRules.AnyAsync(r => r.Name == name && r.Id != (rule == null ? 0 : rule.Id), cancellationToken))
        {
            errors[nameof(request.Name)] = [l["A rule named {0} already exists.", name]];
        }
        if (!TryParseOperator(request.Operator, out var op))
        {
            errors[nameof(request.Operator)] = [l["The operator must be one of {0}.", string.Join(" ", OperatorSymbols)]];
        }
        if (!Enum.IsDefined(request.Importance))
        {
            errors[nameof(request.Importance)] = [l["The importance must be Error or Warning."]];
        }
        var sides = new List<RuleExpression>();
        foreach (var (field, text, label) in new[] { (nameof(request.Left), request.Left, l["Left side"].Value), (nameof(request.Right), request.Right, l["Right side"].Value) })
        {
            var parsed = RuleExpression.Parse(text, l);
            if (parsed.Problem is not null)
            {
                errors[field] = [l["{0}: {1}", label, parsed.Problem]];
                continue;
            }
            sides.Add(parsed.Expression!);
            var codes = parsed.Expression!.References().Select(r => r.Code).Distinct().ToList();
            var known = await db.DataElements.AsNoTracking().Where(e => codes.Contains(e.Code)).ToDictionaryAsync(e => e.Code, cancellationToken);
            var problems = codes.Select(code => known.TryGetValue(code, out var element)
                    ? element.IsNumeric || element.ValueType == ElementValueType.YesNo ? null : l["{0} ({1}) holds no number and cannot be compared.", code, element.Name].Value
                    : l["{0} is not an element of the dictionary.", code].Value)
                .OfType<string>().ToList();
            if (problems.Count > 0)
            {
                errors[field] = [l["{0}: {1}", label, string.Join(" ", problems)]];
            }
        }
        if (sides.Count == 2 && !sides.SelectMany(s => s.References()).Any(r => r.Back == 0))
        {
            errors[nameof(request.Left)] = [l["A rule must name at least one element of the period it checks (without [-1])."]];
        }
        foreach (var (field, message) in new[] { (nameof(request.Message), request.Message), (nameof(request.MessageEn), request.MessageEn) })
        {
            if (message is null || message.Trim().Length == 0)
            {
                continue;
            }
            if (message.Trim().Length > ValidationRule.MaxMessageLength)
            {
                errors[field] = [l["The message may have at most {0} characters.", ValidationRule.MaxMessageLength]];
            }
            else if (Placeholder().Matches(message).Select(m => m.Value).FirstOrDefault(p => p is not ("{left}" or "{leftValue}" or "{right}" or "{rightValue}")) is { } unknown)
            {
                errors[field] = [l["The message may use {{left}}, {{leftValue}}, {{right}} and {{rightValue}}; {0} is not one of them.", unknown]];
            }
            else if (InputRules.Problem(message, l["Message"], l) is { } badMessage)
            {
                errors[field] = [badMessage];
            }
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        rule ??= new ValidationRule { Name = name, Left = "", Right = "" };
        (rule.Name, rule.Left, rule.Operator, rule.Right, rule.Importance) = (name, request.Left.Trim().ToUpperInvariant(), op, request.Right.Trim().ToUpperInvariant(), request.Importance);
        (rule.Message, rule.MessageEn) = (Blank(request.Message), Blank(request.MessageEn));
        return (rule, errors);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    [GeneratedRegex(@"\{[^{}]*\}")]
    private static partial Regex Placeholder();
}
