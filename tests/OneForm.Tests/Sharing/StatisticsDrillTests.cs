using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Collection;
using OneForm.Common;
using OneForm.Data;
using OneForm.Organization;
using OneForm.Sharing;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Sharing;

/// <summary>
/// Statistics a phone can show: the total first, then the sub-totals of the level below (each the sum of its units),
/// opened one level at a time down to the units, those without figures hidden unless asked, the rest a page at a time.
/// </summary>
[Collection(nameof(AppsCollection))]
public sealed partial class StatisticsDrillTests(Apps apps)
{
    private const string Element = "SERVICE_ITEMS_HANDLED";
    private const string City = "652301000000";
    private const string Street = "652301004000";

    [GeneratedRegex("data-testid=\"unit-row\"")]
    private static partial Regex UnitRow();

    /// <summary>
    /// Figures of a period no other test uses: 1..7 in the first seven communities of 建国路街道 (of its 14), 10 in three
    /// villages of another township of 昌吉市 and 100 in a village of another county.
    /// </summary>
    private static async Task<string> FiguresAsync(OneFormHost app)
    {
        var period = $"{Random.Shared.Next(2200, 9000)}Q{Random.Shared.Next(1, 5)}";
        await app.WithDbAsync(async db =>
        {
            var element = await db.DataElements.SingleAsync(e => e.Code == Element);
            var city = await db.OrgUnits.SingleAsync(u => u.Code == City);
            var street = await db.OrgUnits.SingleAsync(u => u.Code == Street);
            var villages = db.OrgUnits.Where(u => u.Level == OrgUnitLevel.Village).OrderBy(u => u.Code);
            var inStreet = await villages.Where(u => u.Path.StartsWith(street.Path)).Take(7).ToListAsync();
            var elsewhere = await villages.Where(u => u.Path.StartsWith(city.Path) && !u.Path.StartsWith(street.Path)).Take(3).ToListAsync();
            var otherCounty = await villages.Where(u => !u.Path.StartsWith(city.Path)).FirstAsync();
            var figures = inStreet.Select((u, i) => (u, Value: i + 1.0)).Concat(elsewhere.Select(u => (u, Value: 10.0))).Append((otherCounty, 100.0));
            // As every writer sets a value: with its change, which the townships' roll-ups follow.
            foreach (var (unit, value) in figures)
            {
                ValueHistory.Set(db, null, element.Id, unit.Id, period, value.ToString(CultureInfo.InvariantCulture), value, ValueSource.Entered, "test",
                    DateTimeOffset.UtcNow);
            }
            return await db.SaveChangesAsync();
        });
        return period;
    }

    /// <summary>The sum of the figures of the period below a unit, read straight from the values.</summary>
    private static Task<double> SumBelowAsync(OneFormHost app, string code, string period) => app.WithDbAsync(async db =>
    {
        var unit = await db.OrgUnits.SingleAsync(u => u.Code == code);
        var below = db.OrgUnits.InSubtree(unit.Path).Select(u => u.Id);
        var numbers = await db.DataValues.Where(v => v.DataElement!.Code == Element && v.PeriodCode == period && below.Contains(v.OrgUnitId))
            .Select(v => v.Number).ToListAsync();
        return numbers.Sum() ?? 0;
    });

