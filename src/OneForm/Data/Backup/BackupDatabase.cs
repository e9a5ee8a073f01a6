using System.Data.Common;

namespace OneForm.Data.Backup;

/// <summary>The rows of every table as one snapshot holds them, and the schema's last migration.</summary>
public sealed record DatabaseSnapshot(string? LastMigration, SortedDictionary<string, long> Counts);

/// <summary>How one database provider copies itself out into a file and back into an empty database.</summary>
public interface IBackupDatabase
{
    /// <summary>The name of the database's file in the backup folder.</summary>
    string FileName { get; }

    /// <summary>Writes a consistent snapshot of the live database to the file, and describes what it holds.</summary>
    Task<DatabaseSnapshot> SnapshotAsync(string file, CancellationToken cancellationToken);

    /// <summary>How many tables the configured database has (0: it is empty and can take a restore).</summary>
    Task<int> TablesAsync(CancellationToken cancellationToken);

    Task RestoreAsync(string file, CancellationToken cancellationToken);

    Task<DatabaseSnapshot> DescribeAsync(CancellationToken cancellationToken);
}

/// <summary>Counting rows the same way on both providers, inside whatever transaction (snapshot) the caller holds.</summary>
internal static class TableCounts
{
    public const string MigrationsTable = "__EFMigrationsHistory";

    /// <param name="tables">Each table's name for the manifest and its quoted name for SQL.</param>
    public static async Task<DatabaseSnapshot> DescribeAsync(DbConnection connection, DbTransaction? transaction,
        IReadOnlyList<(string Name, string Sql)> tables, CancellationToken cancellationToken)
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, sql) in tables)
        {
            counts[name] = Convert.ToInt64(await ScalarAsync(connection, transaction, $"SELECT COUNT(*) FROM {sql}", cancellationToken),
                System.Globalization.CultureInfo.InvariantCulture);
        }
        string? last = null;
        if (tables.FirstOrDefault(t => t.Name == MigrationsTable) is { Sql: { } history })
        {
            last = await ScalarAsync(connection, transaction, $"SELECT MAX(\"MigrationId\") FROM {history}", cancellationToken) as string;
        }
        return new DatabaseSnapshot(last, counts);
    }

    public static async Task<List<(string Name, string Sql)>> TablesAsync(DbConnection connection, DbTransaction? transaction, string query,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = query;
        var tables = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tables.Add((reader.GetString(0), reader.GetString(1)));
        }
        return tables;
    }

    public static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        // Counting a large table takes as long as it takes.
        command.CommandTimeout = 0;
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
