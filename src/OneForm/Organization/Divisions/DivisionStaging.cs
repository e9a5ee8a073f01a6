using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OneForm.Data;

namespace OneForm.Organization.Divisions;

/// <summary>
/// The set-based half of the divisions import. Every line with a well-formed code goes by the database's bulk path
/// (binary COPY on PostgreSQL, one prepared INSERT on SQLite) into a temporary staging table on the import's one
/// connection, and the database decides the rest: the same code twice (a group by code), an existing unit (a join on
/// the unique code), the parent (in the tree already, or added from the file a level above), the materialised path and
/// depth, added, renamed or unchanged. The tree is built a level at a time from the top, so the order of the file's
/// lines does not matter and a child sees whether its parent was taken. Nothing in memory grows with the file.
/// </summary>
internal sealed class DivisionStaging(OneFormDbContext db)
{
    private const string Rows = "import_division_rows";

    /// <summary>What became of a staged line; the rejections are worded by the importer from the columns read back.</summary>
    public enum State
    {
        /// <summary>Not refused: after its level's pass, a line taken (its unit added, renamed or left as it was).</summary>
        Pending = 0,
        Added = 1,
        Updated = 2,
        Unchanged = 3,
        /// <summary>Refused while reading (name, level, ...); staged only so that its code counts for repeats and parents.</summary>
        RejectedInFile = 10,
        Duplicate = 11,
        OwnParent = 12,
        NeedsParent = 13,
        ParentTooLow = 14,
        ParentLaterInFile = 15,
        ParentRejected = 16,
        ParentNowhere = 17,
        Moved = 18,
    }

    private static readonly BulkColumn[] Columns =
    [
        new("Line", ColumnKind.Integer), new("Code", ColumnKind.Text), new("Name", ColumnKind.Text), new("Level", ColumnKind.Text),
        new("Rank", ColumnKind.Integer), new("ParentCode", ColumnKind.Text), new("UrbanRural", ColumnKind.Text), new("State", ColumnKind.Integer),
    ];

    /// <summary>A good line, as the columns above.</summary>
    public static object?[] Line(int line, string code, string name, OrgUnitLevel level, string? parentCode, string? urbanRural) =>
        [line, code, name, level.ToString(), (int)level, parentCode, urbanRural, (int)State.Pending];

    /// <summary>A line refused while reading whose code is well formed.</summary>
    public static object?[] Refused(int line, string code) => [line, code, null, null, null, null, null, (int)State.RejectedInFile];

    /// <summary>A level's rank from its stored name, in SQL.</summary>
    private static string RankOf(string column) =>
        $"CASE {column} {string.Join(" ", Enum.GetValues<OrgUnitLevel>().Select(l => $"WHEN '{l}' THEN {(int)l}"))} END";

    public async Task CreateAsync(CancellationToken cancellationToken)
    {
        await DropAsync();
        var dialect = db.Dialect;
        string Type(ColumnKind kind) => dialect.ColumnType(kind);
        var columns = string.Join(", ", Columns.Select(c => $"\"{c.Name}\" {Type(c.Kind)}"));
        // First: the line this one repeats. Unit*: the unit of the tree with this code. ParentRank: found by the level pass.
        await ExecuteAsync($"""
            CREATE TEMP TABLE "{Rows}" ({columns}, "First" {Type(ColumnKind.Integer)}, "UnitId" {Type(ColumnKind.Integer)},
                "UnitLevel" {Type(ColumnKind.Text)}, "UnitParentCode" {Type(ColumnKind.Text)}, "Same" {Type(ColumnKind.Integer)})
            """, cancellationToken);
    }

    public Task DropAsync() => ExecuteAsync($"DROP TABLE IF EXISTS \"{Rows}\"", CancellationToken.None);

    public Task AddAsync(IReadOnlyList<object?[]> lines, CancellationToken cancellationToken) =>
        db.Dialect.BulkInsertAsync(db.Database, Rows, Columns, lines, cancellationToken);

    /// <summary>A rejected line with what its reason names, read back from the staging table.</summary>
    public sealed record Rejection(int Line, string Code, State State, int? FirstLine, string? Level, string? ParentCode,
        string? ParentLevel, int? ParentLine, string? UnitLevel, string? UnitParentCode);

