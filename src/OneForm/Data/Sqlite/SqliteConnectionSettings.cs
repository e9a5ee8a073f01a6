using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace OneForm.Data.Sqlite;

/// <summary>
/// Per-connection SQLite settings. In WAL mode <c>synchronous=NORMAL</c> cannot corrupt the file and spares an fsync
/// on every commit (a power cut may lose the last commits, never half of one); SQLite's own default waits for the disk
/// at each of them.
/// </summary>
internal sealed class SqliteConnectionSettings : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
