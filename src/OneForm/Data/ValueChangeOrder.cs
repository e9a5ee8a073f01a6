using Microsoft.EntityFrameworkCore;

namespace OneForm.Data;

/// <summary>
/// Makes the ids of value changes commit in order, so a reader that asks for "everything after id N" never skips a
/// change that commits later with a smaller id. On PostgreSQL two transactions may take ids 10 and 11 and commit 11
/// first; a transaction-scoped advisory lock taken before writing changes serializes those writers until they commit.
/// SQLite has one writer at a time, so its ids already commit in order.
/// </summary>
internal static class ValueChangeOrder
{
    private const long LockKey = 0x4F6E65466F726D;  // "OneForm"

    public static async Task TakeAsync(OneFormDbContext db, CancellationToken cancellationToken)
    {
        if (db.Provider == DatabaseProvider.Postgres)
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockKey})", cancellationToken);
        }
    }
}
