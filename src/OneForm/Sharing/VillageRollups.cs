using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneForm.Collection;
using OneForm.Common;
using OneForm.Data;
using OneForm.Organization;

namespace OneForm.Sharing;

/// <summary>
/// The villages' figures of one element and period summed over the villages of the unit above them (a township): what
/// a county's or a province's statistics add up, kept so that they are read as a thousand townships instead of
/// fourteen thousand villages. Beside the sum, how many villages reported and how many of those values are accepted,
/// with the sum of the accepted ones, as a table counts them.
/// </summary>
public sealed class VillageRollup
{
    public int DataElementId { get; set; }
    public required string PeriodCode { get; set; }

    /// <summary>The unit the villages belong to (their parent).</summary>
    public int UnitId { get; set; }

    public double Sum { get; set; }
    public int Reported { get; set; }
    public int Accepted { get; set; }
    public double AcceptedSum { get; set; }
}

/// <summary>How far the roll-ups are kept: the last place of the change cursor and the last audit entry they include.</summary>
public sealed class VillageRollupMark
{
    public int Id { get; set; }
    public long Sequence { get; set; }
    public long AuditId { get; set; }

    /// <summary>How many audit entries there were after <see cref="AuditId"/> minus <see cref="VillageRollups.AuditOverlap"/>: one that commits late, below the last id, changes it.</summary>
    public int AuditTail { get; set; }
}

internal sealed class VillageRollupConfiguration : IEntityTypeConfiguration<VillageRollup>
{
    public void Configure(EntityTypeBuilder<VillageRollup> rollup)
    {
        rollup.HasKey(r => new { r.DataElementId, r.PeriodCode, r.UnitId });
        rollup.Property(r => r.PeriodCode).HasMaxLength(8);
    }
}

internal sealed class VillageRollupMarkConfiguration : IEntityTypeConfiguration<VillageRollupMark>
{
    // One row, always 1.
    public void Configure(EntityTypeBuilder<VillageRollupMark> mark) => mark.Property(m => m.Id).ValueGeneratedNever();
}

/// <summary>
/// Keeps the roll-ups as values change: a round reads the value changes placed since the last round (the change
/// cursor) and the tasks accepted or let go since (the audit trail), and sums again only the touched townships'
/// elements and periods, from the values themselves. Nothing else changes a sum: a unit never moves to another parent
/// (the divisions import refuses it) and a form's fields change only while it is a draft, which has no tasks. Rounds
/// run in the background every few seconds, one at a time across app nodes (a transaction lock). A reader never
/// writes: it takes what the last round kept and sums again, from the values, the few keys touched since
/// (<see cref="ReadAsync"/>), so an answer never misses a value saved before it was asked, on a replica too.
/// </summary>
internal static class VillageRollups
{
    private const long LockKey = 0x526F6C6C7570;  // "Rollup"

    /// <summary>More touched keys than this are summed again all at once, which is faster than one by one.</summary>
    internal const int KeysWorthRebuild = 20_000;

    /// <summary>
    /// Audit entries are read again this far below the last one kept: on PostgreSQL an entry may commit after one with a
    /// higher id (a task accepted at the same moment as another), and summing a township again is harmless.
    /// </summary>
    internal const int AuditOverlap = 200;

    // SQLite has one writer process, and its transactions do not wait for each other's locks: one round at a time here too.
    private static readonly SemaphoreSlim OneRound = new(1, 1);

