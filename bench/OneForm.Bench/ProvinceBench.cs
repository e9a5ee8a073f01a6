using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OneForm.Data;
using OneForm.Organization;

namespace OneForm.Bench;

/// <summary>
/// A synthetic province the size of Xinjiang (14 prefectures, about 100 counties, 1,000 townships and 14,000 villages;
/// Changji's real tree is one of the prefectures, so the demo's catalogue and accounts fit it unchanged), loaded through
/// the product's own verbs (`import divisions`, `seed demo`, `import residents`), a year of quarterly values for 50
/// elements at every village (with the change row a save records for each), then measured: rows and bytes per table and
/// index, import times, the province's statistics table through the API (cold and warm), subtree reads and a county's
/// roster export. Usage: province [residents] [villages]; PostgreSQL when ONEFORM_BENCH_POSTGRES names a server,
/// SQLite otherwise (or also, with ONEFORM_BENCH_SQLITE=1). ONEFORM_BENCH_WORK keeps the generated files between runs;
/// ONEFORM_BENCH_DATABASE names a database loaded by an earlier run, to measure it again without loading.
/// </summary>
internal static class ProvinceBench
{
    private const string Province = "650000000000";
    private const string Changji = "652300000000";
    private static readonly string[] Quarters = ["2025Q1", "2025Q2", "2025Q3", "2025Q4"];

    public static async Task RunAsync(string[] args)
    {
        var residents = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5_000_000;
        var villages = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 14_000;
        var work = Environment.GetEnvironmentVariable("ONEFORM_BENCH_WORK") is { Length: > 0 } kept
            ? Directory.CreateDirectory(kept).FullName
            : Directory.CreateTempSubdirectory("oneform-province-bench-").FullName;
        var divisions = Path.Combine(work, $"province-{villages}.csv");
        if (!File.Exists(divisions))
        {
            await WriteDivisionsAsync(divisions, villages);
        }
        var villageCodes = File.ReadLines(divisions).Skip(1).Select(l => l.Split(',')).Where(f => f[2] == "village").Select(f => f[0]).ToList();
        Log($"{File.ReadLines(divisions).Count() - 1:N0} units, {villageCodes.Count:N0} villages and communities ({divisions})");
        var registry = Path.Combine(work, $"registry-{villages}-{residents}.csv");
        if (!File.Exists(registry))
        {
            var clock = Stopwatch.StartNew();
            await using (var writer = new StreamWriter(registry + ".part", false, new UTF8Encoding(false)))
            {
                await Demo.DemoRegistry.WriteAsync(writer, villageCodes, Math.Max(1, residents / villageCodes.Count), new DateOnly(2026, 11, 30));
            }
            File.Move(registry + ".part", registry);
            Log($"registry file written in {clock.Elapsed.TotalSeconds:F0} s");
        }
        Log($"registry file: {new FileInfo(registry).Length / 1048576.0:F0} MB ({registry})");

        var results = new List<string>();
        if (Environment.GetEnvironmentVariable("ONEFORM_BENCH_POSTGRES") is { Length: > 0 } postgres)
        {
            var admin = new Npgsql.NpgsqlConnectionStringBuilder(postgres);
            var database = Environment.GetEnvironmentVariable("ONEFORM_BENCH_DATABASE") is { Length: > 0 } existing ? existing : null;
            var load = database is null;
            if (database is null)
            {
                database = $"oneform_province_{Guid.NewGuid().ToString("N")[..8]}";
                await using var connection = new Npgsql.NpgsqlConnection(postgres);
                await connection.OpenAsync();
                await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE {database}", connection);
                await create.ExecuteNonQueryAsync();
            }
            Log($"PostgreSQL database {database}");
            admin.Database = database;
            admin.CommandTimeout = 3600;
            results.AddRange(await MeasureAsync(DatabaseProvider.Postgres, admin.ConnectionString, load, divisions, registry));
        }
        if (Environment.GetEnvironmentVariable("ONEFORM_BENCH_POSTGRES") is not { Length: > 0 } || Environment.GetEnvironmentVariable("ONEFORM_BENCH_SQLITE") == "1")
        {
            var file = Path.Combine(work, $"province-{villages}-{residents}.db");
            results.AddRange(await MeasureAsync(DatabaseProvider.Sqlite, $"Data Source={file}", !File.Exists(file), divisions, registry));
        }
        Console.WriteLine();
        foreach (var line in results)
        {
            Console.WriteLine(line);
        }
    }

