using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using OneForm.Data;
using OneForm.Oversight.Audit;
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

        var (pending, provider_, applied) = await app.WithDbAsync(async db =>
            (db.Database.HasPendingModelChanges(), db.Provider, (await db.Database.GetAppliedMigrationsAsync()).ToList()));

        Assert.False(pending, $"{provider} has model changes without a migration: add one with dotnet ef migrations add (see Data/DesignTimeFactories.cs)");
        Assert.Equal(provider, provider_);
        Assert.NotEmpty(applied);
    }

    [Theory, MemberData(nameof(Apps.Providers), MemberType = typeof(Apps))]
    public async Task Audit_lines_written_with_a_name_beside_the_id_keep_the_id_and_stay_append_only(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var actor = AuditActor.ForCommandLine("test");
        await using OneFormDbContext db = provider == DatabaseProvider.Postgres
            ? new PostgresOneFormDbContext(new DbContextOptionsBuilder<PostgresOneFormDbContext>().UseNpgsql(database.ConnectionString).Options, actor)
            : new SqliteOneFormDbContext(new DbContextOptionsBuilder<SqliteOneFormDbContext>().UseSqlite(database.ConnectionString).Options, actor);
        var migrator = db.GetService<IMigrator>();
        string Sql(string sql) => provider == DatabaseProvider.Postgres ? sql : sql.Replace("\"", "", StringComparison.Ordinal);

        // The schema before ActorIdsOnly: an id (for a person or a token) beside a name, or a name alone (OneForm's own work).
        await migrator.MigrateAsync("EvidenceInFileStore");
        var at = provider == DatabaseProvider.Postgres ? "now()" : "0";
        await db.Database.ExecuteSqlRawAsync(Sql($"""
            INSERT INTO "AuditEntries" ("At", "ActorUserId", "ActorName", "Kind", "EntityType")
            VALUES ({at}, 'account-id-1', 'cadre.jinxiu', 'OrgUnit.Modified', 'OrgUnit'),
                   ({at}, 'token:7', 'token:7', 'Photo.Added', 'Photo'),
                   ({at}, NULL, 'cli:import', 'Divisions.Imported', 'Divisions')
            """));
        await migrator.MigrateAsync();

        var actors = await db.AuditEntries.AsNoTracking().OrderBy(e => e.Id).Select(e => e.ActorId).ToListAsync();
        Assert.Equal(["account-id-1", "token:7", "cli:import"], actors);
        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync(Sql("UPDATE \"AuditEntries\" SET \"Summary\" = 'rewritten'")));
        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync(Sql("DELETE FROM \"AuditEntries\"")));
        Assert.Equal(3, await db.AuditEntries.CountAsync(e => e.Summary == null));
    }

    [Fact]
    public async Task A_sqlite_database_runs_in_wal_mode()
    {
        var app = await apps.GetAsync(DatabaseProvider.Sqlite);

        var mode = await app.WithDbAsync(db => db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync());

        Assert.Equal("wal", Assert.Single(mode));
    }
}
