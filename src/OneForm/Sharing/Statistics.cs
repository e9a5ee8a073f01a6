using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using MiniExcelLibs;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Organization;

namespace OneForm.Sharing;

public sealed record StatisticsQuery(IReadOnlyList<string> Elements, string? UnitCode, OrgUnitLevel Level, IReadOnlyList<string> Periods, bool ByValue = false);

public sealed record StatColumn(string Element, string Name, string Period, string Aggregation);

/// <summary>One figure and how many of the units below have reported it.</summary>
public sealed record StatCell(double? Value, int Reported, int Units);

public sealed record StatRow(string Code, string Name, bool IsSubtotal, IReadOnlyList<StatCell> Cells);

public sealed record StatisticsTable(string Root, string RootName, string Level, IReadOnlyList<StatColumn> Columns, IReadOnlyList<StatRow> Rows,
    StatRow Total, IReadOnlyList<string> NotGranted);

/// <summary>
/// The statistics a department takes itself: chosen elements (its own or granted) for the units of a level below a
/// unit and for some periods, with sub-totals by the unit above, a total, and beside each figure how many units reported.
/// </summary>
public sealed class Statistics(OneFormDbContext db, SharingPolicy policy)
{
    public const int MaxColumns = 60;

    /// <summary>The elements the caller may put in a table: numbers it owns or is granted (every number for the gatekeeper).</summary>
    public async Task<List<DataElement>> ChoosableAsync(CallerScope scope)
    {
        var numbers = await db.DataElements.AsNoTracking()
            .Where(e => !e.IsRetired && (e.ValueType == ElementValueType.Integer || e.ValueType == ElementValueType.Decimal))
            .OrderBy(e => e.Code).ToListAsync();
        var readable = await policy.ReadableElementIdsAsync(scope);
        return readable is null ? numbers : [.. numbers.Where(e => readable.Contains(e.Id))];
    }

    public async Task<StatisticsTable?> RunAsync(CallerScope scope, StatisticsQuery query)
    {
        var root = query.UnitCode is { Length: > 0 } code
            ? await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(u => u.Code == code)
            : await db.OrgUnits.AsNoTracking().OrderBy(u => u.Depth).ThenBy(u => u.Code).FirstOrDefaultAsync();
        if (root is null)
        {
            return null;
        }
        var codes = query.Elements.Distinct().Take(MaxColumns).ToList();
        var elements = await db.DataElements.AsNoTracking().Where(e => codes.Contains(e.Code)).ToListAsync();
        var readable = await policy.ReadableElementIdsAsync(scope);
        var granted = codes.Select(c => elements.SingleOrDefault(e => e.Code == c)).OfType<DataElement>()
            .Where(e => readable is null || readable.Contains(e.Id)).ToList();
        var notGranted = codes.Where(c => granted.All(e => e.Code != c)).ToList();
        var periods = query.Periods.Where(p => p.Length is > 0 and <= 8).Distinct().Take(MaxColumns).ToList();
        var units = await db.OrgUnits.AsNoTracking().InSubtree(root.Path).Where(u => u.Level == query.Level).OrderBy(u => u.Code).ToListAsync();
        var unitIds = db.OrgUnits.InSubtree(root.Path).Where(u => u.Level == query.Level).Select(u => u.Id);
        var ids = granted.Select(e => e.Id).ToList();
        var values = await policy.Readable(scope).AsNoTracking()
            .Where(v => ids.Contains(v.DataElementId) && periods.Contains(v.PeriodCode) && unitIds.Contains(v.OrgUnitId))
            .Select(v => new { v.DataElementId, v.OrgUnitId, v.PeriodCode, v.Number })
            .ToListAsync();
        var lookup = values.ToDictionary(v => (v.DataElementId, v.OrgUnitId, v.PeriodCode), v => v.Number);
        var columns = granted.SelectMany(e => periods.Select(p => (Element: e, Period: p))).ToList();

        StatCell Cell(DataElement element, string period, IReadOnlyCollection<OrgUnit> over)
        {
            var numbers = over.Select(u => lookup.TryGetValue((element.Id, u.Id, period), out var n) ? n : null).OfType<double>().ToList();
            double? value = numbers.Count == 0 ? null : element.Aggregation == Aggregation.Average ? Math.Round(numbers.Average(), 2) : numbers.Sum();
            return new StatCell(value, numbers.Count, over.Count);
        }
        StatRow Row(string rowCode, string name, bool subtotal, IReadOnlyCollection<OrgUnit> over) =>
            new(rowCode, name, subtotal, [.. columns.Select(c => Cell(c.Element, c.Period, over))]);

        var parents = await db.OrgUnits.AsNoTracking().Where(u => units.Select(x => x.ParentId).Contains(u.Id)).ToDictionaryAsync(u => u.Id);
        var rows = new List<StatRow>();
        foreach (var group in units.GroupBy(u => u.ParentId).OrderBy(g => g.Key is { } p && parents.TryGetValue(p, out var parent) ? parent.Code : ""))
        {
            var members = group.Select(u => Row(u.Code, u.Name, false, [u]));
            rows.AddRange(query.ByValue && columns.Count > 0 ? members.OrderByDescending(r => r.Cells[0].Value ?? double.MinValue) : members);
            if (group.Key is { } parentId && parents.TryGetValue(parentId, out var above) && above.Id != root.Id && units.Count > group.Count())
            {
                rows.Add(Row(above.Code, above.Name, true, [.. group]));
            }
        }
        return new StatisticsTable(root.Code, root.Name, query.Level.ToString(),
            [.. columns.Select(c => new StatColumn(c.Element.Code, c.Element.Name, c.Period, c.Element.Aggregation.ToString()))],
            rows, Row(root.Code, root.Name, true, units), notGranted);
    }

    /// <summary>The table as rows of cells for a file: one column per figure and one for its completeness.</summary>
    public static IEnumerable<Dictionary<string, object?>> Sheet(StatisticsTable table, IStringLocalizer l)
    {
        foreach (var row in table.Rows.Append(table.Total))
        {
            var name = row == table.Total ? l["Total of {0}", row.Name].Value : row.IsSubtotal ? l["Subtotal: {0}", row.Name].Value : row.Name;
            var cells = new Dictionary<string, object?> { [l["Code"]] = row.Code, [l["Unit"]] = name };
            for (var i = 0; i < table.Columns.Count; i++)
            {
                var column = table.Columns[i];
                cells[$"{column.Name} {column.Period}"] = row.Cells[i].Value;
                cells[$"{column.Name} {column.Period} {l["reported"]}"] = $"{row.Cells[i].Reported}/{row.Cells[i].Units}";
            }
            yield return cells;
        }
    }

    public static byte[] Xlsx(StatisticsTable table, IStringLocalizer l)
    {
        using var stream = new MemoryStream();
        stream.SaveAs(Sheet(table, l).ToList(), excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    public static string Csv(StatisticsTable table, IStringLocalizer l)
    {
        var rows = Sheet(table, l).ToList();
        var writer = new System.Text.StringBuilder();
        static string Quote(object? v) => Convert.ToString(v, CultureInfo.InvariantCulture) is { } s && s.IndexOfAny([',', '"', '\n']) >= 0 ? $"\"{s.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : Convert.ToString(v, CultureInfo.InvariantCulture) ?? "";
        if (rows.Count > 0)
        {
            writer.AppendLine(string.Join(',', rows[0].Keys.Select(Quote)));
        }
        foreach (var row in rows)
        {
            writer.AppendLine(string.Join(',', row.Values.Select(Quote)));
        }
        return writer.ToString();
    }
}