    /// <summary>
    /// The villages' values summed by their parent, with how many are accepted: an accepted task of the village and
    /// period whose form holds the element (as the statistics table marks a cell accepted). Named as the roll-up's
    /// columns, so that it is written into the table or read as roll-ups alike.
    /// </summary>
    private static string SumSql(string valueFilter, string taskFilter) => $"""
        SELECT v."DataElementId" AS "DataElementId", v."PeriodCode" AS "PeriodCode", u."ParentId" AS "UnitId", SUM(v."Number") AS "Sum",
               CAST(COUNT(*) AS INTEGER) AS "Reported",
               CAST(SUM(CASE WHEN a."OrgUnitId" IS NULL THEN 0 ELSE 1 END) AS INTEGER) AS "Accepted",
               SUM(CASE WHEN a."OrgUnitId" IS NULL THEN 0 ELSE v."Number" END) AS "AcceptedSum"
        FROM "DataValues" AS v
        JOIN "OrgUnits" AS u ON u."Id" = v."OrgUnitId"
        LEFT JOIN (SELECT DISTINCT t."OrgUnitId", f."DataElementId", t."PeriodCode"
                   FROM "FillingTasks" AS t
                   JOIN "FormSections" AS s ON s."FormId" = t."FormId"
                   JOIN "FormFields" AS f ON f."SectionId" = s."Id"
                   WHERE t."Status" = 'Accepted' AND s."Kind" = 'Fields' {taskFilter}) AS a
          ON a."OrgUnitId" = v."OrgUnitId" AND a."DataElementId" = v."DataElementId" AND a."PeriodCode" = v."PeriodCode"
        WHERE v."Number" IS NOT NULL AND u."Level" = 'Village' AND u."ParentId" IS NOT NULL {valueFilter}
        GROUP BY v."DataElementId", v."PeriodCode", u."ParentId"
        """;

    private const string Insert = """
        INSERT INTO "VillageRollups" ("DataElementId", "PeriodCode", "UnitId", "Sum", "Reported", "Accepted", "AcceptedSum")
        """;

    /// <summary>
    /// The filters of <see cref="SumSql"/> (values, tasks) and of the roll-ups themselves for one element and period (the
    /// period is the command's one parameter) and some townships. The tasks are those of the townships' villages, read by
    /// the index on a task's unit: a province holds half a million tasks at the end of a year.
    /// </summary>
    private static (string Values, string Tasks, string Rollups) KeyFilter(int element, IEnumerable<int> units)
    {
        // Ids are numbers the database gave, written into the command.
        var (id, list) = (element.ToString(CultureInfo.InvariantCulture), string.Join(',', units.Select(u => u.ToString(CultureInfo.InvariantCulture))));
        return ($$"""AND v."DataElementId" = {{id}} AND v."PeriodCode" = {0} AND u."ParentId" IN ({{list}})""",
            $$"""AND f."DataElementId" = {{id}} AND t."PeriodCode" = {0} AND t."OrgUnitId" IN (SELECT "Id" FROM "OrgUnits" WHERE "ParentId" IN ({{list}}))""",
            $$""" "DataElementId" = {{id}} AND "PeriodCode" = {0} AND "UnitId" IN ({{list}})""");
    }

    /// <summary>Brings the roll-ups up to every change placed and every audit entry committed before it was called.</summary>
    public static async Task CatchUpAsync(OneFormDbContext db, CancellationToken cancellationToken = default)
    {
        await ValueChangeOrder.PlaceBeforeReadingAsync(db, cancellationToken);
        // Nothing new since the last round is the common case out of a deadline: no transaction, no lock.
        if (await db.VillageRollupMarks.AsNoTracking().SingleOrDefaultAsync(cancellationToken) is { } seen
            && (await WhereAsync(db, seen, cancellationToken)).Equals((seen.Sequence, seen.AuditId, seen.AuditTail)))
        {
            return;
        }
        await OneRound.WaitAsync(cancellationToken);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Dialect.LockForTransactionAsync(db.Database, LockKey, cancellationToken);
            var mark = await db.VillageRollupMarks.SingleOrDefaultAsync(cancellationToken);
            var (sequence, audit, tail) = await WhereAsync(db, mark, cancellationToken);
            if (mark is not null && (sequence, audit, tail).Equals((mark.Sequence, mark.AuditId, mark.AuditTail)))
            {
                return;
            }
            if (mark is null || await TouchedAsync(db, mark.Sequence, sequence, Math.Max(0, mark.AuditId - AuditOverlap), cancellationToken) is not { } touched)
            {
                await db.Database.ExecuteSqlRawAsync("""DELETE FROM "VillageRollups" """, cancellationToken);
                var everything = Insert + SumSql("", "");
                await db.Database.ExecuteSqlRawAsync(everything, cancellationToken);
            }
            else
            {
                await SumAgainAsync(db, touched, cancellationToken);
            }
            mark ??= db.VillageRollupMarks.Add(new VillageRollupMark { Id = 1 }).Entity;
            (mark.Sequence, mark.AuditId) = (sequence, audit);
            // Counted below the new mark as the next round will count it.
            mark.AuditTail = await db.AuditEntries.CountAsync(a => a.Id > Math.Max(0, audit - AuditOverlap), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            db.ChangeTracker.Clear();
            OneRound.Release();
        }
    }

