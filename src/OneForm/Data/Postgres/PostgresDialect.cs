using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace OneForm.Data.Postgres;

/// <summary>PostgreSQL: binary COPY, advisory locks as leases and commit-order guard, array aggregation for cell reads.</summary>
internal sealed class PostgresDialect : IDatabaseDialect
{
    public static readonly PostgresDialect Instance = new();

    public DatabaseProvider Provider => DatabaseProvider.Postgres;

    public void AddContext(IServiceCollection services, string connectionString) =>
        services.AddDbContext<OneFormDbContext, PostgresOneFormDbContext>(o => o.UseNpgsql(connectionString));

    public Task PrepareAsync(DatabaseFacade database, CancellationToken cancellationToken) => Task.CompletedTask;

    // A set-based statement over a big staging table costs more than jit_above_cost, and compiling it took longer than
    // running it (0.2–3 s a statement on a busy machine, measured on the national divisions file): no JIT while bulk
    // writing, the server's setting after.
    public async Task<IAsyncDisposable> BulkSettingsAsync(DatabaseFacade database, CancellationToken cancellationToken)
    {
        await database.ExecuteSqlRawAsync("SET jit = off", cancellationToken);
        return new Settings(database);
    }

    private sealed class Settings(DatabaseFacade database) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await database.ExecuteSqlRawAsync("RESET jit");
    }

    public string ColumnType(ColumnKind kind) => kind switch
    {
        ColumnKind.Integer => "integer",
        ColumnKind.BigInteger => "bigint",
        ColumnKind.Date => "date",
        ColumnKind.Timestamp => "timestamp with time zone",
        _ => "text",
    };

    public object ToColumn(object? value, ColumnKind kind) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset t => t.ToUniversalTime(),
        _ => value,
    };

    public async Task BulkInsertAsync(DatabaseFacade database, string table, IReadOnlyList<BulkColumn> columns, IEnumerable<object?[]> rows,
        CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)database.GetDbConnection();
        var copy = $"COPY \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) FROM STDIN (FORMAT BINARY)";
        await using var writer = await connection.BeginBinaryImportAsync(copy, cancellationToken);
        foreach (var row in rows)
        {
            await writer.StartRowAsync(cancellationToken);
            for (var i = 0; i < columns.Count; i++)
            {
                await WriteAsync(writer, row[i], columns[i].Kind, cancellationToken);
            }
        }
        await writer.CompleteAsync(cancellationToken);
    }

    private static Task WriteAsync(NpgsqlBinaryImporter writer, object? value, ColumnKind kind, CancellationToken cancellationToken) => value switch
    {
        null => writer.WriteNullAsync(cancellationToken),
        string text => writer.WriteAsync(text, NpgsqlDbType.Varchar, cancellationToken),
        int number => kind == ColumnKind.BigInteger
            ? writer.WriteAsync((long)number, NpgsqlDbType.Bigint, cancellationToken)
            : writer.WriteAsync(number, NpgsqlDbType.Integer, cancellationToken),
        long number => writer.WriteAsync(number, NpgsqlDbType.Bigint, cancellationToken),
        DateOnly day => writer.WriteAsync(day, NpgsqlDbType.Date, cancellationToken),
        DateTimeOffset moment => writer.WriteAsync(moment.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken),
        _ => writer.WriteAsync(value.ToString()!, NpgsqlDbType.Varchar, cancellationToken),
    };

    public bool IsUniqueViolation(Exception exception) => exception switch
    {
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } => true,
        { InnerException: { } inner } => IsUniqueViolation(inner),
        _ => false,
    };

    // TRUNCATE gives the space back at once; a DELETE leaves dead rows that nothing vacuums in a temporary table.
    public async Task EmptyAsync(DatabaseFacade database, string table, CancellationToken cancellationToken)
    {
        var sql = "TRUNCATE " + Quoted(table);
        await database.ExecuteSqlRawAsync(sql, cancellationToken);
    }

    public async Task AnalyzeAsync(DatabaseFacade database, string table, CancellationToken cancellationToken)
    {
        var sql = "ANALYZE " + Quoted(table);
        await database.ExecuteSqlRawAsync(sql, cancellationToken);
    }

    // Table names come from code, never from input.
    private static string Quoted(string table) => '"' + table + '"';

    public async Task<IAsyncDisposable?> TryLeaseAsync(DatabaseFacade database, long key, CancellationToken cancellationToken)
    {
        // A session-level advisory lock: held by this connection until given back or the connection ends.
        if (!await database.SqlQuery<bool>($"SELECT pg_try_advisory_lock({key}) AS \"Value\"").SingleAsync(cancellationToken))
        {
            return null;
        }
        return new Lease(database, key);
    }

    private sealed class Lease(DatabaseFacade database, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() =>
            await database.SqlQuery<bool>($"SELECT pg_advisory_unlock({key}) AS \"Value\"").SingleAsync(CancellationToken.None);
    }

    // The statements of a chunk are set-based, so larger chunks mean fewer of them: 400,000 rows import in half the
    // time with 20,000-row chunks as with 2,000, but two chunks in memory then take the process over 300 MB.
    public int ImportChunkRows => 10_000;

    // Two transactions may take ids 10 and 11 and commit 11 first.
    public bool CommitsOutOfIdOrder => true;

    public bool ReadsCellsInParts => false;

    public async Task LockForTransactionAsync(DatabaseFacade database, long key, CancellationToken cancellationToken) =>
        await database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", cancellationToken);

    public async Task ReadCellsAsync(DbCommand query, CellColumns columns, IReadOnlyList<string> categories, Action<int, int, int, double> cell,
        CancellationToken cancellationToken = default)
    {
        // The category as its position, so no text crosses the connection per cell.
        var positions = string.Join(' ', categories.Select((_, i) => $"WHEN @cell_category_{i} THEN {i}"));
        query.CommandText = $"""
            SELECT c."{columns.Row}", array_agg(c."{columns.Item}"), array_agg(CASE c."{columns.Category}" {positions} END), array_agg(c."{columns.Number}")
            FROM ({query.CommandText}) AS c
            GROUP BY c."{columns.Row}"
            """;
        for (var i = 0; i < categories.Count; i++)
        {
            query.Parameters.Add(new NpgsqlParameter($"cell_category_{i}", categories[i]));
        }
        await using var rows = await query.ExecuteReaderAsync(cancellationToken);
        while (await rows.ReadAsync(cancellationToken))
        {
            var row = rows.GetInt32(0);
            var items = rows.GetFieldValue<int[]>(1);
            var categoryPositions = rows.GetFieldValue<int[]>(2);
            var numbers = rows.GetFieldValue<double[]>(3);
            for (var i = 0; i < items.Length; i++)
            {
                cell(row, items[i], categoryPositions[i], numbers[i]);
            }
        }
    }

    public Backup.IBackupDatabase Backup(DatabaseSettings settings, IConfiguration configuration) => new PostgresBackup(settings, configuration);
}
