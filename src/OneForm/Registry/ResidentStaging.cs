using System.Data.Common;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OneForm.Data;

namespace OneForm.Registry;

/// <summary>
/// The set-based half of the registry import, two ways. A chunk of new residents (a first load, a province's next
/// prefecture) is appended straight to <c>Residents</c> by the database's bulk path (<see cref="AppendAsync"/>), and the
/// table's unique index is the check that every number is new. Any other chunk goes by the bulk path (binary COPY on
/// PostgreSQL, prepared INSERTs on SQLite) into a temporary staging table on the import's one connection, and the
/// database does every check that needs more than the row itself:
/// a known village or community (a join on the unit codes), the same number twice in the file (against a second
/// temporary table of the numbers seen so far, keyed by hash), and new, changed or unchanged residents (joins on the
/// unique hash), then merges with a few statements (<see cref="MergeAsync"/>). Nothing in memory grows with the file;
/// the temporary tables live as long as the connection and are dropped at the end.
/// </summary>
internal sealed class ResidentStaging(OneFormDbContext db)
{
    private const string Rows = "import_resident_rows", Seen = "import_resident_seen";


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

    /// <summary>The columns of <c>Residents</c> that an append writes, in order.</summary>
    private static readonly BulkColumn[] ResidentColumns =
    [
        new("IdentityHash", ColumnKind.Text), new("IdentityProtected", ColumnKind.Text), new("IdentityMasked", ColumnKind.Text),
        new("Name", ColumnKind.Text), new("Sex", ColumnKind.Text), new("BirthDate", ColumnKind.Date), new("Ethnicity", ColumnKind.Text),
        new("HouseholdNumber", ColumnKind.Text), new("RelationToHead", ColumnKind.Text), new("OrgUnitId", ColumnKind.Integer),
        new("Address", ColumnKind.Text), new("Phone", ColumnKind.Text), new("Status", ColumnKind.Text),
        new("LastBatchId", ColumnKind.BigInteger), new("UpdatedAt", ColumnKind.Timestamp), new("RowVersion", ColumnKind.BigInteger),
    ];

    private static readonly BulkColumn[] SeenColumns = [new("IdentityHash", ColumnKind.Text), new("Line", ColumnKind.Integer)];

    /// <summary>The fields an import may change, compared null-safely; the names are the same in the staging table.</summary>
    private static readonly string[] Fields =
        ["Name", "Sex", "BirthDate", "Ethnicity", "HouseholdNumber", "RelationToHead", "OrgUnitId", "Address", "Phone", "Status"];

    private static readonly string Same = string.Join(" AND ", Fields.Select(f => $"r.\"{f}\" IS NOT DISTINCT FROM s.\"{f}\""));

    /// <summary>A staged line: its values as the columns above, in order.</summary>
    public static object?[] Line(int line, string? unitCode) => [line, 0, unitCode, null, null, null, null, null, null, null, null, null, null, null, null];

