using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using OneForm.Data;

namespace OneForm.Bench;

/// <summary>
/// A prefecture-wide statistics query (50 elements × every village and community × 4 quarters) through the running
/// app's API against the same cells read by one hand-written SQL query, alternating, on the same database.
/// The app runs as its own process (`serve --demo`); two years of quarterly values are added for 50 elements first.
/// </summary>
internal static class StatisticsBench
{
    public static async Task RunAsync(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        // With a second argument, that many residents are imported first (the full demo: 1,600,000).
        var residents = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0;
        var results = new List<string>();
        var work = Directory.CreateTempSubdirectory("oneform-statistics-bench-").FullName;
        if (Environment.GetEnvironmentVariable("ONEFORM_BENCH_ONLY_POSTGRES") is null)
        {
            results.AddRange(await MeasureAsync(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(work, "oneform.db")}", runs, residents, work));
        }
        if (Environment.GetEnvironmentVariable("ONEFORM_BENCH_POSTGRES") is { Length: > 0 } postgres)
        {
            var admin = new Npgsql.NpgsqlConnectionStringBuilder(postgres);
            var database = $"oneform_statistics_bench_{Guid.NewGuid().ToString("N")[..8]}";
            await using (var connection = new Npgsql.NpgsqlConnection(postgres))
            {
                await connection.OpenAsync();
                await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE {database}", connection);
                await create.ExecuteNonQueryAsync();
            }
            admin.Database = database;
            results.AddRange(await MeasureAsync(DatabaseProvider.Postgres, admin.ConnectionString, runs, residents, work));
        }
        foreach (var line in results)
        {
            Console.WriteLine(line);
        }
        Directory.Delete(work, recursive: true);
    }

    private static async Task<List<string>> MeasureAsync(DatabaseProvider provider, string connectionString, int runs, int residents, string work)
    {
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
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitUntilUpAsync(http);

            await using var db = Context(provider, connectionString);
            var elements = await db.DataElements.Where(e => e.ValueType == Dictionary.ElementValueType.Integer && e.Source == Dictionary.ElementSource.Entered)
                .OrderBy(e => e.Code).Take(50).Select(e => new { e.Id, e.Code }).ToListAsync();
            string[] quarters = ["2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3", "2026Q4"];
            var added = await AddValuesAsync(db, elements.Select(e => e.Id).ToList(), quarters);
            if (residents > 0)
            {
                // The full demo: the registry import as a cadre's administrator runs it, while the app serves.
                var file = await RegistryBench.RegistryFileAsync(residents, work);
                await RegistryBench.TimeAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "OneForm.dll"), "import", "residents", file],
                    new Dictionary<string, string> { ["Database__Provider"] = provider.ToString(), ["ConnectionStrings__OneForm"] = connectionString });
            }
            var residentCount = await db.Residents.CountAsync();
            // As the database would be a minute after a load this size (autovacuum on PostgreSQL).
            await db.Database.ExecuteSqlRawAsync(provider == DatabaseProvider.Postgres ? "VACUUM ANALYZE" : "ANALYZE");
            var root = await db.OrgUnits.OrderBy(u => u.Depth).Select(u => new { u.Code, u.Path }).FirstAsync();
            var asked = quarters[4..];

            var login = await http.PostAsJsonAsync("/api/v1/auth/login", new { userName = "gatekeeper", password = Demo.DemoSeed.DefaultPassword });
            var token = (await login.Content.ReadFromJsonAsync<Token>())!.AccessToken;
            http.DefaultRequestHeaders.Authorization = new("Bearer", token);
            var url = $"/api/v1/statistics?elements={string.Join(',', elements.Select(e => e.Code))}&unit={root.Code}&level=Village&periods={string.Join(',', asked)}";

            var ids = string.Join(',', elements.Select(e => e.Id));
            var periods = string.Join(',', asked.Select(p => $"'{p}'"));
            // The reference: the same cells with the keys that place them in the table (unit, element, period), read with a
            // plain data reader; without the keys a program could not tell one figure from another.
            var sql = $"""
                SELECT v."OrgUnitId", v."DataElementId", v."PeriodCode", v."Number" FROM "DataValues" v JOIN "OrgUnits" u ON u."Id" = v."OrgUnitId"
                WHERE v."DataElementId" IN ({ids}) AND v."PeriodCode" IN ({periods}) AND u."Level" = 'Village' AND u."Path" LIKE '{root.Path}%'
                """;
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync();
            async Task<int> ReadByHandAsync()
            {
                await using var command = connection.CreateCommand();
                command.CommandText = sql;
                await using var reader = await command.ExecuteReaderAsync();
                var read = 0;
                while (await reader.ReadAsync())
                {
                    _ = (reader.GetInt32(0), reader.GetInt32(1), reader.GetString(2), reader.IsDBNull(3) ? (double?)null : reader.GetDouble(3));
                    read++;
                }
                return read;
            }
            // Warm both (the server compiles its hot paths and fills its caches in the first few requests), then alternate.
            var cells = 0;
            for (var i = 0; i < 5; i++)
            {
                (await http.GetAsync(url)).EnsureSuccessStatusCode();
                cells = await ReadByHandAsync();
            }
            // Cold: before each request the data version moves (a value change is recorded, outside the timer), so the
            // cache cannot answer and the query runs, as it would for the first request after a save.
            var (hand, bytes) = (new Stopwatch(), 0L);
            var cold = new List<double>();
            var warm = new List<double>();
            var bump = await db.DataValues.Select(v => new { v.DataElementId, v.OrgUnitId }).FirstAsync();
            for (var i = 0; i < runs; i++)
            {
                await RecordChangeAsync(db, bump.DataElementId, bump.OrgUnitId);
                var clock = Stopwatch.StartNew();
                var response = await http.GetAsync(url);
                bytes = (await response.Content.ReadAsByteArrayAsync()).Length;
                cold.Add(clock.Elapsed.TotalMilliseconds);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"the API answered {response.StatusCode}");
                }
                hand.Start();
                await ReadByHandAsync();
                hand.Stop();
            }
            // Warm: the same question again with nothing written in between, answered from the cache.
            for (var i = 0; i < Math.Max(20, runs * 3); i++)
            {
                var clock = Stopwatch.StartNew();
                var response = await http.GetAsync(url);
                _ = await response.Content.ReadAsByteArrayAsync();
                warm.Add(clock.Elapsed.TotalMilliseconds);
                response.EnsureSuccessStatusCode();
            }
            var handMean = hand.Elapsed.TotalMilliseconds / runs;
            var lines = new List<string>
            {
                string.Create(CultureInfo.InvariantCulture,
                $"{provider}, {residentCount:N0} residents: statistics of {elements.Count} elements x villages x {asked.Length} quarters ({cells:N0} cells; {added:N0} values added over {quarters.Length} quarters, {bytes / 1024.0:F0} KB of JSON): " +
                $"cold API mean {cold.Average():F0} ms, p95 {P95(cold):F0} ms; hand-written SQL mean {handMean:F0} ms; ratio {cold.Average() / handMean:F2}x; " +
                $"warm (cache) mean {warm.Average():F1} ms, p95 {P95(warm):F1} ms"),
            };
            if (residentCount > 0)
            {
                lines.AddRange(await ExportsAsync(provider, http, db, app.Id));
            }
            return lines;
        }
        finally
        {
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
        }
    }

    private sealed record Token(string AccessToken);

    /// <summary>
    /// Roster exports as xlsx through the API (written to a temporary file, then streamed) for the units whose
    /// residents come closest to 10,000, 100,000 and 1,000,000 rows: time, file size and how far the app's memory rose.
    /// </summary>
    private static async Task<List<string>> ExportsAsync(DatabaseProvider provider, HttpClient http, OneFormDbContext db, int appProcess)
    {
        var perUnit = await db.Residents.Where(r => r.Status == Registry.ResidentStatus.Active).GroupBy(r => r.OrgUnitId)
            .Select(g => new { Unit = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Unit, g => g.Count);
        var units = await db.OrgUnits.Select(u => new { u.Id, u.Code, u.Path }).ToListAsync();
        var below = units.Select(u => (u.Code, Rows: units.Where(v => v.Path.StartsWith(u.Path, StringComparison.Ordinal)).Sum(v => perUnit.GetValueOrDefault(v.Id))))
            .Where(u => u.Rows > 0).ToList();
        var lines = new List<string>();
        foreach (var wanted in new[] { 10_000, 100_000, 1_000_000 })
        {
            var (code, rows) = below.MinBy(u => Math.Abs(u.Rows - wanted));
            var before = RegistryBench.ResidentBytes(appProcess);
            var peak = before;
            var clock = Stopwatch.StartNew();
            var download = http.GetAsync($"/api/v1/data/roster?unit={code}&format=xlsx", HttpCompletionOption.ResponseHeadersRead);
            while (!download.IsCompleted)
            {
                peak = Math.Max(peak, RegistryBench.ResidentBytes(appProcess));
                await Task.Delay(20);
            }
            using var response = await download;
            response.EnsureSuccessStatusCode();
            var length = (await response.Content.ReadAsByteArrayAsync()).Length;
            clock.Stop();
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{provider}: roster xlsx of {rows:N0} rows (below {code}): {clock.Elapsed.TotalSeconds:F1} s, {length / 1048576.0:F1} MB; app memory {before / 1048576.0:F0} MB before, peak {peak / 1048576.0:F0} MB (+{(peak - before) / 1048576.0:F0} MB)"));
        }
        return lines;
    }

    private static double P95(List<double> times) => times.Order().ElementAt((int)Math.Ceiling(times.Count * 0.95) - 1);

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
        await PlaceChangesAsync(db);
    }

    /// <summary>
    /// Gives change rows written here by SQL their place in the change cursor's order, as the app's save does after its
    /// commit, so the first save or read in the measured part does not place them all.
    /// </summary>
    internal static async Task PlaceChangesAsync(OneFormDbContext db)
    {
        await ValueChangeOrder.PlaceBeforeReadingAsync(db);
        await ValueChangeOrder.PlaceWithinAsync(db, CancellationToken.None);
    }

    internal static async Task<int> AddValuesAsync(OneFormDbContext db, List<int> elements, string[] quarters)
    {
        object now = db.Provider == DatabaseProvider.Postgres
            ? DateTimeOffset.UtcNow
            : new Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter().ConvertToProvider(DateTimeOffset.UtcNow)!;
        var periods = string.Join(" UNION ALL ", quarters.Select(q => $"SELECT '{q}' AS code"));
        var sql = $"""
            INSERT INTO "DataValues" ("DataElementId", "OrgUnitId", "PeriodCode", "Value", "Number", "Source", "UpdatedBy", "UpdatedAt", "RowVersion")
            SELECT e."Id", u."Id", p.code, CAST((u."Id" * 7 + e."Id") % 50 AS TEXT), (u."Id" * 7 + e."Id") % 50, 'Entered', 'bench', @now, 1
            FROM "DataElements" e CROSS JOIN "OrgUnits" u CROSS JOIN ({periods}) p
            WHERE e."Id" IN ({string.Join(',', elements)}) AND u."Level" = 'Village'
            ON CONFLICT DO NOTHING
            """;
        return await db.Database.ExecuteSqlRawAsync(sql.Replace("@now", "{0}", StringComparison.Ordinal), now);
    }

    /// <summary>A context on the bench's database, its commands allowed <paramref name="timeoutSeconds"/> (bulk loads are long).</summary>
    internal static OneFormDbContext Context(DatabaseProvider provider, string connectionString, int timeoutSeconds = 900) => provider == DatabaseProvider.Postgres
        ? new PostgresOneFormDbContext(new DbContextOptionsBuilder<PostgresOneFormDbContext>().UseNpgsql(connectionString, o => o.CommandTimeout(timeoutSeconds)).Options, AuditActor.ForCommandLine("bench"))
        : new SqliteOneFormDbContext(new DbContextOptionsBuilder<SqliteOneFormDbContext>().UseSqlite(connectionString, o => o.CommandTimeout(timeoutSeconds)).Options, AuditActor.ForCommandLine("bench"));

    /// <summary>Waits for the app's /health to answer, for at most <paramref name="minutes"/> (a province's start-up preparation is long).</summary>
    internal static async Task WaitUntilUpAsync(HttpClient http, int minutes = 15)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(minutes))
        {
            try
            {
                if ((await http.GetAsync("/health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"OneForm did not start within {minutes} minutes");
    }
}
