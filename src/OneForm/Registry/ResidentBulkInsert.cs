using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;
using NpgsqlTypes;
using OneForm.Data;

namespace OneForm.Registry;

/// <summary>
/// Each provider's fast way to add many new residents inside the current transaction: binary COPY on PostgreSQL,
/// one prepared INSERT reused for every row on SQLite. Updates and history still go through EF Core (they are few).
/// </summary>
internal static class ResidentBulkInsert
{
    private static readonly string[] Columns =
    [
        "IdentityHash", "IdentityProtected", "IdentityMasked", "Name", "Sex", "BirthDate", "Ethnicity", "HouseholdNumber",
        "RelationToHead", "OrgUnitId", "Address", "Phone", "Status", "LastBatchId", "UpdatedAt", "RowVersion",
    ];

    private static readonly ValueConverter<DateTimeOffset, long> SqliteTime = new DateTimeOffsetToBinaryConverter();

    public static async Task InsertAsync(OneFormDbContext db, IReadOnlyList<Resident> residents, CancellationToken cancellationToken)
    {
        if (residents.Count == 0)
        {
            return;
        }
        var connection = db.Database.GetDbConnection();
        if (db.Provider == DatabaseProvider.Postgres)
        {
            var copy = $"COPY \"Residents\" ({string.Join(", ", Columns.Select(c => $"\"{c}\""))}) FROM STDIN (FORMAT BINARY)";
            await using var writer = await ((NpgsqlConnection)connection).BeginBinaryImportAsync(copy, cancellationToken);
            foreach (var r in residents)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(r.IdentityHash, NpgsqlDbType.Varchar, cancellationToken);
                await writer.WriteAsync(r.IdentityProtected, NpgsqlDbType.Varchar, cancellationToken);
                await writer.WriteAsync(r.IdentityMasked, NpgsqlDbType.Varchar, cancellationToken);
                await writer.WriteAsync(r.Name, NpgsqlDbType.Varchar, cancellationToken);
                await writer.WriteAsync(r.Sex.ToString(), NpgsqlDbType.Varchar, cancellationToken);
                await writer.WriteAsync(r.BirthDate, NpgsqlDbType.Date, cancellationToken);
                await WriteNullableAsync(writer, r.Ethnicity, cancellationToken);
                await writer.WriteAsync(r.HouseholdNumber, NpgsqlDbType.Varchar, cancellationToken);
                await WriteNullableAsync(writer, r.RelationToHead, cancellationToken);
                await writer.WriteAsync(r.OrgUnitId, NpgsqlDbType.Integer, cancellationToken);
                await WriteNullableAsync(writer, r.Address, cancellationToken);
                await WriteNullableAsync(writer, r.Phone, cancellationToken);
                await writer.WriteAsync(r.Status.ToString(), NpgsqlDbType.Varchar, cancellationToken);
                await writer.WriteAsync(r.LastBatchId ?? 0, NpgsqlDbType.Bigint, cancellationToken);
                await writer.WriteAsync(r.UpdatedAt.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
                await writer.WriteAsync((long)r.RowVersion, NpgsqlDbType.Bigint, cancellationToken);
            }
            await writer.CompleteAsync(cancellationToken);
            return;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = $"INSERT INTO \"Residents\" ({string.Join(", ", Columns.Select(c => $"\"{c}\""))}) " +
                              $"VALUES ({string.Join(", ", Columns.Select((_, i) => $"$p{i}"))})";
        var parameters = Columns.Select((_, i) =>
        {
            var p = command.CreateParameter();
            p.ParameterName = $"$p{i}";
            command.Parameters.Add(p);
            return p;
        }).ToArray();
        await command.PrepareAsync(cancellationToken);
        foreach (var r in residents)
        {
            object?[] values =
            [
                r.IdentityHash, r.IdentityProtected, r.IdentityMasked, r.Name, r.Sex.ToString(), r.BirthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                r.Ethnicity, r.HouseholdNumber, r.RelationToHead, r.OrgUnitId, r.Address, r.Phone, r.Status.ToString(), r.LastBatchId,
                SqliteTime.ConvertToProvider(r.UpdatedAt), (long)r.RowVersion,
            ];
            for (var i = 0; i < values.Length; i++)
            {
                parameters[i].Value = values[i] ?? DBNull.Value;
            }
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter writer, string? value, CancellationToken cancellationToken) =>
        value is null ? writer.WriteNullAsync(cancellationToken) : writer.WriteAsync(value, NpgsqlDbType.Varchar, cancellationToken);
}