    /// <summary>Where the data are now: the last place of the change cursor, the last audit entry, and how many entries follow the mark's overlap.</summary>
    private static async Task<(long Sequence, long AuditId, int AuditTail)> WhereAsync(OneFormDbContext db, VillageRollupMark? mark, CancellationToken cancellationToken)
    {
        var sequence = await db.DataValueChanges.MaxAsync(c => c.Sequence, cancellationToken) ?? 0;
        var audit = await db.AuditEntries.MaxAsync(a => (long?)a.Id, cancellationToken) ?? 0;
        var from = Math.Max(0, (mark?.AuditId ?? 0) - AuditOverlap);
        return (sequence, audit, await db.AuditEntries.CountAsync(a => a.Id > from, cancellationToken));
    }

    /// <summary>The (element, period, township) keys touched since the mark, or null when there are too many to sum one by one.</summary>
    private static async Task<List<(int Element, string Period, int Unit)>?> TouchedAsync(OneFormDbContext db, long afterSequence, long? upToSequence,
        long afterAudit, CancellationToken cancellationToken)
    {
        // Up to a place for a round; for a reader everything after the mark, and the changes committed but not placed yet.
        var changes = upToSequence is { } last
            ? db.DataValueChanges.Where(c => c.Sequence > afterSequence && c.Sequence <= last)
            : db.DataValueChanges.Where(c => c.Sequence > afterSequence || c.Sequence == null);
        var values = await changes
            .Join(db.OrgUnits.Where(u => u.Level == OrgUnitLevel.Village && u.ParentId != null), c => c.OrgUnitId, u => u.Id,
                (c, u) => new { c.DataElementId, c.PeriodCode, Unit = u.ParentId!.Value })
            .Distinct().Take(KeysWorthRebuild + 1).ToListAsync(cancellationToken);
        // Tasks that became accepted or stopped being so (their changes name the state); a save of a draft does not.
        var taskKeys = await db.AuditEntries.Where(a => a.Id > afterAudit && a.EntityType == nameof(FillingTask) && a.EntityKey != null
                && a.Changes != null && a.Changes.Contains("\"Accepted\""))
            .Select(a => a.EntityKey!).Distinct().ToListAsync(cancellationToken);
        var taskIds = taskKeys.Select(k => int.TryParse(k, CultureInfo.InvariantCulture, out var id) ? id : 0).Where(id => id > 0).ToList();
        var accepted = taskIds.Count == 0 ? [] : await db.FillingTasks.Where(t => taskIds.Contains(t.Id))
            .Join(db.OrgUnits.Where(u => u.Level == OrgUnitLevel.Village && u.ParentId != null), t => t.OrgUnitId, u => u.Id,
                (t, u) => new { t.FormId, t.PeriodCode, Unit = u.ParentId!.Value })
            .SelectMany(t => db.FormSections.Where(s => s.FormId == t.FormId && s.Kind == Catalog.SectionKind.Fields).SelectMany(s => s.Fields),
                (t, f) => new { f.DataElementId, t.PeriodCode, t.Unit })
            .Distinct().Take(KeysWorthRebuild + 1).ToListAsync(cancellationToken);
        var keys = values.Select(v => (v.DataElementId, v.PeriodCode, v.Unit)).Concat(accepted.Select(a => (a.DataElementId, a.PeriodCode, a.Unit)))
            .Distinct().ToList();
        return keys.Count > KeysWorthRebuild ? null : keys;
    }

