using OneForm.Catalog;
using OneForm.Collection;

namespace OneForm.Tests.Collection;

public sealed class PeriodTests
{
    [Theory]
    [InlineData("2019M03", ReportingCycle.Monthly, "2019-03-01", "2019-03-31", "2019M04")]
    [InlineData("2019M12", ReportingCycle.Monthly, "2019-12-01", "2019-12-31", "2020M01")]
    [InlineData("2019Q1", ReportingCycle.Quarterly, "2019-01-01", "2019-03-31", "2019Q2")]
    [InlineData("2019Q4", ReportingCycle.Quarterly, "2019-10-01", "2019-12-31", "2020Q1")]
    [InlineData("2019H1", ReportingCycle.HalfYearly, "2019-01-01", "2019-06-30", "2019H2")]
    [InlineData("2019H2", ReportingCycle.HalfYearly, "2019-07-01", "2019-12-31", "2020H1")]
    [InlineData("2019", ReportingCycle.Annual, "2019-01-01", "2019-12-31", "2020")]
    public void A_period_code_names_its_days_and_its_successor(string code, ReportingCycle cycle, string start, string end, string next)
    {
        var period = Period.Parse(code);

        Assert.Equal(cycle, period.Cycle);
        Assert.Equal(DateOnly.Parse(start), period.Start);
        Assert.Equal(DateOnly.Parse(end), period.End);
        Assert.Equal(next, period.Next.ToString());
        Assert.Equal(code, period.Next.Previous.ToString());
        Assert.Equal(code, period.ToString());
    }

    [Theory]
    [InlineData("2019M13")]
    [InlineData("2019Q5")]
    [InlineData("2019H3")]
    [InlineData("2019Q0")]
    [InlineData("19Q1")]
    [InlineData("2019-Q1")]
    [InlineData("")]
    public void Malformed_period_codes_are_refused(string code) => Assert.False(Period.TryParse(code, out _));

    [Theory]
    [InlineData(ReportingCycle.Monthly, "2026-12-31", "2026M12")]
    [InlineData(ReportingCycle.Monthly, "2027-01-01", "2027M01")]
    [InlineData(ReportingCycle.Quarterly, "2026-12-31", "2026Q4")]
    [InlineData(ReportingCycle.Quarterly, "2027-01-01", "2027Q1")]
    [InlineData(ReportingCycle.HalfYearly, "2026-06-30", "2026H1")]
    [InlineData(ReportingCycle.HalfYearly, "2026-07-01", "2026H2")]
    [InlineData(ReportingCycle.Annual, "2026-12-31", "2026")]
    public void The_period_containing_a_day_follows_the_cycle(ReportingCycle cycle, string day, string expected) =>
        Assert.Equal(expected, Period.Containing(cycle, DateOnly.Parse(day)).ToString());
}
