using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace OneForm.Data.Sqlite;

/// <summary>
/// SQLite: one writer at a time, so leases are always granted and ids commit in order; bulk writes are one prepared
/// statement reused for every row inside the caller's transaction.
/// </summary>
internal sealed class SqliteDialect : IDatabaseDialect
{
    public static readonly SqliteDialect Instance = new();

    // Times are stored as ticks (SqliteOneFormDbContext's convention), so they sort and compare in SQL.
    private static readonly ValueConverter<DateTimeOffset, long> Time = new DateTimeOffsetToBinaryConverter();

    public DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public void AddContext(IServiceCollection services, string connectionString) =>
        services.AddDbContext<OneFormDbContext, SqliteOneFormDbContext>(o => o.UseSqlite(connectionString).AddInterceptors(new SqliteConnectionSettings()));

    // Readers never wait for the writer; the setting is kept in the file.
    public async Task PrepareAsync(DatabaseFacade database, CancellationToken cancellationToken) =>
        await database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);

    // While bulk writing, SQLite keeps 16 MiB of pages (negative sizes are KiB), copies its log into the file every
    // 64 MiB rather than every 4, and keeps temporary (staging) tables in a file, not in memory, whatever it was built
    // with; after, its defaults. Changing temp_store drops the connection's temporary tables, so this comes first.
    private const string BulkPragmas = "PRAGMA temp_store=FILE; PRAGMA cache_size=-16384; PRAGMA wal_autocheckpoint=16384;",
        DefaultPragmas = "PRAGMA temp_store=DEFAULT; PRAGMA cache_size=-2000; PRAGMA wal_autocheckpoint=1000;";

    public async Task<IAsyncDisposable> BulkSettingsAsync(DatabaseFacade database, CancellationToken cancellationToken)
    {
        await database.ExecuteSqlRawAsync(BulkPragmas, cancellationToken);
        return new Settings(database);
    }

    private sealed class Settings(DatabaseFacade database) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await database.ExecuteSqlRawAsync(DefaultPragmas);
    }

    public string ColumnType(ColumnKind kind) => kind switch
    {
        ColumnKind.Integer or ColumnKind.BigInteger or ColumnKind.Timestamp => "INTEGER",
        _ => "TEXT",
    };

    public object ToColumn(object? value, ColumnKind kind) => value switch
    {
        null => DBNull.Value,
        DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset moment => Time.ConvertToProvider(moment)!,
        _ => value,
    };

    // Each execution of a statement costs a reader and a reset whatever it holds, so rows go in by statements of a few
    // rows each (prepared once, reused), and the last few by a one-row statement. A few: binding grows faster than the
    // parameters (Microsoft.Data.Sqlite finds each by its name in the statement). Measured on the registry import's 16
    // columns, 400,000 rows: 64 rows a statement 17.6 s, 8 rows 7.8 s, 4 rows 7.3 s, 2 rows 6.8 s.
    private const int ParametersPerStatement = 32;

    public async Task BulkInsertAsync(DatabaseFacade database, string table, IReadOnlyList<BulkColumn> columns, IEnumerable<object?[]> rows,
        CancellationToken cancellationToken)
    {
        var rowsPerStatement = Math.Max(1, ParametersPerStatement / columns.Count);
        var batch = new List<object?[]>(rowsPerStatement);
        (DbCommand Command, DbParameter[] Parameters)? many = null;
        try
        {
            foreach (var row in rows)
            {
                batch.Add(row);
                if (batch.Count == rowsPerStatement)
                {
                    many ??= await PrepareAsync(database, table, columns, rowsPerStatement, cancellationToken);
                    await ExecuteAsync(many.Value, columns, batch, cancellationToken);
                    batch.Clear();
                }
            }
            if (batch.Count > 0)
            {
                var one = await PrepareAsync(database, table, columns, 1, cancellationToken);
                await using var _ = one.Command;
                foreach (var row in batch)
                {
                    await ExecuteAsync(one, columns, [row], cancellationToken);
                }
            }
        }
        finally
        {
            if (many is { } prepared)
            {
                await prepared.Command.DisposeAsync();
            }
        }
    }

    private static async Task<(DbCommand Command, DbParameter[] Parameters)> PrepareAsync(DatabaseFacade database, string table,
        IReadOnlyList<BulkColumn> columns, int rowCount, CancellationToken cancellationToken)
    {
        var command = database.GetDbConnection().CreateCommand();
        command.Transaction = database.CurrentTransaction?.GetDbTransaction();
        var values = Enumerable.Range(0, rowCount)
            .Select(r => $"({string.Join(", ", columns.Select((_, i) => $"$p{(r * columns.Count) + i}"))})");
        command.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) VALUES {string.Join(", ", values)}";
        var parameters = Enumerable.Range(0, rowCount * columns.Count).Select(i =>
        {
            var p = command.CreateParameter();
            p.ParameterName = $"$p{i}";
            command.Parameters.Add(p);
            return p;
        }).ToArray();
        await command.PrepareAsync(cancellationToken);
        return (command, parameters);
    }

    private async Task ExecuteAsync((DbCommand Command, DbParameter[] Parameters) statement, IReadOnlyList<BulkColumn> columns,
        IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        for (var r = 0; r < rows.Count; r++)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                statement.Parameters[(r * columns.Count) + i].Value = ToColumn(rows[r][i], columns[i].Kind);
            }
        }
        await statement.Command.ExecuteNonQueryAsync(cancellationToken);
    }

    // SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY (https://sqlite.org/rescode.html).
    public bool IsUniqueViolation(Exception exception) => exception switch
    {
        Microsoft.Data.Sqlite.SqliteException { SqliteExtendedErrorCode: 2067 or 1555 } => true,
        { InnerException: { } inner } => IsUniqueViolation(inner),
        _ => false,
    };

    // A DELETE without WHERE is SQLite's truncate.
    public async Task EmptyAsync(DatabaseFacade database, string table, CancellationToken cancellationToken)
    {
        // Table names come from code, never from input.
        var sql = "DELETE FROM \"" + table + "\"";
        await database.ExecuteSqlRawAsync(sql, cancellationToken);
    }

    // Without statistics SQLite's planner already prefers an index look-up to a scan.
    public Task AnalyzeAsync(DatabaseFacade database, string table, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IAsyncDisposable?> TryLeaseAsync(DatabaseFacade database, long key, CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable?>(Granted.Instance);

    private sealed class Granted : IAsyncDisposable
    {
        public static readonly Granted Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    // A chunk holds the file's one write lock while it is written: short, so saves go on while a registry imports.
    public int ImportChunkRows => 2_000;

    public bool CommitsOutOfIdOrder => false;

    public bool ReadsCellsInParts => true;

    public Task LockForTransactionAsync(DatabaseFacade database, long key, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task ReadCellsAsync(DbCommand query, CellColumns columns, IReadOnlyList<string> categories, Action<int, int, int, double> cell,
        CancellationToken cancellationToken = default)
    {
        var position = categories.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            cell(reader.GetInt32(0), reader.GetInt32(1), position[reader.GetString(2)], reader.GetDouble(3));
        }
    }

    public Backup.IBackupDatabase Backup(DatabaseSettings settings, IConfiguration configuration) => new SqliteBackup(settings);
}
