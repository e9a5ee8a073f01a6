using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Dictionary.Validation;

namespace OneForm.Dictionary;

/// <summary>
/// Indicators (指标公式): an element whose value is a formula over other elements of the same unit and period, such as
/// <c>DISPUTES_MEDIATED / DISPUTES_SCREENED * 100</c>. Written like a side of a validation rule (the same parser), but
/// over the same period only. At every level of the tree an indicator is its formula over the rolled-up parts, never
/// a sum or an average of the units' indicators, so a street's rate weighs each village by its size.
/// </summary>
public static class ElementFormulas
{
    /// <summary>The formula parsed, or null for an element without one (or a stored one that no longer parses).</summary>
    public static RuleExpression? Parse(DataElement element) =>
        element.Formula is { Length: > 0 } text ? RuleExpression.Parse(text, Invariant.Instance).Expression : null;

    /// <summary>The codes a formula names, each once.</summary>
    public static IEnumerable<string> Parts(RuleExpression formula) => formula.References().Select(r => r.Code).Distinct();

    /// <summary>
    /// Checks a formula for the element <paramref name="code"/>: it parses, names only existing numeric elements in
    /// force, looks at the same period only, and neither names the element itself nor goes round through other
    /// indicators back to it. Returns the problem in words, or null.
    /// </summary>
    public static async Task<string?> ProblemAsync(OneFormDbContext db, string code, string formula, IStringLocalizer l,
        CancellationToken cancellationToken = default)
    {
        var parsed = RuleExpression.Parse(formula, l);
        if (parsed.Expression is not { } expression)
        {
            return l["The formula cannot be read: {0}", parsed.Problem!];
        }
        var references = expression.References().ToList();
        if (references.Count == 0)
        {
            return l["A formula names at least one element; a number alone is not an indicator."];
        }
        if (references.FirstOrDefault(r => r.Back > 0) is { Code.Length: > 0 } back)
        {
            return l["{0}[-{1}]: a formula is over the same period's values; earlier periods belong in checks across fields.", back.Code, back.Back];
        }
        var codes = references.Select(r => r.Code).Distinct().ToList();
        if (codes.Contains(code))
        {
            return l["The formula of {0} names {0} itself.", code];
        }
        var elements = await db.DataElements.AsNoTracking().Where(e => codes.Contains(e.Code)).ToDictionaryAsync(e => e.Code, cancellationToken);
        foreach (var part in codes)
        {
            if (!elements.TryGetValue(part, out var element))
            {
                return l["The formula names {0}, which is not in the dictionary.", part];
            }
            if (element.IsRetired)
            {
                return l["The formula names {0} ({1}), which is retired.", element.Name, part];
            }
            if (!element.IsNumeric)
            {
                return l["The formula names {0} ({1}), which is not a number.", element.Name, part];
            }
        }
        // Through other indicators: following the parts' formulas must never come back to this element.
        var formulas = await db.DataElements.AsNoTracking().Where(e => e.Formula != null && e.Code != code)
            .Select(e => new { e.Code, e.Formula }).ToListAsync(cancellationToken);
        var partsOf = formulas.ToDictionary(f => f.Code, f => RuleExpression.Parse(f.Formula, l).Expression is { } x ? Parts(x).ToList() : []);
        var seen = new HashSet<string>();
        var path = new Stack<string>();
        bool ComesBack(string at)
        {
            if (at == code)
            {
                return true;
            }
            if (!seen.Add(at))
            {
                return false;
            }
            path.Push(at);
            if (partsOf.GetValueOrDefault(at)?.Any(ComesBack) == true)
            {
                return true;
            }
            path.Pop();
            return false;
        }
        foreach (var part in codes)
        {
            if (ComesBack(part))
            {
                return l["The formula goes round in a circle: {0}.", string.Join(" → ", path.Reverse().Prepend(code).Append(code))];
            }
        }
        return null;
    }

    /// <summary>A formula in words: "矛盾纠纷调解成功数 ÷ 矛盾纠纷排查数 × 100".</summary>
    public static string Describe(RuleExpression formula, IReadOnlyDictionary<string, DataElement> elements, CultureInfo culture) =>
        formula.Describe(r => elements.TryGetValue(r.Code, out var e) ? e.DisplayName(culture) : r.Code);

    /// <summary>The formulas of <paramref name="indicators"/> in words, by element id, naming parts as the dictionary does.</summary>
    public static async Task<Dictionary<int, string>> DescribedAsync(OneFormDbContext db, IEnumerable<DataElement> indicators, CultureInfo culture,
        CancellationToken cancellationToken = default)
    {
        var parsed = indicators.Select(e => (e.Id, Formula: Parse(e))).Where(x => x.Formula is not null).ToList();
        var codes = parsed.SelectMany(x => Parts(x.Formula!)).Distinct().ToList();
        var elements = codes.Count == 0 ? [] : await db.DataElements.AsNoTracking().Where(e => codes.Contains(e.Code)).ToDictionaryAsync(e => e.Code, cancellationToken);
        return parsed.ToDictionary(x => x.Id, x => Describe(x.Formula!, elements, culture));
    }

    /// <summary>The value of a formula as stored: rounded to whole numbers for an integer element, to two places otherwise; null when it has none.</summary>
    public static (string Value, double Number)? Value(DataElement indicator, double? result)
    {
        if (result is not { } number || double.IsNaN(number) || double.IsInfinity(number) || Math.Abs(number) >= 1e15)
        {
            return null;
        }
        var rounded = Math.Round((decimal)number, indicator.ValueType == ElementValueType.Integer ? 0 : 2, MidpointRounding.AwayFromZero);
        return (rounded.ToString("0.##", CultureInfo.InvariantCulture), (double)rounded);
    }

    /// <summary>
    /// Parsing a stored formula again needs no messages: it was checked when saved. A localizer that answers with the
    /// key keeps <see cref="RuleExpression.Parse"/> usable where no request culture is at hand.
    /// </summary>
    private sealed class Invariant : IStringLocalizer
    {
        public static readonly Invariant Instance = new();

        public LocalizedString this[string name] => new(name, name);

        public LocalizedString this[string name, params object[] arguments] => new(name, string.Format(CultureInfo.InvariantCulture, name, arguments));

        public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => [];
    }
}
