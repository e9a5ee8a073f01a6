using System.Text;
using System.Text.RegularExpressions;

namespace OneForm.Admission;

/// <summary>How sure the matcher is that a proposed field is an element of the dictionary.</summary>
public enum MatchKind
{
    /// <summary>The same name, or a synonym the dictionary already lists.</summary>
    Exact,

    /// <summary>The same once wording is set aside: full-width digits, units in brackets, 周岁/岁, 及以上/以上, 数量/数.</summary>
    SameWording,

    /// <summary>Close enough in wording, with no qualifier that tells them apart.</summary>
    Likely,

    /// <summary>Related (the same subject), but not the same figure: shown for reference, never accepted by default.</summary>
    Related,
}

public sealed record MatchCandidate(string Code, string Name, IReadOnlyList<string> Synonyms, string? Unit);

public sealed record FieldMatch(string Code, string Name, double Confidence, MatchKind Kind)
{
    public bool IsMatch => Kind is not MatchKind.Related;
}

/// <summary>
/// Finds the dictionary elements a proposed field names, the way a gatekeeper reads Chinese form headers: the same
/// figure worded differently matches (户籍总人口 ~ 户籍人口数; 60周岁及以上老人数量 ~ 60岁以上老年人数), while figures that
/// only look alike are kept apart by their qualifiers (常住 vs 户籍, 户数 vs 人数, 60 vs 80岁, 男 vs 女).
/// </summary>
public static partial class FieldMatcher
{
    public const double MatchThreshold = 0.72;
    public const double RelatedThreshold = 0.45;

    /// <summary>Words that make a different figure of the same subject: two names must agree on each group.</summary>
    private static readonly string[][] Qualifiers =
    [
        ["常住", "户籍", "流入", "流出", "外出", "流动", "暂住"],
        ["重大", "一般"],
        ["医保", "养老"],
        ["男", "女"],
        ["一二级", "三四级", "重度"],
        ["预备", "正式"],
        ["困难", "新发展", "本年发展", "积极分子"],
        ["城镇", "农村", "城乡"],
        ["低保", "特困", "临时救助", "孤儿"],
        ["少数民族", "汉族"],
        ["经营性"],
        ["率"],
        ["金额", "资金", "经费"],
        ["次数", "人次"],
        ["面积"],
        ["排查", "调解成功", "整改", "办结"],
        ["是否"],
        ["日期", "时间"],
    ];

    /// <summary>Wording that says the same thing, replaced by one form before names are compared (in this order).</summary>
    private static readonly (string From, string To)[] Wording =
    [
        ("周岁", "岁"), ("岁及以上", "岁以上"), ("及以上", "以上"), ("岁及以下", "岁以下"), ("及以下", "以下"), ("至", "-"), ("~", "-"), ("—", "-"),
        ("老年人", "老人"), ("老年", "老人"), ("数量", "数"), ("人口总数", "人口"), ("总人口数", "人口"), ("总人口", "人口"),
        ("人口数", "人口"), ("人员数", "人数"), ("户总数", "户数"), ("总户数", "户数"), ("总人数", "人数"), ("总数", "数"),
        ("的", ""), ("合计", ""), ("总计", ""), ("居委会", "村委会"), ("社区", "村"), ("对象", ""), ("情况", ""),
        ("共产党员", "党员"), ("中共党员", "党员"), ("退伍军人", "退役军人"), ("享受", ""), ("在册", ""), ("建档立卡", ""),
        ("支部委员会", "支委会"), ("基本医疗保险", "医保"), ("医疗保险", "医保"), ("基本养老保险", "养老保险"), ("农村居民", "农民"),
    ];

    /// <summary>"…人数" after a word for people counts the same as "…数": 党员人数 ~ 党员数, 网格员人数 ~ 网格员数.</summary>
    [GeneratedRegex("(员|部|童|人|者|妇|属|生|分子|军人)人数")]
    private static partial Regex PeopleCount();

    [GeneratedRegex(@"\(([^()]*)\)")]
    private static partial Regex Bracketed();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();

