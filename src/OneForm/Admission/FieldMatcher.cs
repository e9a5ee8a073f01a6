using System.Text;
using System.Text.RegularExpressions;

namespace OneForm.Admission;

/// <summary>How sure the matcher is that a proposed field is an element of the dictionary.</summary>
public enum MatchKind
{
    /// <summary>The same name, or a synonym the dictionary already lists.</summary>
    Exact,

    /// <summary>The same once wording is set aside: full-width digits, units in brackets, 周岁/岁, 及以上/以上, 数量/数,
    /// Chinese numerals, abbreviations, counting words (件/起/宗), or the same words in another order.</summary>
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
/// only look alike are kept apart by their qualifiers (常住 vs 户籍, 户数 vs 人数, 60 vs 80岁, 男 vs 女, 新增 vs 累计).
/// What it knows of the language (abbreviations, counting words, person-level columns) is in <see cref="FieldLanguage"/>.
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
        // A figure of people and the figure of those of them something was done for: 65岁以上老人数 is not 65岁以上老人健康管理人数.
        // A change and a total are different figures of the same thing: 新增低保户数 is not 低保户数.
        ["新增", "累计", "净增", "减少"],
        ["管理", "签约", "参保", "接种", "培训", "补贴", "津贴", "资助", "走访", "慰问", "安置", "帮教"],
    ];

    /// <summary>Wording that says the same thing, replaced by one form before names are compared (in this order).</summary>
    private static readonly (string From, string To)[] Wording =
    [
        ("周岁", "岁"), ("岁及以上", "岁以上"), ("及以上", "以上"), ("岁及以下", "岁以下"), ("及以下", "以下"), ("至", "-"),
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
    /// the year of the period removed, Chinese numerals written as digits, punctuation removed (a dash between numbers
    /// kept), abbreviations, counting words and equivalent wording made one (<see cref="FieldLanguage"/>).</summary>
    public static string Normalise(string name)
    {
        var text = WithoutUnit(name.Normalize(NormalizationForm.FormKC).Trim());
        text = ChineseNumber().Replace(text, m => ArabicOf(m.Value));
        // The year belongs to the period, not to the figure: 2025年村集体经济收入 is 村集体经济收入.
        text = Year().Replace(text, "");
        foreach (var (from, to) in Ranges)
        {
            text = text.Replace(from, to, StringComparison.Ordinal);
        }
        text = NumberRange().Replace(text, "$1-");
        var kept = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c) || c is '%' or '-')
            {
                kept.Append(char.ToLowerInvariant(c));
            }
        }
        text = kept.ToString();
        foreach (var (from, to) in AbbreviationsLongestFirst)
        {
            text = text.Replace(from, to, StringComparison.Ordinal);
        }
        foreach (var (from, to) in Wording)
        {
            text = text.Replace(from, to, StringComparison.Ordinal);
        }
        foreach (var (from, to) in FieldLanguage.CountingWords)
        {
            if (text.EndsWith(from, StringComparison.Ordinal))
            {
                text = string.Concat(text.AsSpan(0, text.Length - from.Length), to);
            }
        }
        return PeopleCount().Replace(text, "$1数");
    }

    private static readonly (string From, string To)[] Ranges = [("~", "-"), ("—", "-"), ("–", "-")];

    private static readonly (string Written, string Canonical)[] AbbreviationsLongestFirst =
        [.. FieldLanguage.Abbreviations.OrderByDescending(a => a.Written.Length)];

    /// <summary>The name without units: in brackets of any kind (（人）【亩】〔户〕), after "单位：", or after a slash at the end (耕地面积/亩).</summary>
    private static string WithoutUnit(string text)
    {
        text = text.Replace('【', '(').Replace('】', ')').Replace('〔', '(').Replace('〕', ')');
        text = Bracketed().Replace(text, "");
        return TrailingUnit().Replace(text, "");
    }

    [GeneratedRegex(@"(?:单位[:：]?|/)\s*[\p{IsCJKUnifiedIdeographs}%]{1,2}\s*$")]
    private static partial Regex TrailingUnit();

    /// <summary>60岁至69岁, 60到69岁, 60岁-69岁: one range, written 60-69岁.</summary>
    [GeneratedRegex(@"(\d)(?:周?岁)?\s*(?:至|到|-)\s*(?=\d)")]
    private static partial Regex NumberRange();

    [GeneratedRegex(@"(?<!\d)(19|20)\d\d年度?")]
    private static partial Regex Year();

    /// <summary>A run of Chinese numerals that gives an age, a year or a range (followed by 岁, 年, 以上, 至…), not one
    /// inside a name or an idiom (一肩挑, 两委, 三会一课, 一二级残疾, 最近一次, 十户联防).</summary>
    [GeneratedRegex("[〇零一二三四五六七八九十百千两]+(?=周岁|岁|年|月|以上|以下|及以|至|到|-|~|%)")]
    private static partial Regex ChineseNumber();

    /// <summary>六十五 → 65, 十八 → 18, 一百 → 100, 二〇二五 → 2025 (digit by digit when no 十/百/千).</summary>
    public static string ArabicOf(string numerals)
    {
        static int Digit(char c) => "〇一二三四五六七八九".IndexOf(c) is var i and >= 0 ? i : c == '零' ? 0 : c == '两' ? 2 : -1;
        if (numerals.IndexOfAny(['十', '百', '千']) < 0)
        {
            return string.Concat(numerals.Select(c => (char)('0' + Digit(c))));
        }
        var (total, current) = (0, 0);
        foreach (var c in numerals)
        {
            var place = c switch { '十' => 10, '百' => 100, '千' => 1000, _ => 0 };
            if (place == 0)
            {
                current = Digit(c);
                continue;
            }
            total += (current == 0 ? 1 : current) * place;
            current = 0;
        }
        return (total + current).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>What is counted: households, persons, cases (件/起/宗/处), or neither (a sum of money, an area, yes/no, person-times).</summary>
    private static string? Counted(string normalised, string? unit)
    {
        var byUnit = unit is null ? null : FieldLanguage.CountedBy.GetValueOrDefault(unit);
        if (normalised.EndsWith("户数", StringComparison.Ordinal) || byUnit == "户")
        {
            return "户";
        }
        if (normalised.EndsWith("人数", StringComparison.Ordinal) || normalised.EndsWith("人口", StringComparison.Ordinal) || byUnit == "人")
        {
            return "人";
        }
        if (normalised.EndsWith("件数", StringComparison.Ordinal) || byUnit == "件")
        {
            return "件";
        }
        return null;
    }

    /// <summary>The unit a name gives itself: the last short word in brackets, after "单位：" or after a slash at the end.</summary>
    private static string? UnitIn(string name)
    {
        var text = name.Normalize(NormalizationForm.FormKC).Replace('【', '(').Replace('】', ')').Replace('〔', '(').Replace('〕', ')');
        if (TrailingUnit().Match(text) is { Success: true } trailing)
        {
            return trailing.Value.TrimStart('单', '位', ':', '：', '/', ' ').Trim();
        }
        return Bracketed().Matches(text).Select(m => m.Groups[1].Value.Trim()).Select(u => u.StartsWith("单位", StringComparison.Ordinal) ? u[2..].TrimStart(':', '：') : u)
            .LastOrDefault(u => u.Length is > 0 and <= 4);
    }

    /// <summary>
    /// Which of a proposal's columns describe one person (姓名, 性别, 文化程度, 是否低保对象), the way <see cref="FieldLanguage"/>
    /// lists them: such a column is a roster's (名单), not an aggregate field. Phone, address, age and remarks count
    /// only when the proposal is already a roster (it names a person or an identity number).
    /// </summary>
    public static bool[] PersonLevel(IReadOnlyList<string> names)
    {
        var bare = names.Select(Bare).ToList();
        var strong = bare.Select(n => IsPersonColumn(n, FieldLanguage.PersonColumns)).ToArray();
        var roster = strong.Any(s => s);
        return [.. bare.Select((n, i) => strong[i] || (roster && IsPersonColumn(n, FieldLanguage.PersonColumnsInRoster)))];

        static string Bare(string name) =>
            string.Concat(WithoutUnit(name.Normalize(NormalizationForm.FormKC).Trim()).Where(c => char.IsLetterOrDigit(c)));
    }

    private static bool IsPersonColumn(string name, IReadOnlyList<string> columns)
    {
        if (name.StartsWith("是否", StringComparison.Ordinal) && FieldLanguage.PersonKinds.Any(k => name.EndsWith(k, StringComparison.Ordinal) && name.Length - k.Length <= 4))
        {
            return true;
        }
        // A short qualifier is allowed before the column (户主姓名, 监护人联系电话), a word of totals is not (平均年龄, 少数民族).
        return columns.Any(c => name.EndsWith(c, StringComparison.Ordinal) && name.Length - c.Length <= 4
            && !FieldLanguage.AggregateWords.Any(w => name[..^c.Length].Contains(w, StringComparison.Ordinal)));
    }

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
        // Both count cases, or both count people: the counting word says nothing more (矛盾纠纷排查件数 ~ 矛盾纠纷排查数).
        if (!conflict && Counted(name, unit) is "件" or "人" && Counted(name, unit) == Counted(other, otherUnit))
        {
            (name, other) = (WithoutCountingWord(name), WithoutCountingWord(other));
        }
        if (name == other)
        {
            return conflict ? (0.5, MatchKind.Related) : (0.92, MatchKind.SameWording);
        }
        // The same words in another order (排查安全隐患处数 ~ 安全隐患排查处数): the same characters, each as often.
        if (!conflict && name.Length >= 4 && SameCharacters(name, other))
        {
            return (0.9, MatchKind.SameWording);
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

    private static string WithoutCountingWord(string name) =>
        name.EndsWith("件数", StringComparison.Ordinal) || name.EndsWith("人数", StringComparison.Ordinal) ? string.Concat(name.AsSpan(0, name.Length - 2), "数") : name;

    private static bool SameCharacters(string a, string b) =>
        a.Length == b.Length && a.Order().SequenceEqual(b.Order());

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
