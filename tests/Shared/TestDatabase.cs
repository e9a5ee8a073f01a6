using Npgsql;
using OneForm.Data;

namespace OneForm.Testing;

/// <summary>
/// A throwaway database for one test host: a temporary SQLite file, or a fresh database in the PostgreSQL cluster
/// that the test command starts (its address in <c>ONEFORM_TEST_POSTGRES</c>). Dropped when the host is disposed.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "ONEFORM_TEST_POSTGRES";

    private readonly string? sqliteFile;
    private readonly string? postgresAdmin;
    private readonly string? postgresName;

    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }

    private TestDatabase(DatabaseProvider provider, string connectionString, string? sqliteFile, string? postgresAdmin, string? postgresName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        this.sqliteFile = sqliteFile;
        this.postgresAdmin = postgresAdmin;
        this.postgresName = postgresName;
    }

    /// <param name="template">A database to copy others from (<see cref="CopyAsync"/>), kept until this test process ends.</param>
    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider, bool template = false)
    {
        var created = await NewAsync(provider, template ? "template" : "test", from: null);
        if (template)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => created.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return created;
    }

    /// <summary>
    /// A new database holding what <paramref name="template"/> holds: a copy through SQLite's online backup, or a
    /// PostgreSQL database created from it as a template (nothing may be connected to it then, so copies are made one at a time).
    /// </summary>
    public static async Task<TestDatabase> CopyAsync(TestDatabase template)
    {
        await Copying.WaitAsync();
        try
        {
            return await NewAsync(template.Provider, "test", template);
        }
        finally
        {
            Copying.Release();
        }
    }

    private static readonly SemaphoreSlim Copying = new(1, 1);

    private static async Task<TestDatabase> NewAsync(DatabaseProvider provider, string kind, TestDatabase? from)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        if (provider == DatabaseProvider.Sqlite)
        {
            var file = Path.Combine(Path.GetTempPath(), $"oneform-{kind}-{id}.db");
            var created = new TestDatabase(provider, $"Data Source={file}", file, null, null);
            if (from is not null)
            {
                await using var source = new Microsoft.Data.Sqlite.SqliteConnection(from.ConnectionString);
                await using var target = new Microsoft.Data.Sqlite.SqliteConnection(created.ConnectionString);
                await source.OpenAsync();
                await target.OpenAsync();
                source.BackupDatabase(target);
            }
            return created;
        }

        var admin = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(admin))
        {
            throw new InvalidOperationException(
                $"{PostgresVariable} is not set: run the tests with ./test.sh, which starts a throwaway PostgreSQL cluster.");
        }
        var name = $"oneform_{kind}_{id}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            if (from is not null)
            {
                // The host that seeded the template has stopped; its pooled connections would still count as users.
                NpgsqlConnection.ClearPool(new NpgsqlConnection(from.ConnectionString));
            }
            await using var create = new NpgsqlCommand(from is null ? $"CREATE DATABASE {name}" : $"CREATE DATABASE {name} TEMPLATE {from.postgresName}", connection);
            await create.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase(provider, builder.ConnectionString, null, admin, name);
    }

    /// <summary>An existing SQLite file that the caller owns (it is not deleted).</summary>
    public static Task<TestDatabase> OpenSqliteAsync(string file) =>
        Task.FromResult(new TestDatabase(DatabaseProvider.Sqlite, $"Data Source={file}", null, null, null));

    public async ValueTask DisposeAsync()
    {
        if (sqliteFile is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { sqliteFile, sqliteFile + "-wal", sqliteFile + "-shm" })
            {
                File.Delete(file);
            }
        }
        if (postgresAdmin is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(postgresAdmin);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {postgresName} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
