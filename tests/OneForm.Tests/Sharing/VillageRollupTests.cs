using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Organization;
using OneForm.Sharing;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Sharing;

/// <summary>
/// A county's or province's sub-totals are read from the townships' roll-ups (VillageRollups): they must be the very
/// figures its villages give, include a value the moment it is saved and a task the moment it is accepted, and never
/// show a department more than its grants let it read village by village.
/// </summary>
[Collection(nameof(AppsCollection))]
public sealed class VillageRollupTests(Apps apps)
{
    private const string Element = "SERVICE_ITEMS_HANDLED";
    private const string City = "652301000000";
    private static readonly CallerScope Administrator = new(Role.Administrator, null, null, null);

    /// <summary>A period no other test uses, with figures 1..7 in four of every five villages of 昌吉市 and 50 in one village of another county.</summary>
    private static async Task<(string Period, List<int> Villages)> FiguresAsync(OneFormHost app, string element)
    {
        var period = $"{Random.Shared.Next(2200, 9000)}Q{Random.Shared.Next(1, 5)}";
        var villages = await app.WithDbAsync(async db =>
        {
            var elementId = await db.DataElements.Where(e => e.Code == element).Select(e => e.Id).SingleAsync();
            var city = await db.OrgUnits.SingleAsync(u => u.Code == City);
            var villages = await db.OrgUnits.Where(u => u.Level == OrgUnitLevel.Village).OrderBy(u => u.Code).ToListAsync();
            var inCity = villages.Where(u => u.Path.StartsWith(city.Path, StringComparison.Ordinal)).ToList();
            var figures = inCity.Select((u, i) => (Unit: u, Value: i % 5 == 4 ? (double?)null : (i % 7) + 1.0))
                .Append((Unit: villages.First(u => !u.Path.StartsWith(city.Path, StringComparison.Ordinal)), Value: 50.0));
            foreach (var (unit, value) in figures.Where(f => f.Value is not null))
            {
                ValueHistory.Set(db, null, elementId, unit.Id, period, value!.Value.ToString(CultureInfo.InvariantCulture), value, ValueSource.Entered, "test",
                    DateTimeOffset.UtcNow);
            }
            await db.SaveChangesAsync();
            return inCity.Select(u => u.Id).ToList();
        });
        return (period, villages);
    }

