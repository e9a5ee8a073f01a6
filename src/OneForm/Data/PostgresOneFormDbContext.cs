using Microsoft.EntityFrameworkCore;
using OneForm.Organization;

namespace OneForm.Data;

public sealed class PostgresOneFormDbContext(DbContextOptions<PostgresOneFormDbContext> options, AuditActor actor)
    : OneFormDbContext(options, actor)
{
    public override IDatabaseDialect Dialect => Postgres.PostgresDialect.Instance;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // Subtree queries compare materialised paths as byte ranges; "C" keeps that order and lets the index serve it.
        builder.Entity<OrgUnit>().Property(u => u.Path).UseCollation("C");
        // A unit's figures come from the index alone (statistics read hundreds of thousands of them at a time).
        builder.Entity<Collection.DataValue>().HasIndex(v => new { v.OrgUnitId, v.PeriodCode }).IncludeProperties(v => new { v.DataElementId, v.Number });
    }
}