    private static async Task<StatisticsDrill> DrillAsync(OneFormHost app, string period, string? under, bool withoutData = false, int page = 1, int pageSize = 50)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var statistics = scope.ServiceProvider.GetRequiredService<OneForm.Sharing.Statistics>();
        var administrator = new CallerScope(Role.Administrator, null, null, null);
        return (await statistics.DrillAsync(administrator, new StatisticsQuery([Element], null, OrgUnitLevel.Village, [period], ByValue: true), under, withoutData, page, pageSize))!;
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_prefecture_total_comes_with_county_subtotals_each_the_sum_of_its_villages_down_to_the_township(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var period = await FiguresAsync(app);

        var prefecture = await DrillAsync(app, period, null);
        Assert.Equal(158, prefecture.Total.Values[0]);
        Assert.Equal(11, prefecture.Total.Reported[0]);
        Assert.Empty(prefecture.Units);
        Assert.All(prefecture.Subtotals, s => Assert.EndsWith("000000", s.Code, StringComparison.Ordinal));   // counties
        Assert.True(prefecture.Subtotals.Count >= 2);
        foreach (var county in prefecture.Subtotals)
        {
            Assert.Equal(await SumBelowAsync(app, county.Code, period), county.Values[0] ?? 0);
        }
        Assert.Equal(prefecture.Total.Values[0], prefecture.Subtotals.Sum(s => s.Values[0] ?? 0));
        // Largest first: the county of the 100 before 昌吉市 (58), counties without figures last.
        Assert.Equal(100, prefecture.Subtotals[0].Values[0]);
        Assert.Null(prefecture.Subtotals[^1].Values[0]);

        var city = await DrillAsync(app, period, City);
        Assert.Equal(58, city.Total.Values[0]);
        Assert.Equal(["昌吉回族自治州", "昌吉市"], city.Trail.Select(t => t.Name));
        var street = city.Subtotals.Single(s => s.Code == Street);
        Assert.Equal(28, street.Values[0]);
        Assert.Equal(await SumBelowAsync(app, Street, period), street.Values[0]);
        Assert.Equal((7, 14), (street.Reported[0], street.Units));
        Assert.Equal(city.Total.Values[0], city.Subtotals.Sum(s => s.Values[0] ?? 0));

        var units = await DrillAsync(app, period, Street, withoutData: true);
        Assert.Empty(units.Subtotals);
        Assert.Equal(14, units.Units.Count);
        Assert.Equal(street.Values[0], units.Units.Sum(u => u.Values[0] ?? 0));
        Assert.Equal(28, units.Total.Values[0]);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Units_without_figures_are_hidden_unless_asked_and_the_rest_come_a_page_at_a_time_largest_first(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var period = await FiguresAsync(app);

        var first = await DrillAsync(app, period, Street, pageSize: 5);
        Assert.Equal([7.0, 6, 5, 4, 3], first.Units.Select(u => u.Values[0] ?? 0));
        Assert.Equal((1, 2, 7), (first.Page, first.Pages, first.WithoutData));
        var second = await DrillAsync(app, period, Street, page: 2, pageSize: 5);
        Assert.Equal([2.0, 1], second.Units.Select(u => u.Values[0] ?? 0));
        var all = await DrillAsync(app, period, Street, withoutData: true, page: 3, pageSize: 5);
        Assert.Equal(4, all.Units.Count);
        Assert.All(all.Units, u => Assert.Equal(0, u.Reported[0]));

        // On the page: the total before the units, seven units with figures, and a way to the seven without.
        var admin = await PageSession.SignedInAsync(app, (await app.CreateUserAsync(Role.Administrator)).UserName!);
        var query = $"/Statistics?Elements={Element}&Level=Village&Periods={period}&ByValue=true";
        var top = await admin.GetHtmlAsync(query);
        Assert.True(top.IndexOf("data-testid=\"statistics-total\"", StringComparison.Ordinal) < top.IndexOf("data-testid=\"statistics\"", StringComparison.Ordinal));
        Assert.Contains("昌吉回族自治州合计", top, StringComparison.Ordinal);
        Assert.Contains($"data-testid=\"subtotal\" data-code=\"{City}\"", top, StringComparison.Ordinal);
        Assert.DoesNotMatch(UnitRow(), top);
        var hidden = await admin.GetHtmlAsync(query + $"&Under={Street}");
        Assert.Equal(7, UnitRow().Count(hidden));
        Assert.Contains("显示无数据的单位（7）", hidden, StringComparison.Ordinal);
        Assert.Contains("建国路街道合计", hidden, StringComparison.Ordinal);
        var shown = await admin.GetHtmlAsync(query + $"&Under={Street}&WithoutData=true");
        Assert.Equal(14, UnitRow().Count(shown));
        Assert.Contains("隐藏无数据的单位", shown, StringComparison.Ordinal);
    }
}