    /// <summary>Sums the touched keys again: for each element and period, its townships five hundred at a time.</summary>
    private static async Task SumAgainAsync(OneFormDbContext db, List<(int Element, string Period, int Unit)> keys, CancellationToken cancellationToken)
    {
        foreach (var group in keys.GroupBy(k => (k.Element, k.Period)))
        {
            foreach (var units in group.Select(k => k.Unit).Distinct().Chunk(500))
            {
                var (values, tasks, rollups) = KeyFilter(group.Key.Element, units);
                var (delete, sum) = ("""DELETE FROM "VillageRollups" WHERE""" + rollups, Insert + SumSql(values, tasks));
                await db.Database.ExecuteSqlRawAsync(delete, [group.Key.Period], cancellationToken);
                await db.Database.ExecuteSqlRawAsync(sum, [group.Key.Period], cancellationToken);
            }
        }
    }

    /// <summary>
    /// The roll-ups of some elements, periods and townships as the values are now, read only (so from a replica too):
    /// those kept by the last round, with every key touched since (a value saved, a task accepted; changes committed
    /// but not placed yet included) summed again from the values. Null where they cannot be had so: no round has run,
    /// or more keys were touched since than are worth summing one by one.
    /// </summary>
    public static async Task<List<VillageRollup>?> ReadAsync(OneFormDbContext read, IReadOnlyCollection<int> elements, IReadOnlyCollection<string> periods,
        IReadOnlyCollection<int> units, CancellationToken cancellationToken = default)
    {
        if (await read.VillageRollupMarks.AsNoTracking().SingleOrDefaultAsync(cancellationToken) is not { } mark
            || await TouchedAsync(read, mark.Sequence, null, Math.Max(0, mark.AuditId - AuditOverlap), cancellationToken) is not { } touched)
        {
            return null;
        }
        var unitSet = units.ToHashSet();
        var stale = touched.Where(k => elements.Contains(k.Element) && periods.Contains(k.Period) && unitSet.Contains(k.Unit)).ToHashSet();
        var cells = await read.VillageRollups.AsNoTracking()
            .Where(r => elements.Contains(r.DataElementId) && periods.Contains(r.PeriodCode) && units.Contains(r.UnitId))
            .ToListAsync(cancellationToken);
        cells.RemoveAll(c => stale.Contains((c.DataElementId, c.PeriodCode, c.UnitId)));
        foreach (var group in stale.GroupBy(k => (k.Element, k.Period)))
        {
            foreach (var chunk in group.Select(k => k.Unit).Chunk(500))
            {
                var (values, tasks, _) = KeyFilter(group.Key.Element, chunk);
                cells.AddRange(await read.VillageRollups.FromSqlRaw(SumSql(values, tasks), group.Key.Period).AsNoTracking().ToListAsync(cancellationToken));
            }
        }
        return cells;
    }
}

/// <summary>Keeps the roll-ups a few seconds behind the saves, so a statistics answer rarely has to.</summary>
internal sealed class VillageRollupService(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider time, ILogger<VillageRollupService> log)
    : BackgroundRounds(scopes, log)
{
    protected override string What => "Keeping the village roll-ups";

    protected override Task<bool> WaitAsync(CancellationToken stoppingToken) =>
        EveryAsync(TimeSpan.FromSeconds(configuration.GetValue("Statistics:RollupSeconds", 5.0)), time, stoppingToken);

    protected override Task RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        VillageRollups.CatchUpAsync(services.GetRequiredService<OneFormDbContext>(), cancellationToken);
}
