using System.Data.Common;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OneForm.Data;

namespace OneForm.Registry;

/// <summary>
/// The set-based half of the registry import. Each chunk goes by the database's bulk path (binary COPY on PostgreSQL,
/// one prepared INSERT on SQLite) into a temporary staging table on the import's one connection, and the database does
/// every check that needs more than the row itself: a known village or community (a join on the unit codes), the same
/// number twice in the file (against a second temporary table of the numbers seen so far, keyed by hash), and
/// new, changed or unchanged residents (joins on the unique hash), then merges with a few statements. Nothing in memory
/// grows with the file; the temporary tables live as long as the connection and are dropped at the end.
/// </summary>
internal sealed class ResidentStaging(OneFormDbContext db)
{
    private const string Rows = "import_resident_rows", Seen = "import_resident_seen";

    // Placeholders of EF Core's raw SQL for the batch and the time, in the merge statements.
    private const string BatchParameter = "{0}", NowParameter = "{1}";

    /// <summary>A staged line. A line already rejected for something else is staged (Valid 0) only to check its unit.</summary>
    private static readonly BulkColumn[] Columns =
    [
        new("Line", ColumnKind.Integer), new("Valid", ColumnKind.Integer), new("UnitCode", ColumnKind.Text),
        new("IdentityHash", ColumnKind.Text), new("IdentityProtected", ColumnKind.Text), new("IdentityMasked", ColumnKind.Text),
        new("Name", ColumnKind.Text), new("Sex", ColumnKind.Text), new("BirthDate", ColumnKind.Date), new("Ethnicity", ColumnKind.Text),
        new("HouseholdNumber", ColumnKind.Text), new("RelationToHead", ColumnKind.Text),
        new("Address", ColumnKind.Text), new("Phone", ColumnKind.Text), new("Status", ColumnKind.Text),
    ];

    private static readonly BulkColumn[] ChangeColumns =
    [
        new("ResidentId", ColumnKind.BigInteger), new("BatchId", ColumnKind.BigInteger), new("ChangedAt", ColumnKind.Timestamp), new("Changes", ColumnKind.Text),
    ];

    /// <summary>The fields an import may change, compared null-safely; the names are the same in the staging table.</summary>
    private static readonly string[] Fields =
        ["Name", "Sex", "BirthDate", "Ethnicity", "HouseholdNumber", "RelationToHead", "OrgUnitId", "Address", "Phone", "Status"];

    private static readonly string Same = string.Join(" AND ", Fields.Select(f => $"r.\"{f}\" IS NOT DISTINCT FROM s.\"{f}\""));

    /// <summary>A staged line: its values as the columns above, in order.</summary>
    public static object?[] Line(int line, string? unitCode) => [line, 0, unitCode, null, null, null, null, null, null, null, null, null, null, null, null];

    public static object?[] Line(int line, string unitCode, string hash, string sealedNumber, string masked, string name, Sex sex, DateOnly birth,
        string? ethnicity, string household, string? relation, string? address, string? phone, ResidentStatus status) =>
        [line, 1, unitCode, hash, sealedNumber, masked, name, sex.ToString(), birth, ethnicity, household, relation, address, phone, status.ToString()];

    public async Task CreateAsync(CancellationToken cancellationToken)
    {
        await DropAsync();
        var dialect = db.Dialect;
        var columns = string.Join(", ", Columns.Select(c => $"\"{c.Name}\" {dialect.ColumnType(c.Kind)}"));
        await ExecuteAsync($"CREATE TEMP TABLE \"{Rows}\" ({columns}, \"OrgUnitId\" {dialect.ColumnType(ColumnKind.Integer)})", cancellationToken);
        await ExecuteAsync($"CREATE INDEX \"{Rows}_hash\" ON \"{Rows}\" (\"IdentityHash\", \"Line\")", cancellationToken);
        await ExecuteAsync($"CREATE TEMP TABLE \"{Seen}\" (\"IdentityHash\" {dialect.ColumnType(ColumnKind.Text)} PRIMARY KEY, \"Line\" {dialect.ColumnType(ColumnKind.Integer)} NOT NULL)", cancellationToken);
    }

