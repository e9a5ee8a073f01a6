using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;

namespace OneForm.Common;

/// <summary>
/// A reporting period (报告期): <c>2019M03</c>, <c>2019Q1</c>, <c>2019H1</c> or <c>2019</c>.
/// A form's cycle decides its periods; a one-off form reports once, in the year it takes effect.
/// </summary>
public readonly partial record struct Period(int Year, ReportingCycle Cycle, int Number)
{
    public static bool TryParse(string? text, out Period period)
    {
        period = default;
        var match = Pattern().Match(text?.Trim() ?? "");
        if (!match.Success)
        {
            return false;
        }
        var year = int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture);
        if (!match.Groups["kind"].Success)
        {
            period = new Period(year, ReportingCycle.Annual, 1);
            return true;
        }
        var number = int.Parse(match.Groups["number"].Value, CultureInfo.InvariantCulture);
        var (cycle, max) = match.Groups["kind"].Value switch
        {
            "M" => (ReportingCycle.Monthly, 12),
            "Q" => (ReportingCycle.Quarterly, 4),
            _ => (ReportingCycle.HalfYearly, 2),
        };
        if (number < 1 || number > max)
        {
            return false;
        }
        period = new Period(year, cycle, number);
        return true;
    }

    /// <summary>
    /// A period as a person writes it, or its code: 2026Q4, 2026年第四季度, 2026年第4季度, 2026年11月, 2026年十一月,
    /// 2026年上半年, 2026年 or 2026年度 (full-width digits and spaces allowed), and the English names the pages show
    /// (2026, quarter 4; 2026, month 11; 2026, first half; Year 2026).
    /// </summary>
    public static bool TryParseName(string? text, out Period period)
    {
        if (TryParse(text, out period))
        {
            return true;
        }
        var plain = string.Concat((text ?? "").Where(c => !char.IsWhiteSpace(c))
            .Select(c => c is >= '０' and <= '９' ? (char)(c - '０' + '0') : c is '，' ? ',' : c));
        var match = NamePattern().Match(plain);
        if (!match.Success || !int.TryParse(match.Groups["year"].Value, CultureInfo.InvariantCulture, out var year))
        {
            return false;
        }
        var rest = match.Groups["rest"].Value.ToLowerInvariant();
        if (rest is "" or "年" or "年度")
        {
            period = new Period(year, ReportingCycle.Annual, 1);
            return true;
        }
        Period? found = rest switch
        {
            "年上半年" or "上半年" or ",firsthalf" => new Period(year, ReportingCycle.HalfYearly, 1),
            "年下半年" or "下半年" or ",secondhalf" => new Period(year, ReportingCycle.HalfYearly, 2),
            _ when RestPattern().Match(rest) is { Success: true } m && NumberIn(m.Groups["n"].Value) is { } n =>
                m.Groups["q"].Success || m.Groups["qe"].Success
                    ? n is >= 1 and <= 4 ? new Period(year, ReportingCycle.Quarterly, n) : null
                    : n is >= 1 and <= 12 ? new Period(year, ReportingCycle.Monthly, n) : null,
            _ => null,
        };
        period = found ?? default;
        return found is not null;
    }

    private static int? NumberIn(string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }
        const string digits = "一二三四五六七八九";
        return text switch
        {
            "十" => 10,
            "十一" => 11,
            "十二" => 12,
            { Length: 1 } when digits.IndexOf(text[0], StringComparison.Ordinal) is var i and >= 0 => i + 1,
            _ => null,
        };
    }

    public static Period Parse(string text) =>
        TryParse(text, out var period) ? period : throw new FormatException($"'{text}' is not a period such as 2019M03, 2019Q1, 2019H1 or 2019.");

    /// <summary>The period of <paramref name="cycle"/> that contains <paramref name="day"/>.</summary>
    public static Period Containing(ReportingCycle cycle, DateOnly day) => cycle switch
    {
        ReportingCycle.Monthly => new Period(day.Year, cycle, day.Month),
        ReportingCycle.Quarterly => new Period(day.Year, cycle, (day.Month + 2) / 3),
        ReportingCycle.HalfYearly => new Period(day.Year, cycle, day.Month <= 6 ? 1 : 2),
        _ => new Period(day.Year, ReportingCycle.Annual, 1),
    };

    private int MonthsLong => MonthsOf(Cycle);

    private static int MonthsOf(ReportingCycle cycle) => cycle switch
    {
        ReportingCycle.Monthly => 1,
        ReportingCycle.Quarterly => 3,
        ReportingCycle.HalfYearly => 6,
        _ => 12,
    };

    /// <summary>How many periods of a cycle a year has (a one-off form reports once).</summary>
    public static int PerYear(ReportingCycle cycle) => 12 / MonthsOf(cycle);

    public DateOnly Start => new(Year, (Number - 1) * MonthsLong + 1, 1);

    // The year's last period ends on 31 December, also in the calendar's last year (9999), where a month later does not exist.
    public DateOnly End => Number * MonthsLong >= 12 ? new DateOnly(Year, 12, 31) : Start.AddMonths(MonthsLong).AddDays(-1);

    public Period Next => Number * MonthsLong >= 12 ? this with { Year = Year + 1, Number = 1 } : this with { Number = Number + 1 };

    public Period Previous => Number == 1 ? this with { Year = Year - 1, Number = 12 / MonthsLong } : this with { Number = Number - 1 };

    public override string ToString() => Cycle switch
    {
        ReportingCycle.Monthly => string.Create(CultureInfo.InvariantCulture, $"{Year}M{Number:00}"),
        ReportingCycle.Quarterly => string.Create(CultureInfo.InvariantCulture, $"{Year}Q{Number}"),
        ReportingCycle.HalfYearly => string.Create(CultureInfo.InvariantCulture, $"{Year}H{Number}"),
        _ => Year.ToString(CultureInfo.InvariantCulture),
    };

    [GeneratedRegex(@"^(?<year>\d{4})(?:(?<kind>[MQH])(?<number>\d{1,2}))?$")]
    private static partial Regex Pattern();

    // "Year 2026" or "2026" followed by the rest (年第四季度, 年11月, , quarter 4 ...).
    [GeneratedRegex(@"^(?:(?<yearword>year))?(?<year>\d{4})(?<rest>.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^(?:年第?(?<n>\d{1,2}|十[一二]?|[一二三四五六七八九])(?:(?<q>季度?)|月份?)|,(?:(?<qe>quarter)|month)(?<n>\d{1,2}))$")]
    private static partial Regex RestPattern();
}

/// <summary>Periods as people say them: 2026年10月, 2026年第4季度, 2026年上半年, 2026年.</summary>
public static class PeriodNames
{
    public static string Name(Period period, IStringLocalizer l) => period.Cycle switch
    {
        ReportingCycle.Monthly => l["{0}, month {1}", period.Year, period.Number],
        ReportingCycle.Quarterly => l["{0}, quarter {1}", period.Year, period.Number],
        ReportingCycle.HalfYearly => period.Number == 1 ? l["{0}, first half", period.Year] : l["{0}, second half", period.Year],
        _ => l["Year {0}", period.Year],
    };
}