    /// <summary>
    /// The province's tree: the root, Changji's real prefecture (re-parented under it) and synthetic prefectures of seven
    /// counties of ten townships each, the villages spread evenly over the townships until the total is reached.
    /// </summary>
    private static async Task WriteDivisionsAsync(string path, int villages)
    {
        var changji = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "data/divisions/changji-6523.csv")).Skip(1).ToList();
        var remaining = Math.Max(0, villages - changji.Count(l => l.Split(',')[2] == "village"));
        // Xinjiang's other prefecture-level codes (6523 is Changji).
        int[] prefectures = [1, 2, 4, 5, 21, 22, 27, 28, 29, 30, 31, 32, 40];
        const int counties = 7, townships = 10;
        var townshipCount = prefectures.Length * counties * townships;
        await using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        await writer.WriteLineAsync("code,name,level,parent_code,urban_rural");
        await writer.WriteLineAsync($"{Province},新疆（合成）,province,,");
        foreach (var line in changji)
        {
            var f = line.Split(',');
            await writer.WriteLineAsync(f[3].Length == 0 ? $"{f[0]},{f[1]},{f[2]},{Province},{(f.Length > 4 ? f[4] : "")}" : line);
        }
        var township = 0;
        foreach (var p in prefectures)
        {
            var prefecture = $"65{p:00}00000000";
            await writer.WriteLineAsync($"{prefecture},合成州{p:00},prefecture,{Province},");
            for (var c = 1; c <= counties; c++)
            {
                var county = $"65{p:00}{c:00}000000";
                await writer.WriteLineAsync($"{county},合成县{p:00}{c:00},county,{prefecture},");
                for (var t = 1; t <= townships; t++, township++)
                {
                    var code = $"65{p:00}{c:00}{t:000}000";
                    await writer.WriteLineAsync($"{code},合成镇{p:00}{c:00}{t:00},township,{county},");
                    var here = (int)((long)(township + 1) * remaining / townshipCount - (long)township * remaining / townshipCount);
                    for (var v = 1; v <= here; v++)
                    {
                        await writer.WriteLineAsync($"65{p:00}{c:00}{t:000}{v:000},合成村{p:00}{c:00}{t:00}{v:000},village,{code},{(v % 5 == 0 ? "111" : "220")}");
                    }
                }
            }
        }
    }

    private static async Task<List<string>> MeasureAsync(DatabaseProvider provider, string connectionString, bool load, string divisions, string registry)
    {
        var lines = new List<string>();
        var app = Path.Combine(AppContext.BaseDirectory, "OneForm.dll");
        var settings = new Dictionary<string, string> { ["Database__Provider"] = provider.ToString(), ["ConnectionStrings__OneForm"] = connectionString };
        string Line(string text) => $"{provider}: {text}";
        if (load)
        {
            // The schema first, so that the divisions import is timed alone.
            var migrate = await RegistryBench.TimeAsync("dotnet", [app, "migrate"], settings);
            lines.Add(Line($"migrate (empty database): {migrate.Time.TotalSeconds:F1} s"));
            Log(lines[^1]);
            var tree = await RegistryBench.TimeAsync("dotnet", [app, "import", "divisions", divisions], settings);
            var units = File.ReadLines(divisions).Count() - 1;
            lines.Add(Line($"import divisions: {units:N0} units in {tree.Time.TotalSeconds:F1} s ({units / tree.Time.TotalSeconds:N0} units/s), peak memory {tree.PeakBytes / 1048576.0:F0} MB"));
            Log(lines[^1]);
            var seed = await RegistryBench.TimeAsync("dotnet", [app, "seed", "demo"], settings);
            lines.Add(Line($"seed demo (catalogue, accounts, the demo's residents of one township): {seed.Time.TotalSeconds:F1} s"));
            Log(lines[^1]);
            // One import takes at most Registry.ResidentImporter.MaxRows rows, so a province's registry comes in parts, as it
            // would from the public-security bureau (by prefecture); each part is timed.
            foreach (var part in await PartsAsync(registry))
            {
                var rows = File.ReadLines(part).Count() - 1;
                Log($"{provider}: import residents of {rows:N0} rows ({Path.GetFileName(part)}) started");
                var people = await RegistryBench.TimeAsync("dotnet", [app, "import", "residents", part], settings);
                lines.Add(Line($"import residents ({Path.GetFileName(part)}): {rows:N0} rows in {people.Time.TotalSeconds:F0} s ({rows / people.Time.TotalSeconds:N0} rows/s, " +
                    $"with the derived values' recompute that follows), peak memory {people.PeakBytes / 1048576.0:F0} MB"));
                Log(lines[^1]);
            }
        }
        lines.Add(Line(await IncrementalAsync(app, settings, registry)));
        Log(lines[^1]);
        await using var db = StatisticsBench.Context(provider, connectionString, timeoutSeconds: 3600);
        var elements = await db.DataElements.Where(e => e.ValueType == Dictionary.ElementValueType.Integer && e.Source == Dictionary.ElementSource.Entered)
            .OrderBy(e => e.Code).Take(50).Select(e => new { e.Id, e.Code }).ToListAsync();
        // The year of values, unless an earlier run of this database added it.
        if (!await db.DataValueChanges.AnyAsync(c => c.ChangedBy.StartsWith("cadre.65") && c.PeriodCode == Quarters[0]))
        {
            var clock = Stopwatch.StartNew();
            var (values, changes) = await AddYearAsync(db, elements.Select(e => e.Id).ToList());
            lines.Add(Line($"a year of values: {values:N0} values and {changes:N0} change rows ({elements.Count} elements x villages x {Quarters.Length} quarters) by SQL in {clock.Elapsed.TotalSeconds:F0} s"));
            Log(lines[^1]);
            clock.Restart();
            await db.Database.ExecuteSqlRawAsync(provider == DatabaseProvider.Postgres ? "VACUUM ANALYZE" : "ANALYZE");
            Log($"{provider}: VACUUM ANALYZE in {clock.Elapsed.TotalSeconds:F0} s");
        }
        lines.AddRange(await SizesAsync(provider, db));
        foreach (var l in lines.TakeLast(1))
        {
            Log(l);
        }
        lines.AddRange(await ThroughTheApiAsync(provider, connectionString, db, elements.Select(e => e.Code).ToList()));
        return lines;
    }

    /// <summary>
    /// A month's changes from the public-security bureau: every 2,500th resident of the registry with a new address (a
    /// new one each run, so the same database can be measured again), as an incremental file. Its import recounts the
    /// derived values of only the villages it touched (each period in force has been derived by the full load), so this
    /// is the recount a province pays every month, with the process's start.
    /// </summary>
    private static async Task<string> IncrementalAsync(string app, Dictionary<string, string> settings, string registry)
    {
        var file = Path.Combine(Path.GetDirectoryName(registry)!, "incremental.csv");
        var address = $"新址{DateTime.UtcNow:HHmmss}";
        var (rows, villages) = (0, new HashSet<string>());
        await using (var writer = new StreamWriter(file, false, new UTF8Encoding(false)))
        {
            var index = 0;
            foreach (var line in File.ReadLines(registry))
            {
                if (index++ == 0)
                {
                    await writer.WriteLineAsync(line);
                }
                else if (index % 2_500 == 0)
                {
                    var fields = line.Split(',');
                    fields[8] = address;
                    villages.Add(fields[7]);
                    await writer.WriteLineAsync(string.Join(',', fields));
                    rows++;
                }
            }
        }
        var run = await RegistryBench.TimeAsync("dotnet", [app, "import", "residents", file], settings);
        return string.Create(CultureInfo.InvariantCulture,
            $"import residents, a month's changes ({rows:N0} residents with a new address in {villages.Count:N0} villages): {run.Time.TotalSeconds:F1} s " +
            $"with the recount of the villages it touched and the process's start, peak memory {run.PeakBytes / 1048576.0:F0} MB");
    }

    /// <summary>The registry file as it is when it fits one import, or cut into parts that do (the header repeated in each).</summary>
    private static async Task<List<string>> PartsAsync(string registry)
    {
        const int most = Registry.ResidentImporter.MaxRows;
        if (File.ReadLines(registry).Count() - 1 <= most)
        {
            return [registry];
        }
        var parts = new List<string>();
        using var reader = new StreamReader(registry, Encoding.UTF8);
        var header = await reader.ReadLineAsync();
        string? line = await reader.ReadLineAsync();
        while (line is not null)
        {
            var part = Path.ChangeExtension(registry, $".part{parts.Count + 1}.csv");
            parts.Add(part);
            await using var writer = new StreamWriter(part, false, new UTF8Encoding(false));
            await writer.WriteLineAsync(header);
            for (var written = 0; line is not null && written < most; written++, line = await reader.ReadLineAsync())
            {
                await writer.WriteLineAsync(line);
            }
        }
        return parts;
    }

    /// <summary>
    /// A year of quarterly values for the elements at every village, and the change row a save records for each, written
    /// by SQL (a year of saves through the API would take days here); the bytes a row are what a year of saves would leave.
    /// </summary>
    private static async Task<(int Values, int Changes)> AddYearAsync(OneFormDbContext db, List<int> elements)
    {
        object now = db.Provider == DatabaseProvider.Postgres
            ? DateTimeOffset.UtcNow
            : new Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter().ConvertToProvider(DateTimeOffset.UtcNow)!;
        var periods = string.Join(" UNION ALL ", Quarters.Select(q => $"SELECT '{q}' AS code"));
        var from = $"""
            FROM "DataElements" e CROSS JOIN "OrgUnits" u CROSS JOIN ({periods}) p
            WHERE e."Id" IN ({string.Join(',', elements)}) AND u."Level" = 'Village'
            """;
        var values = await db.Database.ExecuteSqlRawAsync($"""
            INSERT INTO "DataValues" ("DataElementId", "OrgUnitId", "PeriodCode", "Value", "Number", "Source", "UpdatedBy", "UpdatedAt", "RowVersion")
            SELECT e."Id", u."Id", p.code, CAST((u."Id" * 7 + e."Id") % 50 AS TEXT), (u."Id" * 7 + e."Id") % 50, 'Entered', 'cadre.' || u."Code", @now, 1
            {from}
            ON CONFLICT DO NOTHING
            """.Replace("@now", "{0}", StringComparison.Ordinal), now);
        var changes = await db.Database.ExecuteSqlRawAsync($"""
            INSERT INTO "DataValueChanges" ("DataElementId", "OrgUnitId", "PeriodCode", "OldValue", "NewValue", "Source", "ChangedBy", "ChangedAt")
            SELECT e."Id", u."Id", p.code, NULL, CAST((u."Id" * 7 + e."Id") % 50 AS TEXT), 'Entered', 'cadre.' || u."Code", @now
            {from}
            """.Replace("@now", "{0}", StringComparison.Ordinal), now);
        await StatisticsBench.PlaceChangesAsync(db);
        return (values, changes);
    }

    /// <summary>Rows, and bytes of table and indexes, for every table; then each index of the tables that grow.</summary>
    private static async Task<List<string>> SizesAsync(DatabaseProvider provider, OneFormDbContext db)
    {
        var lines = new List<string>();
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync();
        }
        if (provider == DatabaseProvider.Postgres)
        {
            lines.Add("| table | rows | table bytes | index bytes | total (with TOAST) | bytes a row, total |");
            lines.Add("| --- | ---: | ---: | ---: | ---: | ---: |");
            var tables = await ReadAsync(connection, """
                SELECT c.relname, c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY pg_total_relation_size(c.oid) DESC
                """);
            foreach (var table in tables)
            {
                var name = (string)table[0];
                var count = Convert.ToInt64((await ReadAsync(connection, $"SELECT COUNT(*) FROM \"{name}\""))[0][0], CultureInfo.InvariantCulture);
                var size = (await ReadAsync(connection, $"SELECT pg_relation_size({table[1]}), pg_indexes_size({table[1]}), pg_total_relation_size({table[1]})"))[0];
                var (heap, indexes, total) = ((long)size[0], (long)size[1], (long)size[2]);
                if (count == 0 && total < 100_000)
                {
                    continue;
                }
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {count:N0} | {Mb(heap)} | {Mb(indexes)} | {Mb(total)} | {(count == 0 ? "" : (total / (double)count).ToString("F0", CultureInfo.InvariantCulture))} |"));
            }
            lines.Add("");
            lines.Add("| index | bytes |");
            lines.Add("| --- | ---: |");
            foreach (var index in await ReadAsync(connection, """
                SELECT i.relname, pg_relation_size(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
                JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public' AND pg_relation_size(i.oid) > 1048576
                ORDER BY pg_relation_size(i.oid) DESC
                """))
            {
                lines.Add($"| {index[0]} | {Mb((long)index[1])} |");
            }
            var database = (long)(await ReadAsync(connection, "SELECT pg_database_size(current_database())"))[0][0];
            lines.Add($"database: {Mb(database)}");
        }
        else
        {
            lines.Add("| table or index | bytes |");
            lines.Add("| --- | ---: |");
            try
            {
                foreach (var row in await ReadAsync(connection, "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name HAVING SUM(pgsize) > 1048576 ORDER BY 2 DESC"))
                {
                    lines.Add($"| {row[0]} | {Mb(Convert.ToInt64(row[1], CultureInfo.InvariantCulture))} |");
                }
            }
            catch (DbException e)
            {
                // The SQLite bundled with Microsoft.Data.Sqlite is built without the dbstat table; the sqlite3 shell has it.
                lines.Add($"(no dbstat here: {e.Message}; for bytes per table and index: sqlite3 FILE \"SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC\")");
            }
            foreach (var table in new[] { "DataValues", "DataValueChanges", "Residents", "ResidentChanges", "AuditEntries" })
            {
                lines.Add($"{table}: {(await ReadAsync(connection, $"SELECT COUNT(*) FROM \"{table}\""))[0][0]:N0} rows");
            }
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connection.ConnectionString).DataSource;
            lines.Add($"database file: {Mb(new FileInfo(file).Length)}");
        }
        return lines;
    }

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:N1} MB");

    private static async Task<List<object[]>> ReadAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 3600;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object[]>();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>The running app, signed in as the gatekeeper: statistics of the province and of Changji, subtree reads, a county's roster.</summary>
    private static async Task<List<string>> ThroughTheApiAsync(DatabaseProvider provider, string connectionString, OneFormDbContext db, List<string> elements)
    {
        var lines = new List<string>();
        var port = BenchNode.FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "OneForm.dll"), "serve", "--demo", "--urls", $"http://127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["Database__Provider"] = provider.ToString();
        start.Environment["ConnectionStrings__OneForm"] = connectionString;
        start.Environment["Api__RequestsPerMinutePerToken"] = "100000";
        using var app = Process.Start(start)!;
        _ = app.StandardOutput.ReadToEndAsync();
        _ = app.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(30) };
            await StatisticsBench.WaitUntilUpAsync(http, minutes: 30);
            var login = await http.PostAsJsonAsync("/api/v1/auth/login", new { userName = "gatekeeper", password = Demo.DemoSeed.DefaultPassword });
            login.EnsureSuccessStatusCode();
            var token = (await login.Content.ReadFromJsonAsync<Token>())!.AccessToken;
            http.DefaultRequestHeaders.Authorization = new("Bearer", token);
            var bump = await db.DataValues.Select(v => new { v.DataElementId, v.OrgUnitId }).FirstAsync();
            var runs = int.Parse(Environment.GetEnvironmentVariable("ONEFORM_BENCH_RUNS") ?? "5", CultureInfo.InvariantCulture);

            lines.AddRange(await DrillAsync(provider, http, db, elements, bump.DataElementId, bump.OrgUnitId, runs));

            foreach (var (root, what) in new[] { (Changji, "Changji prefecture"), (Province, "the province") })
            {
                var url = $"/api/v1/statistics?elements={string.Join(',', elements)}&unit={root}&level=Village&periods={string.Join(',', Quarters)}";
                var path = await db.OrgUnits.Where(u => u.Code == root).Select(u => u.Path).SingleAsync();
                var villages = await db.OrgUnits.InSubtree(path).CountAsync(u => u.Level == OrgUnitLevel.Village);
                var sql = $"""
                    SELECT v."OrgUnitId", v."DataElementId", v."PeriodCode", v."Number" FROM "DataValues" v JOIN "OrgUnits" u ON u."Id" = v."OrgUnitId"
                    JOIN "DataElements" e ON e."Id" = v."DataElementId"
                    WHERE e."Code" IN ({string.Join(',', elements.Select(e => $"'{e}'"))}) AND v."PeriodCode" IN ({string.Join(',', Quarters.Select(q => $"'{q}'"))})
                      AND u."Level" = 'Village' AND u."Path" LIKE '{path}%'
                    """;
                var connection = db.Database.GetDbConnection();
                if (connection.State != System.Data.ConnectionState.Open)
                {
                    await connection.OpenAsync();
                }
                async Task<int> ReadByHandAsync()
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = sql;
                    command.CommandTimeout = 3600;
                    await using var reader = await command.ExecuteReaderAsync();
                    var read = 0;
                    while (await reader.ReadAsync())
                    {
                        _ = (reader.GetInt32(0), reader.GetInt32(1), reader.GetString(2), reader.IsDBNull(3) ? (double?)null : reader.GetDouble(3));
                        read++;
                    }
                    return read;
                }
                // The first request after the start (the query plan, the JIT and the database's cache all cold).
                await RecordChangeAsync(db, bump.DataElementId, bump.OrgUnitId);
                var first = Stopwatch.StartNew();
                var answer = await http.GetAsync(url);
                var bytes = (await answer.Content.ReadAsByteArrayAsync()).Length;
                first.Stop();
                if (answer.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"the API answered {answer.StatusCode}");
                }
                var cells = await ReadByHandAsync();
                var (cold, warm, hand) = (new List<double>(), new List<double>(), new List<double>());
                var before = RegistryBench.ResidentBytes(app.Id);
                var peak = before;
                for (var i = 0; i < runs; i++)
                {
                    await RecordChangeAsync(db, bump.DataElementId, bump.OrgUnitId);
                    var clock = Stopwatch.StartNew();
                    var request = http.GetAsync(url);
                    while (!request.IsCompleted)
                    {
                        peak = Math.Max(peak, RegistryBench.ResidentBytes(app.Id));
                        await Task.Delay(20);
                    }
                    using (var response = await request)
                    {
                        _ = await response.Content.ReadAsByteArrayAsync();
                        cold.Add(clock.Elapsed.TotalMilliseconds);
                        response.EnsureSuccessStatusCode();
                    }
                    clock.Restart();
                    await ReadByHandAsync();
                    hand.Add(clock.Elapsed.TotalMilliseconds);
                }
                for (var i = 0; i < runs * 2; i++)
                {
                    var clock = Stopwatch.StartNew();
                    using var response = await http.GetAsync(url);
                    _ = await response.Content.ReadAsByteArrayAsync();
                    warm.Add(clock.Elapsed.TotalMilliseconds);
                    response.EnsureSuccessStatusCode();
                }
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{provider}: statistics of {what} ({elements.Count} elements x {villages:N0} villages x {Quarters.Length} quarters, {cells:N0} cells, {bytes / 1048576.0:F1} MB of JSON): " +
                    $"first request after start {first.Elapsed.TotalMilliseconds:F0} ms; cold (data version moved) mean {cold.Average():F0} ms, min {cold.Min():F0}, max {cold.Max():F0}; " +
                    $"hand-written SQL mean {hand.Average():F0} ms (ratio {cold.Average() / hand.Average():F2}x); warm (cache) mean {warm.Average():F0} ms; " +
                    $"app memory {before / 1048576.0:F0} MB before, peak {peak / 1048576.0:F0} MB"));
                Log(lines[^1]);
            }

            // Subtree reads: the first page of units below the province and below a prefecture, and one unit.
            foreach (var (url, what) in new[]
            {
                ($"/api/v1/org-units/{Province}/subtree?pageSize=1000", "subtree of the province, first page of 1,000"),
                ($"/api/v1/org-units/{Province}/subtree?level=County", "the province's counties"),
                ($"/api/v1/org-units/{Changji}/subtree?pageSize=1000", "subtree of Changji, first page of 1,000"),
                ("/api/v1/org-units/650101001001", "one village"),
            })
            {
                var times = new List<double>();
                for (var i = 0; i < Math.Max(5, runs); i++)
                {
                    var clock = Stopwatch.StartNew();
                    using var response = await http.GetAsync(url);
                    _ = await response.Content.ReadAsByteArrayAsync();
                    times.Add(clock.Elapsed.TotalMilliseconds);
                    response.EnsureSuccessStatusCode();
                }
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{provider}: {what} ({url}): first {times[0]:F0} ms, then mean {times.Skip(1).Average():F1} ms"));
                Log(lines[^1]);
            }

            // A county's roster (the county with the most residents), as xlsx and as csv.
            var busiest = await db.Residents.Where(r => r.Status == Registry.ResidentStatus.Active)
                .Join(db.OrgUnits, r => r.OrgUnitId, u => u.Id, (r, u) => u.Code.Substring(0, 6))
                .GroupBy(c => c).Select(g => new { County = g.Key, Count = g.Count() }).OrderByDescending(g => g.Count).FirstAsync();
            foreach (var format in new[] { "xlsx", "csv" })
            {
                var code = busiest.County + "000000";
                var before = RegistryBench.ResidentBytes(app.Id);
                var peak = before;
                var clock = Stopwatch.StartNew();
                var download = http.GetAsync($"/api/v1/data/roster?unit={code}&format={format}", HttpCompletionOption.ResponseHeadersRead);
                while (!download.IsCompleted)
                {
                    peak = Math.Max(peak, RegistryBench.ResidentBytes(app.Id));
                    await Task.Delay(20);
                }
                using var response = await download;
                response.EnsureSuccessStatusCode();
                var length = (await response.Content.ReadAsByteArrayAsync()).Length;
                clock.Stop();
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{provider}: roster {format} of county {code} ({busiest.Count:N0} residents): {clock.Elapsed.TotalSeconds:F1} s, {length / 1048576.0:F1} MB; app memory {before / 1048576.0:F0} MB before, peak {peak / 1048576.0:F0} MB"));
                Log(lines[^1]);
            }
        }
        finally
        {
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
        }
        return lines;
    }

    /// <summary>
    /// The statistics page a province's official opens: the province's total and its prefectures' sub-totals, added up
    /// from the townships' roll-ups; then a township opened into its villages. The roll-ups are first summed from nothing
    /// (timed), then the pages are read cold (a change recorded before each request, so the cache and the roll-ups must
    /// catch up), then warm.
    /// </summary>
    private static async Task<List<string>> DrillAsync(DatabaseProvider provider, HttpClient http, OneFormDbContext db, List<string> elements,
        int element, int unit, int runs)
    {
        var lines = new List<string>();
        var page = $"/Statistics?Elements={string.Join(',', elements)}&Unit={Province}&Level=Village&Periods={string.Join(',', Quarters)}";
        var path = await db.OrgUnits.Where(u => u.Code == Province).Select(u => u.Path).SingleAsync();
        var township = await db.OrgUnits.InSubtree(path).Where(u => u.Level == OrgUnitLevel.Township).OrderBy(u => u.Code).Select(u => u.Code).FirstAsync();
        async Task<double> OpenAsync(string url)
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.GetAsync(url);
            var html = await response.Content.ReadAsStringAsync();
            response.EnsureSuccessStatusCode();
            if (!html.Contains("data-testid=\"statistics-total\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{url} shows no total");
            }
            return clock.Elapsed.TotalMilliseconds;
        }

        // The roll-ups summed from nothing, as the first round after an upgrade does (the app's own rounds find them kept then).
        await db.Database.ExecuteSqlRawAsync("""DELETE FROM "VillageRollupMarks" """);
        var clock = Stopwatch.StartNew();
        await Sharing.VillageRollups.CatchUpAsync(db);
        var built = clock.Elapsed.TotalMilliseconds;
        foreach (var (url, what) in new[] { (page, "the province's page (its prefectures' sub-totals)"), (page + $"&Under={township}", "a township opened (its villages)") })
        {
            var (cold, warm) = (new List<double>(), new List<double>());
            for (var i = 0; i < runs; i++)
            {
                await RecordChangeAsync(db, element, unit);
                cold.Add(await OpenAsync(url));
            }
            for (var i = 0; i < runs; i++)
            {
                warm.Add(await OpenAsync(url));
            }
            var first = url == page ? string.Create(CultureInfo.InvariantCulture, $"; the roll-ups summed from nothing before, {built:F0} ms") : "";
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{provider}: statistics page, {what}, {elements.Count} elements x {Quarters.Length} quarters: cold (data version moved) mean {cold.Average():F0} ms, " +
                $"min {cold.Min():F0}, max {cold.Max():F0}; warm mean {warm.Average():F0} ms{first}"));
            Log(lines[^1]);
        }
        return lines;
    }

    private sealed record Token(string AccessToken);

    private static void Log(string line) => Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {line}");

    /// <summary>Records a value change as a save would, which moves the data version the statistics cache is checked against.</summary>
    private static async Task RecordChangeAsync(OneFormDbContext db, int element, int unit)
    {
        object now = db.Provider == DatabaseProvider.Postgres
            ? DateTimeOffset.UtcNow
            : new Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter().ConvertToProvider(DateTimeOffset.UtcNow)!;
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "DataValueChanges" ("DataElementId", "OrgUnitId", "PeriodCode", "OldValue", "NewValue", "Source", "ChangedBy", "ChangedAt")
            VALUES ({element}, {unit}, '2099Q1', NULL, '0', 'Entered', 'bench', {now})
            """);
        await StatisticsBench.PlaceChangesAsync(db);
    }
}