    public async Task DropAsync()
    {
        await ExecuteAsync($"DROP TABLE IF EXISTS \"{Rows}\"", CancellationToken.None);
        await ExecuteAsync($"DROP TABLE IF EXISTS \"{Seen}\"", CancellationToken.None);
    }

    /// <summary>What the database found in a chunk; the caller words the rejections.</summary>
    public sealed record Outcome(int Inserted, int Updated, int Unchanged, List<(int Line, string? UnitCode)> UnknownUnits,
        List<(int Line, string Masked, int FirstLine)> Repeated, List<int> TouchedUnits);

    /// <summary>Stages, checks and merges one chunk inside the caller's transaction.</summary>
    public async Task<Outcome> MergeAsync(IEnumerable<object?[]> lines, long batchId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.Dialect.BulkInsertAsync(db.Database, Rows, Columns, lines, cancellationToken);
        await db.Dialect.AnalyzeAsync(db.Database, Rows, cancellationToken);

        // A village or community of the tree, by its code.
        await ExecuteAsync($"""
            UPDATE "{Rows}" SET "OrgUnitId" = (SELECT u."Id" FROM "OrgUnits" u WHERE u."Code" = "{Rows}"."UnitCode" AND u."Level" = 'Village')
            WHERE "UnitCode" IS NOT NULL
            """, cancellationToken);
        var unknown = await ReadAsync($"""SELECT "Line", "UnitCode" FROM "{Rows}" WHERE "OrgUnitId" IS NULL AND "UnitCode" IS NOT NULL ORDER BY "Line" """,
            r => (r.GetInt32(0), r.IsDBNull(1) ? null : r.GetString(1)), cancellationToken);
        await ExecuteAsync($"""DELETE FROM "{Rows}" WHERE "OrgUnitId" IS NULL OR "Valid" = 0""", cancellationToken);

        // The same number twice: the first line of the file that had it wins, in an earlier chunk or in this one.
        const string repeated = """
            EXISTS (SELECT 1 FROM "{1}" seen WHERE seen."IdentityHash" = s."IdentityHash")
            OR EXISTS (SELECT 1 FROM "{0}" t WHERE t."IdentityHash" = s."IdentityHash" AND t."Line" < s."Line")
            """;
        var repeats = await ReadAsync($"""
            SELECT s."Line", s."IdentityMasked", COALESCE(
                (SELECT seen."Line" FROM "{Seen}" seen WHERE seen."IdentityHash" = s."IdentityHash"),
                (SELECT MIN(t."Line") FROM "{Rows}" t WHERE t."IdentityHash" = s."IdentityHash"))
            FROM "{Rows}" s
            WHERE {string.Format(System.Globalization.CultureInfo.InvariantCulture, repeated, Rows, Seen)}
            ORDER BY s."Line"
            """, r => (r.GetInt32(0), r.GetString(1), r.GetInt32(2)), cancellationToken);
        if (repeats.Count > 0)
        {
            await ExecuteAsync($"""
                DELETE FROM "{Rows}" WHERE "Line" IN (SELECT s."Line" FROM "{Rows}" s
                WHERE {string.Format(System.Globalization.CultureInfo.InvariantCulture, repeated, Rows, Seen)})
                """, cancellationToken);
        }
        await ExecuteAsync($"""INSERT INTO "{Seen}" ("IdentityHash", "Line") SELECT "IdentityHash", "Line" FROM "{Rows}" """, cancellationToken);
        var staged = await ReadAsync($"""SELECT COUNT(*) FROM "{Rows}" """, r => Convert.ToInt32(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), cancellationToken);

        // The villages whose residents this chunk adds or changes: a new resident's here, a changed one's before and after
        // from the read of the changes below.
        var touched = await ReadAsync($"""
            SELECT DISTINCT s."OrgUnitId" FROM "{Rows}" s
            WHERE NOT EXISTS (SELECT 1 FROM "Residents" r WHERE r."IdentityHash" = s."IdentityHash")
            """, r => Convert.ToInt32(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), cancellationToken);

        // Changed residents: their history (field to [old, new]) is written as JSON, so the differences are read here.
        var select = string.Join(", ", Fields.Select(f => $"r.\"{f}\", s.\"{f}\""));
        var unit = 1 + 2 * Array.IndexOf(Fields, "OrgUnitId");
        var changes = await ReadAsync($"""
            SELECT r."Id", {select} FROM "{Rows}" s JOIN "Residents" r ON r."IdentityHash" = s."IdentityHash" WHERE NOT ({Same})
            """, r =>
            {
                touched.Add(r.GetInt32(unit));
                touched.Add(r.GetInt32(unit + 1));
                return new object?[] { r.GetInt64(0), batchId, now, JsonSerializer.Serialize(Differences(r), AuditRecorder.JsonOptions) };
            }, cancellationToken);
        var updated = 0;
        if (changes.Count > 0)
        {
            var dialect = db.Dialect;
            var update = $"""
                UPDATE "Residents" AS r SET {string.Join(", ", Fields.Select(f => $"\"{f}\" = s.\"{f}\""))},
                    "LastBatchId" = {BatchParameter}, "UpdatedAt" = {NowParameter}, "RowVersion" = r."RowVersion" + 1
                FROM "{Rows}" s WHERE r."IdentityHash" = s."IdentityHash" AND NOT ({Same})
                """;
            updated = await db.Database.ExecuteSqlRawAsync(update, new object[] { batchId, dialect.ToColumn(now, ColumnKind.Timestamp) }, cancellationToken);
            await dialect.BulkInsertAsync(db.Database, "ResidentChanges", ChangeColumns, changes, cancellationToken);
        }

        // The SQL is made of the names above only; the batch and the time are parameters.
        var insert = $"""
            INSERT INTO "Residents" ("IdentityHash", "IdentityProtected", "IdentityMasked", {string.Join(", ", Fields.Select(f => $"\"{f}\""))},
                "LastBatchId", "UpdatedAt", "RowVersion")
            SELECT s."IdentityHash", s."IdentityProtected", s."IdentityMasked", {string.Join(", ", Fields.Select(f => $"s.\"{f}\""))}, {BatchParameter}, {NowParameter}, 1
            FROM "{Rows}" s WHERE NOT EXISTS (SELECT 1 FROM "Residents" r WHERE r."IdentityHash" = s."IdentityHash")
            """;
        var inserted = await db.Database.ExecuteSqlRawAsync(insert, new object[] { batchId, db.Dialect.ToColumn(now, ColumnKind.Timestamp) }, cancellationToken);
        await db.Dialect.EmptyAsync(db.Database, Rows, cancellationToken);
        return new Outcome(inserted, updated, staged[0] - inserted - updated, unknown, repeats, touched);
    }

    /// <summary>Field to [old, new] for the fields that differ, from a row of old and new values side by side.</summary>
    private static Dictionary<string, object?[]> Differences(DbDataReader row)
    {
        var changes = new Dictionary<string, object?[]>();
        for (var i = 0; i < Fields.Length; i++)
        {
            var (old, @new) = (Value(row, 1 + 2 * i, Fields[i]), Value(row, 2 + 2 * i, Fields[i]));
            if (!Equals(old, @new))
            {
                changes[Fields[i]] = [old, @new];
            }
        }
        return changes;
    }

    private static object? Value(DbDataReader row, int ordinal, string field) => row.IsDBNull(ordinal) ? null : field switch
    {
        "BirthDate" => row.GetFieldValue<DateOnly>(ordinal),
        "OrgUnitId" => row.GetInt32(ordinal),
        _ => row.GetString(ordinal),
    };

    private Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken) => db.Database.ExecuteSqlRawAsync(sql, cancellationToken);

    private async Task<List<T>> ReadAsync<T>(string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }
        return rows;
    }
}
