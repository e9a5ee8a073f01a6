using Microsoft.EntityFrameworkCore;
using OneForm.Data;
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

    [Fact]
    public async Task A_sqlite_database_runs_in_wal_mode()
    {
        var app = await apps.GetAsync(DatabaseProvider.Sqlite);

        var mode = await app.WithDbAsync(db => db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync());

        Assert.Equal("wal", Assert.Single(mode));
    }
}