    // Where a staged line keeps what: its line number, whether it is valid, the village's code, then the resident's
    // fields in the order of ResidentColumns, where the village's id goes in before the address.
    private const int LineAt = 0, ValidAt = 1, UnitCodeAt = 2, FieldsAt = 3, UnitIdBefore = 12;

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
        // Indexed only when a chunk is first merged: appends only add to it, a plain heap is a fraction of the work.
        await ExecuteAsync($"CREATE TEMP TABLE \"{Seen}\" (\"IdentityHash\" {dialect.ColumnType(ColumnKind.Text)} NOT NULL, \"Line\" {dialect.ColumnType(ColumnKind.Integer)} NOT NULL)", cancellationToken);
        seenIndexed = false;
    }

    private bool seenIndexed;

    public async Task DropAsync()
    {
        await ExecuteAsync($"DROP TABLE IF EXISTS \"{Rows}\"", CancellationToken.None);
        await ExecuteAsync($"DROP TABLE IF EXISTS \"{Seen}\"", CancellationToken.None);
    }

    /// <summary>What the database found in a chunk; the caller words the rejections.</summary>
    public sealed record Outcome(int Inserted, int Updated, int Unchanged, List<(int Line, string? UnitCode)> UnknownUnits,
        List<(int Line, string Masked, int FirstLine)> Repeated, List<int> TouchedUnits);

    /// <summary>
    /// Appends one chunk of residents new to the table straight to it by the bulk path, inside the caller's transaction:
    /// the way a first load goes, at about the speed of the database's own bulk load. The villages are looked up once for
    /// the chunk's codes. A number the table already holds (a resident imported before, or the same number twice in the
    /// file) breaks the table's unique index, and the whole append with it
    /// (<see cref="IDatabaseDialect.IsUniqueViolation"/>): the caller then rolls back and merges the chunk instead, which
    /// tells those apart. The numbers go to the table of numbers seen too, so a later merged chunk finds repeats of them.
    /// </summary>
    public async Task<Outcome> AppendAsync(IReadOnlyList<object?[]> lines, long batchId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var codes = lines.Select(l => l[UnitCodeAt] as string).OfType<string>().Distinct().ToList();
        var villages = await db.OrgUnits.Where(u => u.Level == Organization.OrgUnitLevel.Village && codes.Contains(u.Code))
            .Select(u => new { u.Code, u.Id }).ToDictionaryAsync(u => u.Code, u => u.Id, StringComparer.Ordinal, cancellationToken);
        var unknown = new List<(int Line, string? UnitCode)>();
        var (residents, seen) = (new List<object?[]>(lines.Count), new List<object?[]>(lines.Count));
        var touched = new HashSet<int>();
        foreach (var line in lines)
        {
            // Every staged line names its unit (a valid one always; a rejected one is staged only for it).
            var code = (string)line[UnitCodeAt]!;
            if (!villages.TryGetValue(code, out var unit))
            {
                unknown.Add(((int)line[LineAt]!, code));
            }
            else if ((int)line[ValidAt]! == 1)
            {
                residents.Add([.. line[FieldsAt..UnitIdBefore], unit, .. line[UnitIdBefore..], batchId, now, 1L]);
                seen.Add([line[FieldsAt], line[LineAt]]);
                touched.Add(unit);
            }
        }
        await db.Dialect.BulkInsertAsync(db.Database, "Residents", ResidentColumns, residents, cancellationToken);
        await db.Dialect.BulkInsertAsync(db.Database, Seen, SeenColumns, seen, cancellationToken);
        return new Outcome(residents.Count, 0, 0, unknown, [], [.. touched]);
    }

    /// <summary>Stages, checks and merges one chunk inside the caller's transaction.</summary>
    public async Task<Outcome> MergeAsync(IEnumerable<object?[]> lines, long batchId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (!seenIndexed)
        {
            // In the chunk's transaction: a merge that fails ends the run, so nothing needs the index after it is undone.
            await ExecuteAsync($"CREATE UNIQUE INDEX IF NOT EXISTS \"{Seen}_hash\" ON \"{Seen}\" (\"IdentityHash\")", cancellationToken);
            seenIndexed = true;
        }
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

        // New residents first; the villages they are in come back with them. The rest of the chunk was stored before.
        // The SQL is made of the names above only; the batch and the time are parameters.
        var insert = $"""
            INSERT INTO "Residents" ("IdentityHash", "IdentityProtected", "IdentityMasked", {string.Join(", ", Fields.Select(f => $"\"{f}\""))},
                "LastBatchId", "UpdatedAt", "RowVersion")
            SELECT s."IdentityHash", s."IdentityProtected", s."IdentityMasked", {string.Join(", ", Fields.Select(f => $"s.\"{f}\""))}, @batch, @now, 1
            FROM "{Rows}" s WHERE NOT EXISTS (SELECT 1 FROM "Residents" r WHERE r."IdentityHash" = s."IdentityHash")
            RETURNING "OrgUnitId"
            """;
        var now = db.Dialect.ToColumn(at, ColumnKind.Timestamp);
        var touched = await ReadAsync(insert, r => Convert.ToInt32(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), cancellationToken,
            ("batch", batchId), ("now", now));
        var inserted = touched.Count;
        var updated = 0;
        if (inserted < staged[0])
        {
            // Changed residents: their history (field to [old, new]) is written as JSON, so the differences are read here;
            // a changed one's village before and after is touched. The residents just inserted are the same as their rows.
            var select = string.Join(", ", Fields.Select(f => $"r.\"{f}\", s.\"{f}\""));
            var unit = 1 + 2 * Array.IndexOf(Fields, "OrgUnitId");
            var changes = await ReadAsync($"""
                SELECT r."Id", {select} FROM "{Rows}" s JOIN "Residents" r ON r."IdentityHash" = s."IdentityHash" WHERE NOT ({Same})
                """, r =>
                {
                    touched.Add(r.GetInt32(unit));
                    touched.Add(r.GetInt32(unit + 1));
                    return new object?[] { r.GetInt64(0), batchId, at, JsonSerializer.Serialize(Differences(r), AuditRecorder.JsonOptions) };
                }, cancellationToken);
            if (changes.Count > 0)
            {
                var update = $"""
                    UPDATE "Residents" AS r SET {string.Join(", ", Fields.Select(f => $"\"{f}\" = s.\"{f}\""))},
                        "LastBatchId" = @batch, "UpdatedAt" = @now, "RowVersion" = r."RowVersion" + 1
                    FROM "{Rows}" s WHERE r."IdentityHash" = s."IdentityHash" AND NOT ({Same})
                    """;
                updated = await ExecuteAsync(update, cancellationToken, ("batch", batchId), ("now", now));
                await db.Dialect.BulkInsertAsync(db.Database, "ResidentChanges", ChangeColumns, changes, cancellationToken);
            }
        }

        await db.Dialect.EmptyAsync(db.Database, Rows, cancellationToken);
        return new Outcome(inserted, updated, staged[0] - inserted - updated, unknown, repeats, [.. touched.Distinct()]);
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

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<List<T>> ReadAsync<T>(string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken,
        params (string Name, object Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }
        return rows;
    }

    /// <summary>A command on the import's connection and transaction, with named parameters (<c>@name</c> in the SQL).</summary>
    private DbCommand Command(string sql, (string Name, object Value)[] parameters)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return command;
    }
}
