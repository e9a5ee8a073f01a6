using System.Globalization;
using System.Text.RegularExpressions;

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
}
