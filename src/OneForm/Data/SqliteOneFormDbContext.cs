using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace OneForm.Data;

public sealed class SqliteOneFormDbContext(DbContextOptions<SqliteOneFormDbContext> options, AuditActor actor)
    : OneFormDbContext(options, actor)
{
    public override IDatabaseDialect Dialect => Sqlite.SqliteDialect.Instance;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot compare or sort DateTimeOffset text; all OneForm times are UTC, so ticks sort correctly.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}
