using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace OneForm.Bench;

/// <summary>
/// The registry import against the database's own bulk load of the same file, in the same run: sqlite3 .import on
/// SQLite, psql \copy on PostgreSQL (when ONEFORM_BENCH_POSTGRES names a server). OneForm runs as its command-line
/// verb (validation, protection and history included), and its peak memory is sampled from /proc while it runs.
/// </summary>
internal static class RegistryBench
{
    public static async Task RunAsync(string[] args)
    {
        var wanted = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
        var work = Directory.CreateTempSubdirectory("oneform-registry-bench-").FullName;
        var app = Path.Combine(AppContext.BaseDirectory, "OneForm.dll");
        var divisions = Path.Combine(AppContext.BaseDirectory, "data/divisions/changji-6523.csv");
        var csv = await RegistryFileAsync(wanted, work);
        var rows = File.ReadLines(csv).Count() - 1;
        Console.WriteLine($"{rows:N0} residents in {new FileInfo(csv).Length / 1048576.0:F0} MB ({csv})");
        var results = new List<string>();

        // SQLite: the sqlite3 shell's .import into a plain table, then OneForm's import into its own database.
        var reference = Path.Combine(work, "reference.db");
        var sqliteShell = await TimeAsync("sqlite3", [reference, "CREATE TABLE residents_raw(id TEXT, name TEXT, sex TEXT, birth TEXT, ethnicity TEXT, household TEXT, relation TEXT, unit TEXT, address TEXT, phone TEXT);",
            ".mode csv", $".import --skip 1 {csv} residents_raw"], null);
        var sqliteSettings = new Dictionary<string, string> { ["ConnectionStrings__OneForm"] = $"Data Source={Path.Combine(work, "oneform.db")}" };
        await TimeAsync("dotnet", [app, "import", "divisions", divisions], sqliteSettings);
        var sqliteOneForm = await TimeAsync("dotnet", [app, "import", "residents", csv], sqliteSettings);
        results.Add(Line("SQLite", rows, sqliteShell, sqliteOneForm));
        results.Add(await DerivationAsync("SQLite", new Data.SqliteOneFormDbContext(
            new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<Data.SqliteOneFormDbContext>()
                .UseSqlite(sqliteSettings["ConnectionStrings__OneForm"]).Options, AuditActor.ForCommandLine("bench"))));

        if (Environment.GetEnvironmentVariable("ONEFORM_BENCH_POSTGRES") is { Length: > 0 } postgres)
        {
            var admin = new Npgsql.NpgsqlConnectionStringBuilder(postgres);
            var database = $"oneform_registry_bench_{Guid.NewGuid().ToString("N")[..8]}";
            await using (var connection = new Npgsql.NpgsqlConnection(postgres))
            {
                await connection.OpenAsync();
                await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE {database}", connection);
                await create.ExecuteNonQueryAsync();
            }
            var psqlArgs = new List<string> { "-h", admin.Host!, "-p", admin.Port.ToString(CultureInfo.InvariantCulture), "-U", admin.Username!, "-d", database, "-v", "ON_ERROR_STOP=1" };
            await TimeAsync("psql", [.. psqlArgs, "-c", "CREATE TABLE residents_raw(id text, name text, sex text, birth text, ethnicity text, household text, relation text, unit text, address text, phone text)"], null);
            var copy = await TimeAsync("psql", [.. psqlArgs, "-c", $"\\copy residents_raw FROM '{csv}' WITH (FORMAT csv, HEADER true)"], null);
            admin.Database = database;
            var pgSettings = new Dictionary<string, string> { ["Database__Provider"] = "Postgres", ["ConnectionStrings__OneForm"] = admin.ConnectionString };
            await TimeAsync("dotnet", [app, "import", "divisions", divisions], pgSettings);
            var pgOneForm = await TimeAsync("dotnet", [app, "import", "residents", csv], pgSettings);
            results.Add(Line("PostgreSQL", rows, copy, pgOneForm));
            results.Add(await DerivationAsync("PostgreSQL", new Data.PostgresOneFormDbContext(
                new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<Data.PostgresOneFormDbContext>()
                    .UseNpgsql(admin.ConnectionString).Options, AuditActor.ForCommandLine("bench"))));
        }
        foreach (var line in results)
        {
            Console.WriteLine(line);
        }
        Directory.Delete(work, recursive: true);
    }

