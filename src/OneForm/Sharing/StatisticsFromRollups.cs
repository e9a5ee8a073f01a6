using Microsoft.EntityFrameworkCore;
using OneForm.Dictionary;
using OneForm.Organization;

namespace OneForm.Sharing;

/// <summary>
/// A county's, prefecture's or province's sub-totals of villages' figures, read from the townships' roll-ups
/// (<see cref="VillageRollups"/>): a province is a thousand townships instead of fourteen thousand villages. They are
/// the same figures the villages give: the same sums, averages, reported and accepted counts.
/// </summary>
public sealed partial class Statistics
{
    /// <summary>
    /// The drill's total and sub-totals at <paramref name="at"/> from the roll-ups, or null where they cannot give the
    /// same answer as the villages: an indicator among the columns (its reported count is per village), a caller who
    /// reads only part of the subtree or of the periods, a tree with villages right below the unit opened, or roll-ups
    /// that no round has kept yet (a new database, the seconds after a large import).
    /// </summary>
    private async Task<StatisticsDrill?> FromRollupsAsync(CallerScope scope, StatisticsQuery query, OrgUnit at, IReadOnlyList<StatUnit> trail)
    {
        var (granted, notGranted, periods) = await ColumnsAsync(scope, query);
        var ids = granted.Select(e => e.Id).ToList();
        if (granted.Count == 0 || periods.Count == 0 || granted.Any(e => ElementFormulas.Parse(e) is not null)
            || !await policy.ReadsWholeSubtreeAsync(scope, ids, periods, at.Path))
        {
            return null;
        }
        // The villages' parents below the unit opened, and which of its children each belongs to.
        var villages = await db.OrgUnits.AsNoTracking().InSubtree(at.Path).Where(u => u.Level == OrgUnitLevel.Village && u.ParentId != null)
            .GroupBy(u => u.ParentId!.Value).Select(g => new { Parent = g.Key, Count = g.Count() }).ToListAsync();
        var parentIds = villages.Select(v => v.Parent).ToList();
        var paths = await db.OrgUnits.Where(u => parentIds.Contains(u.Id)).Select(u => new { u.Id, u.Path }).ToDictionaryAsync(u => u.Id, u => u.Path);
        var childDepth = at.PathCodes.Count;
        var childCodes = paths.ToDictionary(p => p.Key, p => p.Value.Split('/', StringSplitOptions.RemoveEmptyEntries) is var codes && codes.Length > childDepth
            ? codes[childDepth] : null);
        if (childCodes.Values.Any(c => c is null))
        {
            return null;
        }
        var children = childCodes.Values.OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
        var childOf = children.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        var parentRow = childCodes.ToDictionary(p => p.Key, p => childOf[p.Value!]);

        // Columns element-major, period-minor, as the table's.
        var width = granted.Count * periods.Count;
        var elementPosition = ids.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var periodPosition = periods.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i);
        var (sums, reported, accepted) = (new double[children.Count * width], new int[children.Count * width], new int[children.Count * width]);
        var units = new int[children.Count];
        foreach (var village in villages)
        {
            units[parentRow[village.Parent]] += village.Count;
        }
        if (await VillageRollups.ReadAsync(db, ids, periods, parentIds) is not { } cells)
        {
            return null;
        }
        foreach (var cell in cells)
        {
            var i = parentRow[cell.UnitId] * width + elementPosition[cell.DataElementId] * periods.Count + periodPosition[cell.PeriodCode];
            // Counting only accepted values, the accepted ones are the reported ones.
            sums[i] += query.AcceptedOnly ? cell.AcceptedSum : cell.Sum;
            reported[i] += query.AcceptedOnly ? cell.Accepted : cell.Reported;
            accepted[i] += cell.Accepted;
        }

        var averaged = granted.SelectMany(e => periods.Select(_ => e.Aggregation == Aggregation.Average)).ToArray();
        StatRow Row(string code, string name, int count, IEnumerable<int> rows)
        {
            var (sum, reportedHere, acceptedHere) = (new double[width], new int[width], new int[width]);
            foreach (var row in rows)
            {
                for (var c = 0; c < width; c++)
                {
                    sum[c] += sums[row * width + c];
                    reportedHere[c] += reported[row * width + c];
                    acceptedHere[c] += accepted[row * width + c];
                }
            }
            var values = new double?[width];
            for (var c = 0; c < width; c++)
            {
                values[c] = Figure(sum[c], reportedHere[c], averaged[c]);
            }
            return new StatRow(code, name, true, count, values, reportedHere, acceptedHere);
        }

        var names = await db.OrgUnits.Where(u => children.Contains(u.Code)).Select(u => new { u.Code, u.Name }).ToDictionaryAsync(u => u.Code, u => u.Name);
        var columns = granted.SelectMany(e => periods.Select(p => Column(e, p))).ToList();
        var subtotals = LargestFirst(query, columns, children.Select((code, i) => Row(code, names.GetValueOrDefault(code, code), units[i], [i]))).ToList();
        return new StatisticsDrill(columns, Row(at.Code, at.Name, units.Sum(), Enumerable.Range(0, children.Count)), trail, subtotals, [], 0, 1, 1,
            notGranted, query.AcceptedOnly);
    }
}
