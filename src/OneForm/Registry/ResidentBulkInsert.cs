using OneForm.Data;

namespace OneForm.Registry;

/// <summary>
/// Adds many new residents inside the current transaction by the database's bulk path (see
/// <see cref="IDatabaseDialect.BulkInsertAsync"/>). Updates and history still go through EF Core (they are few).
/// </summary>
internal static class ResidentBulkInsert
{
    private static readonly BulkColumn[] Columns =
    [
        new("IdentityHash", ColumnKind.Text), new("IdentityProtected", ColumnKind.Text), new("IdentityMasked", ColumnKind.Text),
        new("Name", ColumnKind.Text), new("Sex", ColumnKind.Text), new("BirthDate", ColumnKind.Date), new("Ethnicity", ColumnKind.Text),
        new("HouseholdNumber", ColumnKind.Text), new("RelationToHead", ColumnKind.Text), new("OrgUnitId", ColumnKind.Integer),
        new("Address", ColumnKind.Text), new("Phone", ColumnKind.Text), new("Status", ColumnKind.Text), new("LastBatchId", ColumnKind.BigInteger),
        new("UpdatedAt", ColumnKind.Timestamp), new("RowVersion", ColumnKind.BigInteger),
    ];

    public static async Task InsertAsync(OneFormDbContext db, IReadOnlyList<Resident> residents, CancellationToken cancellationToken)
    {
        if (residents.Count == 0)
        {
            return;
        }
        await db.Dialect.BulkInsertAsync(db.Database, "Residents", Columns, residents.Select(r => new object?[]
        {
            r.IdentityHash, r.IdentityProtected, r.IdentityMasked, r.Name, r.Sex.ToString(), r.BirthDate, r.Ethnicity, r.HouseholdNumber,
            r.RelationToHead, r.OrgUnitId, r.Address, r.Phone, r.Status.ToString(), r.LastBatchId, r.UpdatedAt, (long)r.RowVersion,
        }), cancellationToken);
    }
}
