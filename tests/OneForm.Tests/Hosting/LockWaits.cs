using Npgsql;
using OneForm.Data;
using OneForm.Testing;

namespace OneForm.Tests.Hosting;

/// <summary>
/// Lets a race test know that the second party has reached the lock the first one holds, instead of hoping it has
/// after some time: PostgreSQL lists a session waiting for a lock in <c>pg_locks</c> with <c>granted = false</c>.
/// </summary>
public static class LockWaits
{
    /// <summary>
    /// Returns once a session of the host's database waits for a lock of <paramref name="lockType"/> ('advisory',
    /// 'transactionid', …), or once <paramref name="work"/> has ended (it was not stopped: the test's assertions then
    /// show what went through). On SQLite it returns at once: a second writer waits inside the driver for the file's
    /// write lock, which the database does not show to anyone, so those tests cannot tell waiting from not yet started.
    /// </summary>
    public static async Task UntilWaitingAsync(OneFormHost app, string lockType, Task work)
    {
        if (app.Provider != DatabaseProvider.Postgres)
        {
            return;
        }
        await using var connection = new NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync();
        await using var waiting = new NpgsqlCommand("""
            SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE a.datname = current_database() AND l.locktype = @type AND NOT l.granted
            """, connection);
        waiting.Parameters.AddWithValue("type", lockType);
        while (!work.IsCompleted && (long)(await waiting.ExecuteScalarAsync())! == 0)
        {
            // Polls a state, not a time: the test goes on when the waiter is seen, however long that takes.
            await Task.WhenAny(work, Task.Delay(10));
        }
    }
}
