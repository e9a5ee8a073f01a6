using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace OneForm.Data;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build each provider's model without starting the app:
/// <c>dotnet ef migrations add NAME --project src/OneForm --context SqliteOneFormDbContext --output-dir Data/Migrations/Sqlite</c>
/// (and the same with PostgresOneFormDbContext and Data/Migrations/Postgres).
/// </summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteOneFormDbContext>
{
    public SqliteOneFormDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteOneFormDbContext>().UseSqlite("Data Source=design-time.db").Options,
            AuditActor.ForCommandLine("design"));
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresOneFormDbContext>
{
    public PostgresOneFormDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresOneFormDbContext>().UseNpgsql("Host=127.0.0.1;Database=oneform_design").Options,
            AuditActor.ForCommandLine("design"));
}
