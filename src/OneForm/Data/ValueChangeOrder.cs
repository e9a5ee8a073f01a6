using Microsoft.EntityFrameworkCore;

namespace OneForm.Data;

/// <summary>
/// Makes the ids of value changes commit in order, so a reader that asks for "everything after id N" never skips a
/// change that commits later with a smaller id. Where two transactions may take ids 10 and 11 and commit 11 first
/// (PostgreSQL), a transaction-scoped lock taken before writing changes serializes those writers until they commit;
/// where there is one writer at a time (SQLite) ids already commit in order.
/// </summary>
internal static class ValueChangeOrder
{
    private const long LockKey = 0x4F6E65466F726D;  // "OneForm"

    public static async Task TakeAsync(OneFormDbContext db, CancellationToken cancellationToken)
    {
        if (db.Dialect.CommitsOutOfIdOrder)
        {
            await db.Dialect.LockForTransactionAsync(db.Database, LockKey, cancellationToken);
        }
    }
}
