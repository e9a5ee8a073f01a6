using Microsoft.EntityFrameworkCore;
using OneForm.Collection;

namespace OneForm.Data;

/// <summary>
/// Gives every committed value change its place in the order the change cursor follows (<see cref="DataValueChange.Sequence"/>),
/// so a reader that asks for "everything after N" never skips a change that commits after one it has already read.
/// <para>
/// Ids cannot be that order where two transactions may take ids 10 and 11 and commit 11 first (PostgreSQL). There a
/// change is placed only after its transaction has committed, by one placer at a time: each placement numbers every
/// committed change not yet placed after the highest place given so far, in one short transaction. A change that
/// commits later is placed later, so its place comes after every place a reader has already seen, and writers never wait
/// for each other. The writer places its own changes right after it commits, when no other placement is running;
/// a reader places before it reads, waiting for a running placement, so it sees every change committed before it asked.
/// </para>
/// <para>
/// Where there is one writer at a time (SQLite) ids already commit in order: the writer places its changes inside its own
/// transaction at their id, and readers find nothing left to place.
/// </para>
/// </summary>
internal static class ValueChangeOrder
{
    private const long LockKey = 0x4F6E65466F726D;  // "OneForm"

    // Numbers the committed changes not yet placed after the highest place, in id order. Run as its own statement after
    // the lock is held, so its snapshot includes the placement that held the lock before.
    private const string PlaceCommitted = """
        UPDATE "DataValueChanges" AS c SET "Sequence" = highest.place + unplaced.n
        FROM (SELECT "Id", row_number() OVER (ORDER BY "Id") AS n FROM "DataValueChanges" WHERE "Sequence" IS NULL) AS unplaced,
             (SELECT COALESCE(MAX("Sequence"), 0) AS place FROM "DataValueChanges") AS highest
        WHERE c."Id" = unplaced."Id"
        """;

    /// <summary>Inside the writer's transaction, after its changes have their ids: on SQLite, places them at their id.</summary>
    public static async Task PlaceWithinAsync(OneFormDbContext db, CancellationToken cancellationToken)
    {
        if (!db.Dialect.CommitsOutOfIdOrder)
        {
            await db.Database.ExecuteSqlRawAsync("""UPDATE "DataValueChanges" SET "Sequence" = "Id" WHERE "Sequence" IS NULL""", cancellationToken);
        }
    }

    /// <summary>
    /// After the writer's transaction has committed: on PostgreSQL, places what has committed unless a placement is
    /// running. The save is done by then, so neither a cancelled request nor a failure here undoes or fails it: the
    /// changes are then placed by the next placement, as they are when another one is running.
    /// </summary>
    public static async Task PlaceAfterCommitAsync(OneFormDbContext db)
    {
        if (!db.Dialect.CommitsOutOfIdOrder)
        {
            return;
        }
        try
        {
            // One statement that gives way to a running placement; each statement of the block sees what committed before it.
            await db.Database.ExecuteSqlRawAsync($"""
                DO $$ BEGIN
                  IF pg_try_advisory_xact_lock({LockKey}) THEN
                    {PlaceCommitted};
                  END IF;
                END $$
                """, CancellationToken.None);
        }
        catch (System.Data.Common.DbException)
        {
            // Left for the next placement (see above).
        }
    }

    /// <summary>
    /// Before a reader follows the cursor: places every change committed so far (waiting for a running placement), so
    /// what the reader reads next includes them. Outside a transaction of the caller's: inside one it places nothing,
    /// and the changes are placed by the next reader.
    /// </summary>
    public static async Task PlaceBeforeReadingAsync(OneFormDbContext db, CancellationToken cancellationToken = default)
    {
        if (db.Dialect.CommitsOutOfIdOrder && db.Database.CurrentTransaction is null)
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({LockKey}); {PlaceCommitted}", cancellationToken);
        }
    }

    /// <summary>
    /// Up to when an answer read from <paramref name="read"/> by the cursor holds every committed change: <paramref name="asOf"/>
    /// (the moment the database had replayed or committed), or just before the first change that has committed there
    /// but has no place yet, which is not in the answer and comes with a later one. A placement by a reader on the
    /// primary still has to reach a standby, and a change may commit between a placement and a read. Ask after taking
    /// <paramref name="asOf"/> and before reading the changes: one placed in between is then in the answer.
    /// </summary>
    public static async Task<DateTimeOffset> CompleteUpToAsync(OneFormDbContext read, DateTimeOffset asOf, CancellationToken cancellationToken = default)
    {
        if (!read.Dialect.CommitsOutOfIdOrder)
        {
            return asOf;
        }
        var firstUnplaced = await read.DataValueChanges.Where(c => c.Sequence == null).MinAsync(c => (DateTimeOffset?)c.ChangedAt, cancellationToken);
        // A change's time is taken before it commits; the database keeps microseconds.
        return firstUnplaced is { } at && at <= asOf ? at.AddTicks(-10) : asOf;
    }

    /// <summary>The place of the latest change: where a new reader starts, and the version of everything computed from values.</summary>
    public static async Task<long> LatestAsync(OneFormDbContext db, CancellationToken cancellationToken = default)
    {
        await PlaceBeforeReadingAsync(db, cancellationToken);
        return await db.DataValueChanges.MaxAsync(c => c.Sequence, cancellationToken) ?? 0;
    }
}