    private static async Task<T> WithStatisticsAsync<T>(OneFormHost app, Func<OneForm.Sharing.Statistics, Task<T>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<OneForm.Sharing.Statistics>());
    }

    /// <summary>Each township's sub-total in the drill below 昌吉市 (from the roll-ups) is the table's sub-total of its villages (read one by one).</summary>
    private static async Task SameAsTheVillagesAsync(OneFormHost app, CallerScope caller, StatisticsQuery query)
    {
        var drill = (await WithStatisticsAsync(app, s => s.DrillAsync(caller, query, City, false, 1)))!;
        var table = (await WithStatisticsAsync(app, s => s.RunAsync(caller, query with { UnitCode = City })))!;
        static object Figures(StatRow row) => (row.Code, row.Units, string.Join(',', row.Values), string.Join(',', row.Reported), string.Join(',', row.Accepted));
        Assert.Equal(table.Rows.Where(r => r.IsSubtotal).Select(Figures).Order(), drill.Subtotals.Select(Figures).Order());
        Assert.Equal(Figures(table.Total), Figures(drill.Total));
        Assert.True(drill.Subtotals.Count >= 5);
    }

    /// <summary>A round of keeping the roll-ups, as the background does every few seconds.</summary>
    private static async Task KeepAsync(OneFormHost app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await VillageRollups.CatchUpAsync(scope.ServiceProvider.GetRequiredService<OneFormDbContext>());
    }

    /// <summary>What the last round kept for the element and period in the township of a village.</summary>
    private static Task<double?> KeptAsync(OneFormHost app, string period, int village) => app.WithDbAsync(async db =>
    {
        var township = await db.OrgUnits.Where(u => u.Id == village).Select(u => u.ParentId).SingleAsync();
        var element = await db.DataElements.Where(e => e.Code == Element).Select(e => e.Id).SingleAsync();
        return await db.VillageRollups.Where(r => r.DataElementId == element && r.PeriodCode == period && r.UnitId == township)
            .Select(r => (double?)r.Sum).SingleOrDefaultAsync();
    });

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Sub_totals_from_the_roll_ups_are_the_villages_figures_and_follow_every_save_and_acceptance_before_the_next_round(DatabaseProvider provider)
    {
        // No round in the background during the test: the rounds are taken by hand, so that what is read between them is known.
        await using var app = await OneFormHost.StartAsync(provider, settings: new Dictionary<string, string?> { ["Statistics:RollupSeconds"] = "3600" });
        var (period, villages) = await FiguresAsync(app, Element);
        var query = new StatisticsQuery([Element], null, OrgUnitLevel.Village, [period]);
        await KeepAsync(app);
        Assert.NotNull(await KeptAsync(app, period, villages[0]));
        await SameAsTheVillagesAsync(app, Administrator, query);

        // Two villages' tasks of a form that holds the element are accepted: counted as accepted, alone when only accepted values count.
        var accepted = villages.Take(2).ToList();
        await app.WithDbAsync(async db =>
        {
            var form = await db.FormSections.Where(s => s.Kind == OneForm.Catalog.SectionKind.Fields && s.Fields.Any(f => f.DataElement!.Code == Element))
                .Select(s => s.FormId).FirstAsync();
            db.FillingTasks.AddRange(accepted.Select(unit => new FillingTask
            {
                FormId = form, OrgUnitId = unit, PeriodCode = period, Deadline = new DateOnly(2030, 1, 1), Status = TaskState.Accepted,
            }));
            return await db.SaveChangesAsync();
        });
        for (var round = 0; round < 2; round++)
        {
            // Before the next round (read from the values of what changed since) and after it (read as kept).
            var drill = (await WithStatisticsAsync(app, s => s.DrillAsync(Administrator, query, City, false, 1)))!;
            Assert.Equal(2, drill.Total.Accepted[0]);
            var onlyAccepted = (await WithStatisticsAsync(app, s => s.DrillAsync(Administrator, query with { AcceptedOnly = true }, City, false, 1)))!;
            Assert.Equal((1.0 + 2.0, 2), (onlyAccepted.Total.Values[0], onlyAccepted.Total.Reported[0]));
            await SameAsTheVillagesAsync(app, Administrator, query);
            await SameAsTheVillagesAsync(app, Administrator, query with { AcceptedOnly = true });
            await KeepAsync(app);
        }

        // A value saved in a village that had none is in the very next answer, from the prefecture down, before any round keeps it.
        var before = (await WithStatisticsAsync(app, s => s.DrillAsync(Administrator, query, null, false, 1)))!;
        var kept = await KeptAsync(app, period, villages[4]);
        await app.WithDbAsync(async db =>
        {
            var elementId = await db.DataElements.Where(e => e.Code == Element).Select(e => e.Id).SingleAsync();
            ValueHistory.Set(db, null, elementId, villages[4], period, "1000", 1000, ValueSource.Entered, "test", DateTimeOffset.UtcNow);
            return await db.SaveChangesAsync();
        });
        for (var round = 0; round < 2; round++)
        {
            var after = (await WithStatisticsAsync(app, s => s.DrillAsync(Administrator, query, null, false, 1)))!;
            Assert.Equal((before.Total.Values[0] + 1000, before.Total.Reported[0] + 1), (after.Total.Values[0], after.Total.Reported[0]));
            Assert.Equal(before.Subtotals.Single(s => s.Code == City).Values[0] + 1000, after.Subtotals.Single(s => s.Code == City).Values[0]);
            await SameAsTheVillagesAsync(app, Administrator, query);
            // Not kept yet the first time; kept by the round after it.
            Assert.Equal(round == 0 ? kept : kept + 1000, await KeptAsync(app, period, villages[4]));
            await KeepAsync(app);
        }
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_department_granted_one_county_sees_no_other_countys_figures_in_the_prefecture_sub_totals(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);
        var (period, _) = await FiguresAsync(app, Element);
        var department = await app.WithDbAsync(async db =>
        {
            var city = await db.OrgUnits.SingleAsync(u => u.Code == City);
            var element = await db.DataElements.SingleAsync(e => e.Code == Element);
            var reader = new Department { Code = $"R{Random.Shared.Next(100_000, 999_999)}", Name = "汇总测试部门" };
            db.Departments.Add(reader);
            await db.SaveChangesAsync();
            Assert.NotEqual(reader.Id, element.OwnerDepartmentId);
            db.DataGrants.Add(new DataGrant
            {
                GranteeDepartmentId = reader.Id, OwnerDepartmentId = element.OwnerDepartmentId, SubtreePath = city.Path,
                FromYear = 2200, ToYear = 9998, PeriodFrom = "2200", PeriodUntil = "9999", Purpose = "test", State = GrantState.Approved,
                RequestedBy = "test", Elements = [new GrantElement { DataElementId = element.Id }],
            });
            await db.SaveChangesAsync();
            return reader.Id;
        });
        await KeepAsync(app);
        var reader = new CallerScope(Role.Department, null, null, department);
        var query = new StatisticsQuery([Element], null, OrgUnitLevel.Village, [period]);

        var prefecture = (await WithStatisticsAsync(app, s => s.DrillAsync(reader, query, null, false, 1)))!;
        var everything = (await WithStatisticsAsync(app, s => s.DrillAsync(Administrator, query, null, false, 1)))!;
        Assert.Equal(everything.Subtotals.Single(s => s.Code == City).Values[0], prefecture.Total.Values[0]);
        Assert.All(prefecture.Subtotals.Where(s => s.Code != City), s => Assert.Null(s.Values[0]));
        Assert.Equal(everything.Total.Values[0] - 50, prefecture.Total.Values[0]);
        // Within its county it reads every village, so the townships come from the roll-ups, the same as the villages give.
        await SameAsTheVillagesAsync(app, reader, query);
    }
}
