using Microsoft.EntityFrameworkCore;

namespace OneForm.Data;

/// <summary>How current an answer read through <see cref="ReadDatabase"/> is.</summary>
/// <param name="AsOf">The moment up to which every committed write is in the answer.</param>
/// <param name="FromReplica">Whether it was read from the read replica (a PostgreSQL hot standby).</param>
/// <param name="LagSeconds">How far the replica is behind the primary (0 when it has replayed everything it received); null on the primary.</param>
public sealed record DataFreshness(DateTimeOffset AsOf, bool FromReplica, double? LagSeconds);

/// <summary>
/// Where reads that may trail the primary by a moment go: statistics, roll-ups, exports and the data API. With
/// <c>ConnectionStrings:OneFormReadOnly</c> set (PostgreSQL only) that is a hot standby fed by streaming replication, so
/// a prefecture-wide table does not compete with the deadline's writes; otherwise the primary itself. Nothing is ever
/// written here: the standby refuses writes, and every write path takes <see cref="OneFormDbContext"/>, the primary.
/// </summary>
public sealed class ReadDatabase : IAsyncDisposable
{
    private readonly OneFormDbContext? own;
    private readonly TimeProvider time;

    internal ReadDatabase(OneFormDbContext primary, TimeProvider time)
    {
        Db = primary;
        this.time = time;
    }

    internal ReadDatabase(OneFormDbContext replica, TimeProvider time, bool isReplica)
    {
        Db = own = replica;
        this.time = time;
        IsReplica = isReplica;
    }

    /// <summary>The context to read from; queries on it do not track entities.</summary>
    public OneFormDbContext Db { get; }

    public bool IsReplica { get; }

    /// <summary>
    /// On the standby, the commit time of the last transaction it replayed, or now when it has replayed all it received
    /// (an idle primary sends nothing, and its last commit may be hours old while the standby is fully current).
    /// </summary>
    public async Task<DataFreshness> FreshnessAsync(CancellationToken cancellationToken = default)
    {
        if (!IsReplica)
        {
            return new DataFreshness(time.GetUtcNow(), false, null);
        }
        var connection = Db.Database.GetDbConnection();
        await Db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT CASE WHEN NOT pg_is_in_recovery() THEN now()
                            WHEN pg_last_wal_receive_lsn() IS NOT NULL AND pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN now()
                            ELSE coalesce(pg_last_xact_replay_timestamp(), now()) END,
                       now()
                """;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var asOf = reader.GetFieldValue<DateTimeOffset>(0);
            var now = reader.GetFieldValue<DateTimeOffset>(1);
            return new DataFreshness(asOf, true, Math.Max(0, Math.Round((now - asOf).TotalSeconds, 1)));
        }
        finally
        {
            await Db.Database.CloseConnectionAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (own is not null)
        {
            await own.DisposeAsync();
        }
    }

    /// <summary>Registers the read database: the replica's options built once, a context on them per scope.</summary>
    internal static void Register(IServiceCollection services, DatabaseSettings settings)
    {
        if (settings.ReadOnlyConnectionString is not { } replica)
        {
            services.AddScoped(sp => new ReadDatabase(sp.GetRequiredService<OneFormDbContext>(), sp.GetRequiredService<TimeProvider>()));
            return;
        }
        var options = new DbContextOptionsBuilder<PostgresOneFormDbContext>()
            .UseNpgsql(replica)
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking)
            .Options;
        services.AddScoped(sp => new ReadDatabase(new PostgresOneFormDbContext(options, sp.GetRequiredService<AuditActor>()),
            sp.GetRequiredService<TimeProvider>(), isReplica: true));
    }
}
