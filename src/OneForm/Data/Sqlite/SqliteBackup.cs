using Microsoft.Data.Sqlite;
using OneForm.Localization;

using OneForm.Data.Backup;

namespace OneForm.Data.Sqlite;

/// <summary>
/// SQLite through its online backup API: the pages are copied in one step under one read transaction, so the copy is
/// one consistent snapshot, and in WAL mode the app's writers carry on meanwhile (they never wait for a reader).
/// </summary>
internal sealed class SqliteBackup(DatabaseSettings settings) : IBackupDatabase
{
    private const string TablesQuery =
        "SELECT name, '\"' || replace(name, '\"', '\"\"') || '\"' FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";

    public string FileName => "database.sqlite";

    private string DataSource => Path.GetFullPath(new SqliteConnectionStringBuilder(settings.ConnectionString).DataSource);

    /// <summary>The configured database, without the pool (a restored file must not be held open after the command).</summary>
    private SqliteConnection Configured(SqliteOpenMode mode) =>
        new(new SqliteConnectionStringBuilder(settings.ConnectionString) { Mode = mode, Pooling = false }.ToString());

    private static SqliteConnection File(string path, SqliteOpenMode mode) =>
        new(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());

    public async Task<DatabaseSnapshot> SnapshotAsync(string file, CancellationToken cancellationToken)
    {
        if (!System.IO.File.Exists(DataSource))
        {
            throw new BackupProblem(LocalizationModule.Localizer["There is no database at {0} to back up.", DataSource]);
        }
        await using var source = Configured(SqliteOpenMode.ReadWrite);
        await source.OpenAsync(cancellationToken);
        await using var copy = File(file, SqliteOpenMode.ReadWriteCreate);
        await copy.OpenAsync(cancellationToken);
        source.BackupDatabase(copy);
        // The copy is one self-contained file, whatever journal the live database keeps.
        await TableCounts.ScalarAsync(copy, null, "PRAGMA journal_mode=DELETE;", cancellationToken);
        return await DescribeAsync(copy, cancellationToken);
    }

    public async Task<int> TablesAsync(CancellationToken cancellationToken)
    {
        if (!System.IO.File.Exists(DataSource))
        {
            return 0;
        }
        await using var connection = Configured(SqliteOpenMode.ReadOnly);
        await connection.OpenAsync(cancellationToken);
        return (await TableCounts.TablesAsync(connection, null, TablesQuery, cancellationToken)).Count;
    }

    public async Task RestoreAsync(string file, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DataSource)!);
        await using var backup = File(file, SqliteOpenMode.ReadOnly);
        await backup.OpenAsync(cancellationToken);
        await using var target = Configured(SqliteOpenMode.ReadWriteCreate);
        await target.OpenAsync(cancellationToken);
        backup.BackupDatabase(target);
        // As `migrate` leaves it: readers never wait for the writer.
        await TableCounts.ScalarAsync(target, null, "PRAGMA journal_mode=WAL;", cancellationToken);
    }

    public async Task<DatabaseSnapshot> DescribeAsync(CancellationToken cancellationToken)
    {
        await using var connection = Configured(SqliteOpenMode.ReadOnly);
        await connection.OpenAsync(cancellationToken);
        return await DescribeAsync(connection, cancellationToken);
    }

    private static async Task<DatabaseSnapshot> DescribeAsync(SqliteConnection connection, CancellationToken cancellationToken) =>
        await TableCounts.DescribeAsync(connection, null, await TableCounts.TablesAsync(connection, null, TablesQuery, cancellationToken), cancellationToken);
}