    /// <summary>The name as it is compared: NFKC (full-width digits and brackets become ASCII), units in brackets and
    /// punctuation removed (a dash between numbers kept), equivalent wording made one.</summary>
    public static string Normalise(string name)
    {
        var text = name.Normalize(NormalizationForm.FormKC).Trim();
        text = Bracketed().Replace(text, "");
        foreach (var (from, to) in Wording)
        {
            text = text.Replace(from, to, StringComparison.Ordinal);
        }
        text = PeopleCount().Replace(text, "$1数");
        var kept = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c) || c is '%' or '-')
            {
                kept.Append(char.ToLowerInvariant(c));
            }
        }
        return kept.ToString();
    }

    /// <summary>What is counted: households, persons (people or person-times), or neither (a sum of money, an area, yes/no).</summary>
    private static string? Counted(string normalised, string? unit)
    {
        if (normalised.EndsWith("户数", StringComparison.Ordinal) || unit == "户")
        {
            return "户";
        }
        if (normalised.EndsWith("人数", StringComparison.Ordinal) || normalised.EndsWith("人口", StringComparison.Ordinal) || unit is "人")
        {
            return "人";
        }
        return null;
    }

    private static string? UnitIn(string name) =>
        Bracketed().Matches(name.Normalize(NormalizationForm.FormKC)).Select(m => m.Groups[1].Value.Trim()).LastOrDefault(u => u.Length is > 0 and <= 4);

    /// <summary>The elements a proposed field may be, best first: matches, then related ones; at most <paramref name="take"/>.</summary>
    public static IReadOnlyList<FieldMatch> Match(string proposedName, string? proposedUnit, IEnumerable<MatchCandidate> candidates, int take = 5)
    {
        var raw = proposedName.Trim();
        var name = Normalise(raw);
        var unit = string.IsNullOrWhiteSpace(proposedUnit) ? UnitIn(raw) : proposedUnit.Trim();
        if (name.Length == 0)
        {
            return [];
        }
        var found = new List<FieldMatch>();
        foreach (var candidate in candidates)
        {
            var best = (Confidence: 0.0, Kind: MatchKind.Related);
            foreach (var other in candidate.Synonyms.Prepend(candidate.Name))
            {
                var score = Score(raw, name, unit, other, candidate.Unit, isSynonym: other != candidate.Name);
                if (score.Confidence > best.Confidence)
                {
                    best = score;
                }
            }
            if (best.Confidence >= RelatedThreshold)
            {
                found.Add(new FieldMatch(candidate.Code, candidate.Name, Math.Round(best.Confidence, 2), best.Kind));
            }
        }
        return [.. found.OrderByDescending(m => m.IsMatch).ThenByDescending(m => m.Confidence).ThenBy(m => m.Code, StringComparer.Ordinal).Take(take)];
    }

    private static (double Confidence, MatchKind Kind) Score(string raw, string name, string? unit, string otherRaw, string? otherUnit, bool isSynonym)
    {
        if (string.Equals(raw, otherRaw.Trim(), StringComparison.Ordinal))
        {
            return (isSynonym ? 0.97 : 1.0, MatchKind.Exact);
        }
        var other = Normalise(otherRaw);
        if (other.Length == 0)
        {
            return (0, MatchKind.Related);
        }
        var conflict = Conflicts(name, unit, other, otherUnit);
        if (name == other)
        {
            return conflict ? (0.5, MatchKind.Related) : (0.92, MatchKind.SameWording);
        }
        var similarity = Dice(name, other);
        // One name inside the other ("党员数" in "党员总数") is as good as close wording when nothing tells them apart.
        if (name.Contains(other, StringComparison.Ordinal) || other.Contains(name, StringComparison.Ordinal))
        {
            similarity = Math.Max(similarity, 0.6 + 0.3 * Math.Min(name.Length, other.Length) / Math.Max(name.Length, other.Length));
        }
        if (conflict)
        {
            // The same subject once the qualifiers are set aside (常住人口 and 户籍人口): worth showing as related.
            var subject = Dice(WithoutQualifiers(name), WithoutQualifiers(other));
            return (Math.Max(Math.Min(similarity, MatchThreshold - 0.01) * 0.9, subject >= 0.7 ? 0.6 : 0), MatchKind.Related);
        }
        return (similarity, similarity >= MatchThreshold ? MatchKind.Likely : MatchKind.Related);
    }

    private static string WithoutQualifiers(string name)
    {
        foreach (var word in Qualifiers.SelectMany(g => g).Append("户").Append("人"))
        {
            name = name.Replace(word, "", StringComparison.Ordinal);
        }
        return Digits().Replace(name, "");
    }

    /// <summary>True when the two names differ in something that makes them different figures.</summary>
    private static bool Conflicts(string a, string? unitA, string b, string? unitB)
    {
        // Numbers: 60岁 and 80岁, 35岁及以下, 0-6岁: a number in one name must be in the other.
        var numbersA = Digits().Matches(a).Select(m => m.Value).ToHashSet();
        var numbersB = Digits().Matches(b).Select(m => m.Value).ToHashSet();
        if (!numbersA.SetEquals(numbersB))
        {
            return true;
        }
        if (a.Contains("以上", StringComparison.Ordinal) != b.Contains("以上", StringComparison.Ordinal)
            || a.Contains("以下", StringComparison.Ordinal) != b.Contains("以下", StringComparison.Ordinal))
        {
            return true;
        }
        var countedA = Counted(a, unitA);
        var countedB = Counted(b, unitB);
        if (countedA is not null && countedB is not null && countedA != countedB)
        {
            return true;
        }
        foreach (var group in Qualifiers)
        {
            var inA = group.Where(q => a.Contains(q, StringComparison.Ordinal)).ToHashSet();
            var inB = group.Where(q => b.Contains(q, StringComparison.Ordinal)).ToHashSet();
            if (!inA.SetEquals(inB))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Dice's coefficient over character pairs (single characters for one-character names).</summary>
    public static double Dice(string a, string b)
    {
        static List<string> Pairs(string s) => s.Length < 2 ? [s] : [.. Enumerable.Range(0, s.Length - 1).Select(i => s.Substring(i, 2))];
        var pairsA = Pairs(a);
        var pairsB = Pairs(b);
        var remaining = pairsB.GroupBy(p => p).ToDictionary(g => g.Key, g => g.Count());
        var shared = 0;
        foreach (var pair in pairsA)
        {
            if (remaining.TryGetValue(pair, out var n) && n > 0)
            {
                remaining[pair] = n - 1;
                shared++;
            }
        }
        return 2.0 * shared / (pairsA.Count + pairsB.Count);
    }
}
