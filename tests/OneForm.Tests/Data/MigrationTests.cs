using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OneForm.CommandLine;
using OneForm.Data;
using OneForm.Testing;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Data;

[Collection(nameof(AppsCollection))]
public sealed class MigrationTests(Apps apps)
{
    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Each_provider_has_migrations_for_the_whole_model(DatabaseProvider provider)
    {
        var app = await apps.GetAsync(provider);

        var (pending, provider_, applied, known) = await app.WithDbAsync(async db =>
            (db.Database.HasPendingModelChanges(), db.Provider, (await db.Database.GetAppliedMigrationsAsync()).ToList(), db.Database.GetMigrations().ToList()));

        Assert.False(pending, $"{provider} has model changes without a migration: add one with dotnet ef migrations add (see Data/DesignTimeFactories.cs)");
        Assert.Equal(provider, provider_);
        Assert.NotEmpty(applied);
        Assert.Equal(known, applied);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_first_migrate_of_an_empty_database_logs_no_failure_and_no_warning(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var logs = new CapturedLogs();

        await MigrateAsync(database, logs);
        var first = logs.Take();
        await MigrateAsync(database, logs);
        var second = logs.Take();

        // The first start used to log a failed read of the missing history table (PostgreSQL) and a warning about a
        // PRAGMA outside a transaction (SQLite): an operator reads either as something gone wrong.
        Assert.Contains(first, e => e.Category.StartsWith("Microsoft.EntityFrameworkCore.Migrations", StringComparison.Ordinal));
        Assert.Empty(first.Where(e => e.Level >= LogLevel.Warning).Select(e => e.ToString()));
        Assert.Empty(second.Where(e => e.Level >= LogLevel.Warning).Select(e => e.ToString()));
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task A_database_with_migrations_this_version_does_not_know_is_refused_in_words(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await MigrateAsync(database, new CapturedLogs());
        await using (var services = Services(database, new CapturedLogs()))
        await using (var scope = services.CreateAsyncScope())
        {
            // What a development database made before the baseline holds in its history (and a newer version's would).
            var db = scope.ServiceProvider.GetRequiredService<OneFormDbContext>();
            await db.Database.ExecuteSqlRawAsync(
                """INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion") VALUES ('20261127041608_AdmissionSubtree', '10.0.15')""");
        }

        var refused = await Assert.ThrowsAsync<StartupProblem>(() => MigrateAsync(database, new CapturedLogs()));

        Assert.Contains("was migrated by another version of OneForm", refused.Message);
        Assert.Contains("20261127041608_AdmissionSubtree", refused.Message);
        Assert.Contains("new, empty database", refused.Message);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task The_audit_trail_of_a_new_database_refuses_to_change_or_lose_a_line(DatabaseProvider provider)
    {
        // The baseline carries the append-only triggers by hand: the model cannot say them.
        await using var database = await TestDatabase.CreateAsync(provider);
        await MigrateAsync(database, new CapturedLogs());
        await using var services = Services(database, new CapturedLogs());
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneFormDbContext>();
        string Sql(string sql) => provider == DatabaseProvider.Postgres ? sql : sql.Replace("\"", "", StringComparison.Ordinal);
        var at = provider == DatabaseProvider.Postgres ? "now()" : "0";
        await db.Database.ExecuteSqlRawAsync(Sql($"""
            INSERT INTO "AuditEntries" ("At", "ActorId", "Kind", "EntityType")
            VALUES ({at}, 'account-id-1', 'OrgUnit.Modified', 'OrgUnit'),
                   ({at}, 'cli:import', 'Divisions.Imported', 'Divisions')
            """));

        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync(Sql("UPDATE \"AuditEntries\" SET \"Summary\" = 'rewritten'")));
        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync(Sql("DELETE FROM \"AuditEntries\"")));

        var actors = await db.AuditEntries.AsNoTracking().Where(e => e.Summary == null).OrderBy(e => e.Id).Select(e => e.ActorId).ToListAsync();
        Assert.Equal(["account-id-1", "cli:import"], actors);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Upgrading_to_the_change_cursors_places_keeps_the_cursor_a_reader_already_holds(DatabaseProvider provider)
    {
        // A database at the baseline, with value changes recorded by the version before: a department's cursor is their ids.
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var services = Services(database, new CapturedLogs());
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OneFormDbContext>();
            await db.GetService<IMigrator>().MigrateAsync(db.Database.GetMigrations().First());
            const string Insert = """
                INSERT INTO "DataValueChanges" ("DataElementId", "OrgUnitId", "PeriodCode", "NewValue", "Source", "ChangedBy", "ChangedAt")
                VALUES (1, 1, '2026Q1', '3', 'Entered', 'account-id-1', AT), (1, 2, '2026Q1', '4', 'Entered', 'account-id-1', AT),
                       (2, 1, '2026Q1', '5', 'Entered', 'account-id-1', AT)
                """;
            await db.Database.ExecuteSqlRawAsync(Insert.Replace("AT", provider == DatabaseProvider.Postgres ? "now()" : "0", StringComparison.Ordinal));
        }

        await MigrateAsync(database, new CapturedLogs());

        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OneFormDbContext>();
            var old = await db.DataValueChanges.AsNoTracking().OrderBy(c => c.Id).Select(c => new { c.Id, c.Sequence }).ToListAsync();
            Assert.Equal(3, old.Count);
            Assert.All(old, c => Assert.Equal(c.Id, c.Sequence));  // each keeps its id as its place
            db.DataValueChanges.Add(new OneForm.Collection.DataValueChange
            {
                DataElementId = 2, OrgUnitId = 2, PeriodCode = "2026Q1", NewValue = "6", ChangedBy = "account-id-2", ChangedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
            Assert.Equal(old[^1].Id + 1, await ValueChangeOrder.LatestAsync(db));  // the next change is placed after them
        }
    }

    [Fact]
    public async Task A_sqlite_database_runs_in_wal_mode()
    {
        var app = await apps.GetAsync(DatabaseProvider.Sqlite);

        var mode = await app.WithDbAsync(db => db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync());

        Assert.Equal("wal", Assert.Single(mode));
    }

    /// <summary>The data module as the app registers it, on the given database, logging into <paramref name="logs"/>.</summary>
    private static ServiceProvider Services(TestDatabase database, CapturedLogs logs)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = database.Provider.ToString(),
            ["ConnectionStrings:OneForm"] = database.ConnectionString,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddOneFormData(configuration);
        return services.BuildServiceProvider();
    }

    private static async Task MigrateAsync(TestDatabase database, CapturedLogs logs)
    {
        await using var services = Services(database, logs);
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseSetup>().MigrateAsync();
    }

    private sealed record LogEntry(LogLevel Level, string Category, EventId Id, string Message)
    {
        public override string ToString() => $"{Level}: {Category}[{Id.Id}] {Message}";
    }

    /// <summary>Every line logged, at every level, in the order written.</summary>
    private sealed class CapturedLogs : ILoggerProvider
    {
        private readonly ConcurrentQueue<LogEntry> entries = new();

        /// <summary>The lines logged so far, leaving none behind.</summary>
        public List<LogEntry> Take()
        {
            var taken = new List<LogEntry>();
            while (entries.TryDequeue(out var entry))
            {
                taken.Add(entry);
            }
            return taken;
        }

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, entries);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue(new LogEntry(logLevel, category, eventId, formatter(state, exception)));
        }
    }
}