    public sealed record Outcome(IReadOnlyList<(OrgUnitLevel Level, int Count)> Added, int Updated, int Unchanged,
        IReadOnlyList<Rejection> Rejected, IReadOnlyList<(string Code, string Old, string New)> Renamed);

    /// <summary>Checks and merges the staged lines inside the caller's transaction.</summary>
    public async Task<Outcome> MergeAsync(int renamesKept, CancellationToken cancellationToken)
    {
        // Indexed after the load: one sort instead of an index kept up row by row.
        await ExecuteAsync($"""CREATE INDEX "{Rows}_code" ON "{Rows}" ("Code", "Line")""", cancellationToken);
        await db.Dialect.AnalyzeAsync(db.Database, Rows, cancellationToken);

        // The same code twice: the first line keeps it, whatever became of that line.
        await ExecuteAsync($"""
            UPDATE "{Rows}" AS s SET "State" = {(int)State.Duplicate}, "First" = f."Line"
            FROM (SELECT "Code", MIN("Line") AS "Line" FROM "{Rows}" GROUP BY "Code" HAVING COUNT(*) > 1) AS f
            WHERE s."Code" = f."Code" AND s."Line" > f."Line"
            """, cancellationToken);

        // The unit of the tree with the same code, and whether the line would change it. An empty classification
        // cell leaves the unit's code as it is (the administrator may have set it).
        await ExecuteAsync($"""
            UPDATE "{Rows}" AS s SET "UnitId" = u."Id", "UnitLevel" = u."Level", "UnitParentCode" = p."Code",
                "Same" = CASE WHEN u."Name" = s."Name" AND (s."UrbanRural" IS NULL OR s."UrbanRural" = u."UrbanRuralCode") THEN 1 ELSE 0 END
            FROM "OrgUnits" AS u LEFT JOIN "OrgUnits" AS p ON p."Id" = u."ParentId"
            WHERE u."Code" = s."Code" AND s."State" = {(int)State.Pending}
            """, cancellationToken);

        await db.Dialect.AnalyzeAsync(db.Database, Rows, cancellationToken);

        // Level by level from the top: a parent a level above is decided (and, if good, in the tree) before its children.
        // Only refused lines are written; a line still pending after its level is taken. Without a parent code, a
        // prefecture or province is the top of this file (a prefecture's file can be loaded again after its province's);
        // a unit below needs one unless it is in the tree already. A parent code not in the tree is a line of the file
        // on this level or below (not yet taken), a line that was refused, or nowhere.
        var moved = $"""
            WHEN s."UnitId" IS NOT NULL AND (s."UnitLevel" <> s."Level"
                OR (s."ParentCode" IS NOT NULL AND COALESCE(s."UnitParentCode", '') <> s."ParentCode")) THEN {(int)State.Moved}
            """;
        var refusal = $"""
            CASE WHEN s."ParentCode" = s."Code" THEN {(int)State.OwnParent}
                WHEN s."ParentCode" IS NULL THEN CASE
                    WHEN s."Rank" > {(int)OrgUnitLevel.Prefecture} AND s."UnitId" IS NULL THEN {(int)State.NeedsParent}
                    {moved}
                    ELSE {(int)State.Pending} END
                ELSE COALESCE(
                    (SELECT CASE WHEN {RankOf("p.\"Level\"")} >= s."Rank" THEN {(int)State.ParentTooLow} {moved} ELSE {(int)State.Pending} END
                     FROM "OrgUnits" AS p WHERE p."Code" = s."ParentCode"),
                    CASE WHEN EXISTS (SELECT 1 FROM "{Rows}" AS t WHERE t."Code" = s."ParentCode" AND t."First" IS NULL
                            AND t."State" <> {(int)State.RejectedInFile} AND t."Rank" >= s."Rank") THEN {(int)State.ParentLaterInFile}
                        WHEN EXISTS (SELECT 1 FROM "{Rows}" AS t WHERE t."Code" = s."ParentCode" AND t."First" IS NULL) THEN {(int)State.ParentRejected}
                        ELSE {(int)State.ParentNowhere} END)
            END
            """;
        foreach (var level in Enum.GetValues<OrgUnitLevel>())
        {
            await ExecuteAsync($"""
                UPDATE "{Rows}" AS s SET "State" = {refusal}
                WHERE s."Rank" = {(int)level} AND s."State" = {(int)State.Pending} AND {refusal} <> {(int)State.Pending}
                """, cancellationToken);
            await ExecuteAsync($"""
                INSERT INTO "OrgUnits" ("Code", "Name", "Level", "ParentId", "Path", "Depth", "KeepsPhotoLocation", "UrbanRuralCode", "RowVersion")
                SELECT s."Code", s."Name", s."Level", p."Id", COALESCE(p."Path", '') || s."Code" || '/', COALESCE(p."Depth" + 1, 0), FALSE, s."UrbanRural", 0
                FROM "{Rows}" AS s LEFT JOIN "OrgUnits" AS p ON p."Code" = s."ParentCode"
                WHERE s."Rank" = {(int)level} AND s."State" = {(int)State.Pending} AND s."UnitId" IS NULL
                """, cancellationToken);
        }

        var renamed = await ReadAsync($"""
            SELECT s."Code", u."Name", s."Name" FROM "{Rows}" AS s JOIN "OrgUnits" AS u ON u."Id" = s."UnitId"
            WHERE {Taken(State.Updated)} AND u."Name" <> s."Name" ORDER BY s."Line" LIMIT {renamesKept.ToString(CultureInfo.InvariantCulture)}
            """, r => (r.GetString(0), r.GetString(1), r.GetString(2)), cancellationToken);
        await ExecuteAsync($"""
            UPDATE "OrgUnits" AS u SET "Name" = s."Name", "UrbanRuralCode" = COALESCE(s."UrbanRural", u."UrbanRuralCode"), "RowVersion" = u."RowVersion" + 1
            FROM "{Rows}" AS s WHERE s."UnitId" = u."Id" AND {Taken(State.Updated)}
            """, cancellationToken);

        var counts = await ReadAsync($"""
            SELECT {Taking}, s."Rank", COUNT(*) FROM "{Rows}" AS s WHERE s."State" = {(int)State.Pending} GROUP BY {Taking}, s."Rank"
            """, r => ((State)r.GetInt32(0), (OrgUnitLevel)r.GetInt32(1), Convert.ToInt32(r.GetValue(2), CultureInfo.InvariantCulture)), cancellationToken);

        // What each reason names: the first line of a repeated code, the parent as the tree or the file has it, the unit as it stands.
        var rejected = await ReadAsync($"""
            SELECT s."Line", s."Code", s."State", s."First", s."Level", s."ParentCode",
                COALESCE((SELECT p."Level" FROM "OrgUnits" AS p WHERE p."Code" = s."ParentCode"),
                    (SELECT t."Level" FROM "{Rows}" AS t WHERE t."Code" = s."ParentCode" AND t."First" IS NULL)),
                (SELECT t."Line" FROM "{Rows}" AS t WHERE t."Code" = s."ParentCode" AND t."First" IS NULL),
                s."UnitLevel", s."UnitParentCode"
            FROM "{Rows}" AS s WHERE s."State" > {(int)State.RejectedInFile} ORDER BY s."Line"
            """, r => new Rejection(r.GetInt32(0), r.GetString(1), (State)r.GetInt32(2), Int(r, 3), Text(r, 4), Text(r, 5), Text(r, 6),
                Int(r, 7), Text(r, 8), Text(r, 9)), cancellationToken);

        return new Outcome(
            [.. counts.Where(c => c.Item1 == State.Added).OrderBy(c => c.Item2).Select(c => (c.Item2, c.Item3))],
            counts.Where(c => c.Item1 == State.Updated).Sum(c => c.Item3),
            counts.Where(c => c.Item1 == State.Unchanged).Sum(c => c.Item3),
            rejected, renamed);
    }

    /// <summary>What a line that was taken did: added a unit, or found it and renamed or reclassified it, or not.</summary>
    private static readonly string Taking = $"""
        CASE WHEN s."UnitId" IS NULL THEN {(int)State.Added} WHEN s."Same" = 1 THEN {(int)State.Unchanged} ELSE {(int)State.Updated} END
        """;

    private static string Taken(State outcome) => $"""s."State" = {(int)State.Pending} AND {Taking} = {(int)outcome}""";

    private static int? Int(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetInt32(ordinal);

    private static string? Text(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    private Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken) => db.Database.ExecuteSqlRawAsync(sql, cancellationToken);

    private async Task<List<T>> ReadAsync<T>(string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = sql;
        command.CommandTimeout = db.Database.GetCommandTimeout() ?? command.CommandTimeout;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }
        return rows;
    }
}
