using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;
using OneForm.Organization.Divisions;

namespace OneForm.Bench;

// Subtree queries over the org tree: the indexed materialised-path range that OneForm uses, against the reference
// a tree table would otherwise use (a recursive query over the indexed parent link), on the same database in the
// same run. Usage: dotnet run -c Release --project bench/OneForm.Bench [-- units-per-level]
// With ONEFORM_BENCH_POSTGRES set to a connection string, PostgreSQL is measured too.

internal static class SubtreeBench
{
    public static async Task RunAsync(string[] args)
    {
        var fanOut = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 14;
        var results = new List<string>();

        await MeasureAsync(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(Path.GetTempPath(), $"oneform-bench-{Guid.NewGuid():N}.db")}");
        if (Environment.GetEnvironmentVariable("ONEFORM_BENCH_POSTGRES") is { Length: > 0 } postgres)
        {
            await MeasureAsync(DatabaseProvider.Postgres, postgres);
        }
        foreach (var line in results)
        {
            Console.WriteLine(line);
        }

        async Task MeasureAsync(DatabaseProvider provider, string connectionString)
        {
            var actor = AuditActor.ForCommandLine("bench");
            OneFormDbContext db = provider == DatabaseProvider.Sqlite
                ? new SqliteOneFormDbContext(new DbContextOptionsBuilder<SqliteOneFormDbContext>().UseSqlite(connectionString).Options, actor)
                : new PostgresOneFormDbContext(new DbContextOptionsBuilder<PostgresOneFormDbContext>().UseNpgsql(connectionString).Options, actor);
            await using var _ = db;
            await db.Database.EnsureDeletedAsync();
            await db.Database.MigrateAsync();

            // A province of fanOut prefectures, each with fanOut counties, townships and villages below (fanOut^4 villages).
            var csv = new StringBuilder("code,name,level,parent_code\n650000000000,省,province,\n");
            for (var p = 1; p <= fanOut; p++)
            {
                var prefecture = $"65{p:00}00000000";
                csv.Append(CultureInfo.InvariantCulture, $"{prefecture},州{p},prefecture,650000000000\n");
                for (var c = 1; c <= fanOut; c++)
                {
                    var county = $"65{p:00}{c:00}000000";
                    csv.Append(CultureInfo.InvariantCulture, $"{county},县{p}-{c},county,{prefecture}\n");
                    for (var t = 1; t <= fanOut; t++)
                    {
                        var township = $"65{p:00}{c:00}{t:000}000";
                        csv.Append(CultureInfo.InvariantCulture, $"{township},镇{p}-{c}-{t},township,{county}\n");
                        for (var v = 1; v <= fanOut; v++)
                        {
                            csv.Append(CultureInfo.InvariantCulture, $"65{p:00}{c:00}{t:000}{v:000},村{p}-{c}-{t}-{v},village,{township}\n");
                        }
                    }
                }
            }
            var localizer = new StringLocalizer<SharedResource>(new ResourceManagerStringLocalizerFactory(
                Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));
            var importer = new DivisionImporter(db, localizer, actor);
            var importClock = Stopwatch.StartNew();
            var report = await importer.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())), "bench.csv");
            importClock.Stop();
            db.ChangeTracker.Clear();

            results.Add($"{provider}: {report.Added:N0} units imported in {importClock.Elapsed.TotalSeconds:F1} s " +
                        $"({report.Added / importClock.Elapsed.TotalSeconds:N0} units/s)");
            foreach (var level in new[] { OrgUnitLevel.Prefecture, OrgUnitLevel.County })
            {
                await CompareAsync(db, provider, level);
            }
            await db.Database.EnsureDeletedAsync();
        }

        async Task CompareAsync(OneFormDbContext db, DatabaseProvider provider, OrgUnitLevel level)
        {
            var counties = await db.OrgUnits.AsNoTracking().Where(u => u.Level == level).ToListAsync();
            var table = provider == DatabaseProvider.Postgres ? "\"OrgUnits\"" : "OrgUnits";
            var id = provider == DatabaseProvider.Postgres ? "\"Id\"" : "Id";
            var parent = provider == DatabaseProvider.Postgres ? "\"ParentId\"" : "ParentId";
            var recursive = $"WITH RECURSIVE sub(id) AS (SELECT {id} FROM {table} WHERE {id} = {{0}} " +
                            $"UNION ALL SELECT u.{id} FROM {table} u JOIN sub ON u.{parent} = sub.id) SELECT COUNT(*) AS \"Value\" FROM sub";

            // Warm up both, and check they agree, before timing.
            foreach (var county in counties.Take(3))
            {
                var byPath = await db.OrgUnits.InSubtree(county.Path).CountAsync();
                var byParents = await db.Database.SqlQueryRaw<int>(recursive, county.Id).SingleAsync();
                if (byPath != byParents)
                {
                    throw new InvalidOperationException($"{county.Code}: path {byPath} != recursive {byParents}");
                }
            }

            const int rounds = 3;
            var pathClock = new Stopwatch();
            var parentClock = new Stopwatch();
            for (var round = 0; round < rounds; round++)
            {
                // Alternate the order so neither side always runs on a warmer cache.
                foreach (var county in counties)
                {
                    if (round % 2 == 0)
                    {
                        pathClock.Start(); await db.OrgUnits.InSubtree(county.Path).CountAsync(); pathClock.Stop();
                        parentClock.Start(); await db.Database.SqlQueryRaw<int>(recursive, county.Id).SingleAsync(); parentClock.Stop();
                    }
                    else
                    {
                        parentClock.Start(); await db.Database.SqlQueryRaw<int>(recursive, county.Id).SingleAsync(); parentClock.Stop();
                        pathClock.Start(); await db.OrgUnits.InSubtree(county.Path).CountAsync(); pathClock.Stop();
                    }
                }
            }
            var queries = rounds * counties.Count;
            var size = await db.OrgUnits.InSubtree(counties[0].Path).CountAsync();
            results.Add($"{provider}: subtree of a {level.ToString().ToLowerInvariant()} ({size:N0} units), {queries} queries: " +
                        $"path range {pathClock.Elapsed.TotalMilliseconds / queries:F3} ms, recursive parent walk " +
                        $"{parentClock.Elapsed.TotalMilliseconds / queries:F3} ms, ratio {parentClock.Elapsed / pathClock.Elapsed:F1}x");
        }

    }
}