    /// <summary>
    /// A generated registry export of about <paramref name="wanted"/> residents spread over every village and community;
    /// ONEFORM_BENCH_FILE keeps it between runs (it takes a while at 1.6 million rows).
    /// </summary>
    public static async Task<string> RegistryFileAsync(int wanted, string work)
    {
        var divisions = Path.Combine(AppContext.BaseDirectory, "data/divisions/changji-6523.csv");
        var villages = File.ReadLines(divisions).Skip(1).Select(l => l.Split(',')).Where(f => f[2] == "village").Select(f => f[0]).ToList();
        var csv = Environment.GetEnvironmentVariable("ONEFORM_BENCH_FILE") is { Length: > 0 } kept ? kept : Path.Combine(work, "registry.csv");
        if (!File.Exists(csv))
        {
            await using var writer = new StreamWriter(csv, false, new UTF8Encoding(false));
            await Demo.DemoRegistry.WriteAsync(writer, villages, Math.Max(1, wanted / villages.Count), DateOnly.FromDateTime(DateTime.UtcNow));
        }
        return csv;
    }

    /// <summary>A derivation rule (residents aged 60 to 69 at the period's end, per unit) against the same count written by hand.</summary>
    private static async Task<string> DerivationAsync(string provider, Data.OneFormDbContext db)
    {
        await using var _ = db;
        var deriver = new Registry.Derivation.Deriver(db);
        var rule = new Registry.Derivation.DerivationRule { MinAge = 60, MaxAge = 69 };
        var end = new DateOnly(2026, 12, 31);
        var (latest, earliest) = (end.AddYears(-60), end.AddYears(-70));
        var sql = db.Provider == Data.DatabaseProvider.Postgres
            ? "SELECT \"OrgUnitId\" AS \"Value\" FROM (SELECT \"OrgUnitId\", COUNT(*) AS n FROM \"Residents\" WHERE \"Status\" = 'Active' AND \"BirthDate\" <= {0} AND \"BirthDate\" > {1} GROUP BY \"OrgUnitId\") g"
            : "SELECT OrgUnitId AS Value FROM (SELECT OrgUnitId, COUNT(*) AS n FROM Residents WHERE Status = 'Active' AND BirthDate <= {0} AND BirthDate > {1} GROUP BY OrgUnitId) g";
        object Day(DateOnly d) => db.Provider == Data.DatabaseProvider.Postgres ? d : d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        // Warm both, then alternate.
        var byRule = await deriver.CountAsync(rule, end);
        var byHand = await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.SqlQueryRaw<int>(db.Database, sql, Day(latest), Day(earliest)).ToListAsync();
        if (byRule.Count != byHand.Count)
        {
            throw new InvalidOperationException($"rule gives {byRule.Count} units, the hand-written query {byHand.Count}");
        }
        var (ruleClock, handClock) = (new Stopwatch(), new Stopwatch());
        for (var i = 0; i < 10; i++)
        {
            ruleClock.Start(); await deriver.CountAsync(rule, end); ruleClock.Stop();
            handClock.Start(); await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.SqlQueryRaw<int>(db.Database, sql, Day(latest), Day(earliest)).ToListAsync(); handClock.Stop();
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"{provider}: derivation (aged 60-69 per unit, {byRule.Count} units): rule {ruleClock.Elapsed.TotalMilliseconds / 10:F1} ms, hand-written GROUP BY {handClock.Elapsed.TotalMilliseconds / 10:F1} ms, ratio {ruleClock.Elapsed / handClock.Elapsed:F2}x");
    }

    private static string Line(string provider, int rows, (TimeSpan Time, long PeakBytes) reference, (TimeSpan Time, long PeakBytes) oneForm) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{provider}: {rows:N0} rows: database bulk load {reference.Time.TotalSeconds:F1} s, OneForm import {oneForm.Time.TotalSeconds:F1} s " +
            $"({rows / oneForm.Time.TotalSeconds:N0} rows/s), ratio {oneForm.Time / reference.Time:F1}x; OneForm peak memory {oneForm.PeakBytes / 1048576.0:F0} MB");

    /// <summary>Runs a program to its end; its wall time and the highest resident memory seen while it ran.</summary>
    internal static async Task<(TimeSpan Time, long PeakBytes)> TimeAsync(string program, IEnumerable<string> args, Dictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        long peak = 0;
        while (!process.HasExited)
        {
            peak = Math.Max(peak, ResidentBytes(process.Id));
            await Task.Delay(100);
        }
        await process.WaitForExitAsync();
        clock.Stop();
        if (process.ExitCode is not (0 or 3))
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}): {await error}{await output}");
        }
        return (clock.Elapsed, peak);
    }

    internal static long ResidentBytes(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
