using System.Text.Json.Serialization;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using MiniExcelLibs;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Organization;

namespace OneForm.Sharing;

/// <param name="AcceptedOnly">Count only accepted values (a value is accepted when a task of its unit and period holding it is accepted).</param>
public sealed record StatisticsQuery(IReadOnlyList<string> Elements, string? UnitCode, OrgUnitLevel Level, IReadOnlyList<string> Periods, bool ByValue = false,
    bool AcceptedOnly = false);

public sealed record StatColumn(string Element, string Name, string Period, string Aggregation);

/// <summary>
/// A unit's row, or a sub-total's: one figure per column and, beside it, how many of the row's units reported it and
/// how many of those reported values are accepted. Written as arrays rather than an object per cell, so a
/// prefecture-wide table stays small on the wire.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(StatRowJson))]
public sealed record StatRow(string Code, string Name, bool IsSubtotal, int Units, IReadOnlyList<double?> Values, IReadOnlyList<int> Reported,
    IReadOnlyList<int> Accepted);

/// <summary>
/// Writes a row by hand: whole figures as integers (most are counts), which is several times faster than the general
/// number formatting for the hundreds of thousands of figures of a prefecture-wide table.
/// </summary>
internal sealed class StatRowJson : System.Text.Json.Serialization.JsonConverter<StatRow>
{
    public override void Write(System.Text.Json.Utf8JsonWriter writer, StatRow row, System.Text.Json.JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("code", row.Code);
        writer.WriteString("name", row.Name);
        writer.WriteBoolean("isSubtotal", row.IsSubtotal);
        writer.WriteNumber("units", row.Units);
        writer.WriteStartArray("values");
        foreach (var value in row.Values)
        {
            switch (value)
            {
                case null:
                    writer.WriteNullValue();
                    break;
                case var v when Math.Abs(v.Value) < 1e15 && v.Value == Math.Floor(v.Value):
                    writer.WriteNumberValue((long)v.Value);
                    break;
                case var v:
                    writer.WriteNumberValue(v.Value);
                    break;
            }
        }
        writer.WriteEndArray();
        writer.WriteStartArray("reported");
        foreach (var count in row.Reported)
        {
            writer.WriteNumberValue(count);
        }
        writer.WriteEndArray();
        writer.WriteStartArray("accepted");
        foreach (var count in row.Accepted)
        {
            writer.WriteNumberValue(count);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public override StatRow Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options)
    {
        var element = System.Text.Json.JsonElement.ParseValue(ref reader);
        System.Text.Json.JsonElement Property(string name) => element.EnumerateObject().First(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Value;
        return new StatRow(Property("code").GetString()!, Property("name").GetString()!, Property("isSubtotal").GetBoolean(), Property("units").GetInt32(),
            [.. Property("values").EnumerateArray().Select(v => v.ValueKind == System.Text.Json.JsonValueKind.Null ? (double?)null : v.GetDouble())],
            [.. Property("reported").EnumerateArray().Select(v => v.GetInt32())],
            [.. Property("accepted").EnumerateArray().Select(v => v.GetInt32())]);
    }
}

/// <param name="AcceptedOnly">Whether the figures count accepted values only.</param>
/// <param name="DataAsOf">Every write committed up to this moment is in the figures.</param>
/// <param name="ReplicaLagSeconds">When read from the read replica, how many seconds it trails the primary (0: caught up); null when read from the primary.</param>
[System.ComponentModel.ImmutableObject(true)]
public sealed record StatisticsTable(string Root, string RootName, string Level, IReadOnlyList<StatColumn> Columns, IReadOnlyList<StatRow> Rows,
    StatRow Total, IReadOnlyList<string> NotGranted, bool AcceptedOnly = false,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? DataAsOf = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? ReplicaLagSeconds = null);

/// <summary>A unit on the way down from the query's unit (the breadcrumb of a drill-down).</summary>
public sealed record StatUnit(string Code, string Name);

/// <summary>
/// One step of a drill-down: the total of a unit, and either the sub-totals of the level below it (<see cref="Subtotals"/>)
/// or, at the query's level, one page of its units (<see cref="Units"/>), with how many units have no figure at all.
/// </summary>
[System.ComponentModel.ImmutableObject(true)]
public sealed record StatisticsDrill(IReadOnlyList<StatColumn> Columns, StatRow Total, IReadOnlyList<StatUnit> Trail, IReadOnlyList<StatRow> Subtotals,
    IReadOnlyList<StatRow> Units, int WithoutData, int Page, int Pages, IReadOnlyList<string> NotGranted, bool AcceptedOnly);

/// <summary>
/// The statistics a department takes itself: chosen elements (its own or granted) for the units of a level below a
/// unit and for some periods, with sub-totals by the unit above, a total, and beside each figure how many units reported.
/// </summary>
public sealed partial class Statistics(ReadDatabase read, Localization.DisplayTime time, Microsoft.Extensions.Caching.Hybrid.HybridCache cache)
{
    // Read from the read replica when there is one; the sharing rule is asked there too, as strictly as on the primary.
    private readonly OneFormDbContext db = read.Db;
    private readonly SharingPolicy policy = new(read.Db, time);
    private readonly ReadDatabase source = read;
    private readonly Localization.DisplayTime today = time;

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

    private async Task<StatisticsTable?> ComputeTableAsync(CallerScope scope, StatisticsQuery query)
    {
        if (await ComputeAsync(scope, query) is not { } figures)
        {
            return null;
        }
        var (root, units, row) = (figures.Root, figures.Units, figures.Row);
        // Each parent once: a province's 14,000 villages have about 1,000.
        var parentIds = units.Select(u => u.ParentId).Distinct().ToList();
        var parents = await db.OrgUnits.AsNoTracking().Where(u => parentIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id);
        var rows = new List<StatRow>();
        foreach (var group in units.GroupBy(u => u.ParentId).OrderBy(g => g.Key is { } p && parents.TryGetValue(p, out var parent) ? parent.Code : ""))
        {
            var members = group.Select(u => row(u.Code, u.Name, false, [u]));
            rows.AddRange(query.ByValue && figures.Columns.Count > 0 ? members.OrderByDescending(r => r.Values[0] ?? double.MinValue) : members);
            if (group.Key is { } parentId && parents.TryGetValue(parentId, out var above) && above.Id != root.Id && units.Count > group.Count())
            {
                rows.Add(row(above.Code, above.Name, true, [.. group]));
            }
        }
        return new StatisticsTable(root.Code, root.Name, query.Level.ToString(), figures.Columns, rows, row(root.Code, root.Name, true, units),
            figures.NotGranted, query.AcceptedOnly);
    }

    /// <summary>
    /// The same figures for a phone: the total of <paramref name="under"/> (the query's unit when empty) first, then the
    /// sub-totals of the level below it, each to be opened in turn, down to the units of the query's level; those are
    /// listed with data first (largest first when asked), units without any figure only when asked, and a page at a time.
    /// </summary>
    private async Task<StatisticsDrill?> ComputeDrillAsync(CallerScope scope, StatisticsQuery query, string? under, bool withoutData, int page, int pageSize)
    {
        if (await RootAsync(query) is not { } root)
        {
            return null;
        }
        var at = under is { Length: > 0 } && under != root.Code
            ? await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(u => u.Code == under && u.Path.StartsWith(root.Path))
            : root;
        if (at is null)
        {
            return null;
        }
        var trailCodes = at.PathCodes.Skip(root.PathCodes.Count - 1).ToList();
        var trail = (await db.OrgUnits.AsNoTracking().Where(u => trailCodes.Contains(u.Code)).Select(u => new { u.Code, u.Name, u.Depth }).ToListAsync())
            .OrderBy(u => u.Depth).Select(u => new StatUnit(u.Code, u.Name)).ToList();
        // Above the townships, the sub-totals of villages' figures come from the townships' roll-ups where they can.
        if (query.Level == OrgUnitLevel.Village && at.Level < OrgUnitLevel.Township && await FromRollupsAsync(scope, query, at, trail) is { } summed)
        {
            return summed;
        }
        // Only the units below the one opened are read.
        if (await ComputeAsync(scope, query with { UnitCode = at.Code }) is not { } figures)
        {
            return null;
        }
        var (units, row) = (figures.Units, figures.Row);
        var members = units.Where(u => u.Id != at.Id).ToList();
        var total = row(at.Code, at.Name, true, members);
        var childDepth = at.PathCodes.Count;
        IEnumerable<StatRow> ByValue(IEnumerable<StatRow> rows) => LargestFirst(query, figures.Columns, rows);

        // Below a county or a township, one sub-total a unit of the next level down, to be opened; at the query's level, the units themselves.
        if (members.Any(u => u.PathCodes.Count > childDepth + 1))
        {
            var grouped = members.GroupBy(u => u.PathCodes[childDepth]).ToList();
            var codes = grouped.Select(g => g.Key).ToList();
            var names = await db.OrgUnits.AsNoTracking().Where(u => codes.Contains(u.Code)).ToDictionaryAsync(u => u.Code, u => u.Name);
            var subtotals = ByValue(grouped.Select(g => row(g.Key, names.GetValueOrDefault(g.Key, g.Key), true, [.. g])).OrderBy(r => r.Code, StringComparer.Ordinal)).ToList();
            return new StatisticsDrill(figures.Columns, total, trail, subtotals, [], 0, 1, 1, figures.NotGranted, query.AcceptedOnly);
        }
        var rows = members.Select(u => row(u.Code, u.Name, false, [u])).ToList();
        var withData = ByValue(rows.Where(r => r.Reported.Any(n => n > 0))).ToList();
        var empty = rows.Where(r => r.Reported.All(n => n == 0)).ToList();
        var listed = withoutData ? [.. withData, .. empty] : withData;
        var pages = Math.Max(1, (listed.Count + pageSize - 1) / pageSize);
        page = Math.Clamp(page, 1, pages);
        return new StatisticsDrill(figures.Columns, total, trail, [], [.. listed.Skip((page - 1) * pageSize).Take(pageSize)], empty.Count, page, pages,
            figures.NotGranted, query.AcceptedOnly);
    }

    /// <summary>The figures of a query: its unit, the units of its level below it, the columns shown, and a row over any set of those units.</summary>
    private sealed record Figures(OrgUnit Root, List<OrgUnit> Units, IReadOnlyList<StatColumn> Columns, IReadOnlyList<string> NotGranted,
        Func<string, string, bool, IReadOnlyCollection<OrgUnit>, StatRow> Row);

    /// <summary>The query's unit, or the top of the tree when it names none.</summary>
    private async Task<OrgUnit?> RootAsync(StatisticsQuery query) =>
        query.UnitCode is { Length: > 0 } code
            ? await db.OrgUnits.AsNoTracking().SingleOrDefaultAsync(u => u.Code == code)
            : await db.OrgUnits.AsNoTracking().OrderBy(u => u.Depth).ThenBy(u => u.Code).FirstOrDefaultAsync();

    /// <summary>The elements asked that the caller may read (in the order asked), the codes of those it may not, and the periods.</summary>
    private async Task<(List<DataElement> Granted, List<string> NotGranted, List<string> Periods)> ColumnsAsync(CallerScope scope, StatisticsQuery query)
    {
        var codes = query.Elements.Distinct().Take(MaxColumns).ToList();
        var elements = await db.DataElements.AsNoTracking().Where(e => codes.Contains(e.Code)).ToListAsync();
        var readable = await policy.ReadableElementIdsAsync(scope);
        var granted = codes.Select(c => elements.SingleOrDefault(e => e.Code == c)).OfType<DataElement>()
            .Where(e => readable is null || readable.Contains(e.Id)).ToList();
        var notGranted = codes.Where(c => granted.All(e => e.Code != c)).ToList();
        var periods = query.Periods.Where(p => p.Length is > 0 and <= 8).Distinct().Take(MaxColumns).ToList();
        return (granted, notGranted, periods);
    }

    private async Task<Figures?> ComputeAsync(CallerScope scope, StatisticsQuery query)
    {
        if (await RootAsync(query) is not { } root)
        {
            return null;
        }
        var (granted, notGranted, periods) = await ColumnsAsync(scope, query);
        var units = await db.OrgUnits.AsNoTracking().InSubtree(root.Path).Where(u => u.Level == query.Level).OrderBy(u => u.Code).ToListAsync();
        var unitIds = db.OrgUnits.InSubtree(root.Path).Where(u => u.Level == query.Level).Select(u => u.Id);
        // An indicator is computed in each row from its parts' figures there, so the parts are read too, in columns not shown
        // (through the same sharing rule: a part the caller may not read leaves the indicator empty).
        var indicators = granted.Select(e => (Element: e, Formula: ElementFormulas.Parse(e))).Where(x => x.Formula is not null)
            .ToDictionary(x => x.Element.Id, x => x.Formula!);
        var parts = await PartsAsync(indicators.Values);
        var read = granted.Concat(parts.Values.Where(e => e.Formula is null && granted.All(g => g.Id != e.Id))).ToList();
        var columns = read.SelectMany(e => periods.Select(p => (Element: e, Period: p))).ToList();
        var shown = granted.Count * periods.Count;
        var columnOf = columns.Select((c, i) => (c, i)).ToDictionary(x => (x.c.Element.Id, x.c.Period), x => x.i);
        var rowOf = units.Select((u, i) => (u, i)).ToDictionary(x => x.u.Id, x => x.i);

        // One pass over the cells into a dense grid (NaN: not reported); sub-totals are sums over rows of it.
        var width = columns.Count;
        var grid = new double[units.Count * width];
        Array.Fill(grid, double.NaN);
        var ids = read.Select(e => e.Id).ToList();
        var cells = policy.Readable(scope).AsNoTracking()
            .Where(v => ids.Contains(v.DataElementId) && periods.Contains(v.PeriodCode) && unitIds.Contains(v.OrgUnitId) && v.Number != null);
        var accepted = new bool[grid.Length];
        if (width > 0 && units.Count > 0)
        {
            await FillAsync(grid, width, cells, rowOf, ids, periods);
            await MarkAcceptedAsync(accepted, width, unitIds, rowOf, columnOf, ids, periods);
        }
        if (query.AcceptedOnly)
        {
            for (var i = 0; i < grid.Length; i++)
            {
                grid[i] = accepted[i] ? grid[i] : double.NaN;
            }
        }
        var averaged = columns.Select(c => c.Element.Aggregation == Aggregation.Average).ToArray();
        var formulaColumns = columns.Take(shown).Select((c, i) => (Column: i, Formula: indicators.GetValueOrDefault(c.Element.Id)))
            .Where(x => x.Formula is not null).Select(x => (x.Column, Formula: x.Formula!)).ToList();

        // An indicator's figure from the figures of its parts (each read from a column of the same period), through indicators over indicators.
        double? Indicator(Dictionary.Validation.RuleExpression formula, string period, Func<int, double?> figure) =>
            ElementFormulas.Value(Rounding, formula.Evaluate(r => !parts.TryGetValue(r.Code, out var part) ? null
                : ElementFormulas.Parse(part) is { } inner ? Indicator(inner, period, figure)
                : columnOf.TryGetValue((part.Id, period), out var column) ? figure(column) : null))?.Number;

        StatRow Row(string rowCode, string name, bool subtotal, IReadOnlyCollection<OrgUnit> over)
        {
            var sums = new double[width];
            var reported = new int[width];
            var acceptedCount = new int[width];
            foreach (var unit in over)
            {
                var offset = rowOf[unit.Id] * width;
                for (var c = 0; c < width; c++)
                {
                    if (!double.IsNaN(grid[offset + c]))
                    {
                        sums[c] += grid[offset + c];
                        reported[c]++;
                        acceptedCount[c] += accepted[offset + c] ? 1 : 0;
                    }
                }
            }
            var values = new double?[width];
            for (var c = 0; c < width; c++)
            {
                values[c] = Figure(sums[c], reported[c], averaged[c]);
            }
            foreach (var (c, formula) in formulaColumns)
            {
                // The formula over the parts summed over the row's units, never a sum or an average of the units' own rates;
                // reported (and accepted) by the units whose own parts give it a value.
                var period = columns[c].Period;
                values[c] = Indicator(formula, period, column => reported[column] == 0 ? null : sums[column]);
                (reported[c], acceptedCount[c]) = (0, 0);
                foreach (var unit in over)
                {
                    var offset = rowOf[unit.Id] * width;
                    var used = new List<int>();
                    if (Indicator(formula, period, column => { used.Add(column); return double.IsNaN(grid[offset + column]) ? null : grid[offset + column]; }) is not null)
                    {
                        reported[c]++;
                        acceptedCount[c] += used.All(u => accepted[offset + u]) ? 1 : 0;
                    }
                }
            }
            return new StatRow(rowCode, name, subtotal, over.Count, values[..shown], reported[..shown], acceptedCount[..shown]);
        }

        return new Figures(root, units,
            [.. columns.Take(shown).Select(c => Column(c.Element, c.Period))],
            notGranted, Row);
    }

    /// <summary>A figure from the sum of the values reported and how many reported them: none when nobody did, their mean for an average.</summary>
    private static double? Figure(double sum, int reported, bool averaged) =>
        reported == 0 ? null : averaged ? Math.Round(sum / reported, 2) : sum;

    /// <summary>The column of an element and period, with how its figure is made.</summary>
    private static StatColumn Column(DataElement element, string period) =>
        new(element.Code, element.Name, period, element.Formula is null ? element.Aggregation.ToString() : nameof(ElementSource.Formula));

    /// <summary>Rows with the largest first figure first (then by code) when the query asks so.</summary>
    private static IEnumerable<StatRow> LargestFirst(StatisticsQuery query, IReadOnlyList<StatColumn> columns, IEnumerable<StatRow> rows) =>
        query.ByValue && columns.Count > 0 ? rows.OrderByDescending(r => r.Values[0] ?? double.MinValue).ThenBy(r => r.Code, StringComparer.Ordinal) : rows;

    /// <summary>Figures of indicators are kept to two places, like a computed value.</summary>
    private static readonly DataElement Rounding = new() { Code = "", Name = "", ValueType = ElementValueType.Decimal };

    /// <summary>Every element the indicators are computed from, through indicators over indicators, by code.</summary>
    private async Task<Dictionary<string, DataElement>> PartsAsync(IEnumerable<Dictionary.Validation.RuleExpression> formulas)
    {
        var parts = new Dictionary<string, DataElement>();
        var codes = formulas.SelectMany(ElementFormulas.Parts).Distinct().ToList();
        for (var depth = 0; codes.Count > 0 && depth < 10; depth++)
        {
            var found = await db.DataElements.AsNoTracking().Where(e => codes.Contains(e.Code)).ToListAsync();
            found.ForEach(e => parts[e.Code] = e);
            codes = [.. found.Select(ElementFormulas.Parse).OfType<Dictionary.Validation.RuleExpression>().SelectMany(ElementFormulas.Parts)
                .Distinct().Where(c => !parts.ContainsKey(c))];
        }
        return parts;
    }

    /// <summary>
    /// Marks the cells whose value is accepted: an accepted task of the unit and period whose form holds the element.
    /// Read as the accepted tasks (a few per unit and period) and the forms' elements, not a row per cell.
    /// </summary>
    private async Task MarkAcceptedAsync(bool[] accepted, int width, IQueryable<int> unitIds, Dictionary<int, int> rowOf,
        Dictionary<(int, string), int> columnOf, List<int> elementIds, List<string> periods)
    {
        var holding = await db.FormSections.AsNoTracking().Where(s => s.Kind == Catalog.SectionKind.Fields)
            .SelectMany(s => s.Fields.Where(f => elementIds.Contains(f.DataElementId)), (s, f) => new { s.FormId, f.DataElementId })
            .ToListAsync();
        if (holding.Count == 0)
        {
            return;
        }
        var elementsOf = holding.GroupBy(h => h.FormId).ToDictionary(g => g.Key, g => g.Select(h => h.DataElementId).Distinct().ToList());
        var formIds = elementsOf.Keys.ToList();
        var tasks = await db.FillingTasks.AsNoTracking()
            .Where(t => t.Status == Collection.TaskState.Accepted && formIds.Contains(t.FormId) && periods.Contains(t.PeriodCode) && unitIds.Contains(t.OrgUnitId))
            .Select(t => new { t.OrgUnitId, t.FormId, t.PeriodCode })
            .ToListAsync();
        foreach (var task in tasks)
        {
            var offset = rowOf[task.OrgUnitId] * width;
            foreach (var element in elementsOf[task.FormId])
            {
                if (columnOf.TryGetValue((element, task.PeriodCode), out var column))
                {
                    accepted[offset + column] = true;
                }
            }
        }
    }

    /// <summary>A table of at least this many cells is read in parts at once where the dialect gains by it (SQLite).</summary>
    private const int CellsWorthParts = 100_000;

    /// <summary>
    /// Reads the cells into the grid with the command EF Core writes for the sharing rule, straight from a data reader:
    /// a prefecture-wide table is hundreds of thousands of cells, and an object for each doubled the time. The dialect
    /// reads them the fastest way its database has (PostgreSQL: a row per unit with its cells as arrays). On SQLite, whose
    /// engine reads in the app's own thread, a large table is read in parts by unit, one a processor core (at most four),
    /// at the same time (IDatabaseDialect.ReadsCellsInParts). Each part fills the rows of its own units.
    /// </summary>
    private async Task FillAsync(double[] grid, int width, IQueryable<Collection.DataValue> cells, Dictionary<int, int> rowOf,
        List<int> elementIds, List<string> periods)
    {
        // Columns are element-major, period-minor (see columnOf).
        var elementPosition = elementIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        void Cell(int unit, int element, int period, double number) => grid[rowOf[unit] * width + elementPosition[element] * periods.Count + period] = number;
        var columns = new CellColumns("OrgUnitId", "DataElementId", "PeriodCode", "Number");
        var parts = grid.Length < CellsWorthParts || !db.Dialect.ReadsCellsInParts ? 1 : Math.Clamp(Math.Min(Environment.ProcessorCount, rowOf.Count), 1, 4);
        // Parts of as many units each, as ranges of unit ids (which the index on a value's unit reads as ranges).
        var ids = rowOf.Keys.Order().ToList();
        var bounds = Enumerable.Range(0, parts).Select(part => (From: ids[part * ids.Count / parts], To: ids[((part + 1) * ids.Count / parts) - 1])).ToList();
        IQueryable<object> Part(int part) =>
            (parts == 1 ? cells : cells.Where(v => v.OrgUnitId >= bounds[part].From && v.OrgUnitId <= bounds[part].To))
                .Select(v => new { v.OrgUnitId, v.DataElementId, v.PeriodCode, v.Number });

        // The commands are written here, on the context's thread; the first part is read on the context's own connection,
        // the others on threads and connections of their own (SQLite's driver reads synchronously, even when asked async).
        var commands = Enumerable.Range(0, parts).Select(part => Part(part).CreateDbCommand()).ToList();
        var factory = System.Data.Common.DbProviderFactories.GetFactory(commands[0].Connection!)!;
        var (connectionString, dialect) = (db.Database.GetConnectionString(), db.Dialect);
        var others = commands.Skip(1).Select(command => Task.Run(async () =>
        {
            await using (command)
            await using (var connection = factory.CreateConnection()!)
            {
                connection.ConnectionString = connectionString;
                await connection.OpenAsync();
                command.Connection = connection;
                await dialect.ReadCellsAsync(command, columns, periods, Cell);
            }
        })).ToList();
        try
        {
            await using var command = commands[0];
            await db.Database.OpenConnectionAsync();
            try
            {
                await db.Dialect.ReadCellsAsync(command, columns, periods, Cell);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
        finally
        {
            await Task.WhenAll(others);
        }
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
                // The period by its name (2026年第4季度), as the page heads the column: the file is read, not uploaded back.
                var period = Period.TryParse(column.Period, out var p) ? PeriodNames.Name(p, l) : column.Period;
                cells[$"{column.Name} {period}"] = row.Values[i];
                cells[$"{column.Name} {period} {l["reported"]}"] = $"{row.Reported[i]}/{row.Units}";
                cells[$"{column.Name} {period} {l["Of which accepted"]}"] = $"{row.Accepted[i]}/{row.Reported[i]}";
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
        static string Quote(object? v) => Text.CsvField(Convert.ToString(v, CultureInfo.InvariantCulture));
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
