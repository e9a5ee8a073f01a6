using System.Data.Common;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace OneForm.Data;

/// <summary>
/// What the databases OneForm runs on do differently, in one place: how a context connects, the settings of a long
/// bulk run, bulk insert, the column types of a staging table, locks held across nodes (leases) and within a
/// transaction, and the few reads that one provider answers much faster in its own SQL. Everything else is shared
/// SQL or EF Core. A provider is one folder beside this file with one implementation, chosen once in
/// <see cref="DataModule"/>. It speaks of tables, columns and rows: the modules keep their own SQL and ask only for
/// what differs.
/// </summary>
public interface IDatabaseDialect
{
    DatabaseProvider Provider { get; }

    /// <summary>The one place that picks the provider's dialect.</summary>
    static IDatabaseDialect For(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Postgres => Postgres.PostgresDialect.Instance,
        _ => Sqlite.SqliteDialect.Instance,
    };

    /// <summary>
    /// Rows a registry import writes in one transaction (a chunk): also what is kept of an import that dies, and how
    /// often its progress moves. Two chunks are in memory at a time.
    /// </summary>
    int ImportChunkRows { get; }

    /// <summary>Registers <see cref="OneFormDbContext"/> on this provider, with its per-connection settings.</summary>
    void AddContext(IServiceCollection services, string connectionString);

    /// <summary>Settings kept in the database itself, made after each migration.</summary>
    Task PrepareAsync(DatabaseFacade database, CancellationToken cancellationToken);

    /// <summary>
    /// Connection settings for a long run of bulk writes on the open connection, undone when the result is disposed.
    /// </summary>
    Task<IAsyncDisposable> BulkSettingsAsync(DatabaseFacade database, CancellationToken cancellationToken);

    /// <summary>The column type of a staging table for values of this kind.</summary>
    string ColumnType(ColumnKind kind);

    /// <summary>A value as this provider stores it in a column of that kind (for a parameter of hand-written SQL).</summary>
    object ToColumn(object? value, ColumnKind kind);

    /// <summary>
    /// Appends rows to a table by the provider's fastest path, inside the current transaction if there is one:
    /// binary COPY on PostgreSQL, one prepared INSERT reused for every row on SQLite. Each row has one value per
    /// column, in order (null for NULL).
    /// </summary>
    Task BulkInsertAsync(DatabaseFacade database, string table, IReadOnlyList<BulkColumn> columns, IEnumerable<object?[]> rows,
        CancellationToken cancellationToken);

    /// <summary>Whether the error (or one inside it) is a row refused by a unique index, the statement undone with it.</summary>
    bool IsUniqueViolation(Exception exception);

    /// <summary>Empties a (staging) table at once, inside the current transaction.</summary>
    Task EmptyAsync(DatabaseFacade database, string table, CancellationToken cancellationToken);

    /// <summary>
    /// Lets the planner know what a freshly filled temporary table holds (PostgreSQL's autovacuum never analyses
    /// temporary tables, and a guess from their size can turn an index look-up into a scan of the big table).
    /// </summary>
    Task AnalyzeAsync(DatabaseFacade database, string table, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the named lease on the open connection if no other connection holds it, or answers null. Disposing it
    /// gives it back; a connection that dies gives it back too. On a provider with one writer process (SQLite) it is
    /// always granted.
    /// </summary>
    Task<IAsyncDisposable?> TryLeaseAsync(DatabaseFacade database, long key, CancellationToken cancellationToken);

    /// <summary>Whether transactions that write the same log may commit in another order than they took their ids.</summary>
    bool CommitsOutOfIdOrder { get; }

    /// <summary>
    /// Whether a large read of cells goes faster in parts at once, each on a connection of its own: where the engine
    /// reads in the app's own threads (SQLite), a part a core. A database server already reads on one core while the
    /// app takes the rows on another; measured on two cores, parts made PostgreSQL's reads slower (bench/README.md).
    /// </summary>
    bool ReadsCellsInParts { get; }

    /// <summary>Waits until no other transaction holds the named lock, then holds it until this transaction ends.</summary>
    Task LockForTransactionAsync(DatabaseFacade database, long key, CancellationToken cancellationToken);

    /// <summary>
    /// Runs a query whose columns are (row key, item, category, number) and hands each cell to <paramref name="cell"/>
    /// with the category as its position in <paramref name="categories"/>. PostgreSQL groups the cells of a row into
    /// arrays, which sends a fraction of the bytes and rows over the connection.
    /// </summary>
    Task ReadCellsAsync(DbCommand query, CellColumns columns, IReadOnlyList<string> categories, Action<int, int, int, double> cell,
        CancellationToken cancellationToken = default);

    /// <summary>How this provider copies the configured database out into one file and back into an empty database (the backup verbs).</summary>
    Backup.IBackupDatabase Backup(DatabaseSettings settings, IConfiguration configuration);
}

/// <summary>The kinds of values a staging table or a bulk insert holds.</summary>
public enum ColumnKind
{
    Text,
    Integer,
    BigInteger,
    Date,
    Timestamp,
}

public sealed record BulkColumn(string Name, ColumnKind Kind);

/// <summary>The names of the columns of a cell query, in the order they are selected.</summary>
public sealed record CellColumns(string Row, string Item, string Category, string Number);
