namespace OneForm.Tests.Collection;

/// <summary>A period typed as people write it is read as its code; anything else is not a period (never a guess).</summary>
public sealed class PeriodNameTests
{
    [Theory]
    [InlineData("2026Q4", "2026Q4")]
    [InlineData("2026年第四季度", "2026Q4")]
    [InlineData("2026年第4季度", "2026Q4")]
    [InlineData("２０２６年第４季度", "2026Q4")]
    [InlineData(" 2026 年 第一季度 ", "2026Q1")]
    [InlineData("2026年四季度", "2026Q4")]
    [InlineData("2026年11月", "2026M11")]
    [InlineData("2026年十一月", "2026M11")]
    [InlineData("2026年3月", "2026M03")]
    [InlineData("2026年上半年", "2026H1")]
    [InlineData("2026年下半年", "2026H2")]
    [InlineData("2026年", "2026")]
    [InlineData("2026年度", "2026")]
    [InlineData("2026, quarter 4", "2026Q4")]
    [InlineData("2026, month 11", "2026M11")]
    [InlineData("2026, second half", "2026H2")]
    [InlineData("Year 2026", "2026")]
    public void A_period_written_in_words_is_read_as_its_code(string typed, string code)
    {
        Assert.True(Period.TryParseName(typed, out var period), typed);
        Assert.Equal(code, period.ToString());
    }

    [Theory]
    [InlineData("2026年第五季度")]
    [InlineData("2026年13月")]
    [InlineData("2026年第四周")]
    [InlineData("第四季度")]
    [InlineData("二〇二六年")]
    [InlineData("2026Q5")]
    [InlineData("")]
    public void Anything_else_is_not_a_period(string typed) => Assert.False(Period.TryParseName(typed, out _), typed);
}
