using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OneForm.Data.Migrations.Sqlite
{
    /// <summary>
    /// Records of who did something keep the id only: a report's reporter is its account id (ReporterName held the same
    /// id since names became look-ups), and an audit line keeps one ActorId (the account's id or "token:" and a token's
    /// id where the line had one, else what it was called: "cli:import", "anonymous"…) instead of an id beside a name.
    /// </summary>
    public partial class ActorIdsOnly : Migration
    {
        private const string NoUpdate =
            "CREATE TRIGGER AuditEntries_no_update BEFORE UPDATE ON AuditEntries BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Columns are dropped in place (SQLite's own DROP COLUMN, neither column is indexed or in a trigger) rather
            // than by EF's copy-and-rename of the table, which would drop the audit trail's triggers with the old table.
            migrationBuilder.Sql("ALTER TABLE Reports DROP COLUMN ReporterName;");

            // The trail is append-only by triggers. Only the update trigger steps aside, for this one rewrite of who did
            // each line (its id replaces its name), and is put back at once, in the same transaction.
            migrationBuilder.Sql("DROP TRIGGER AuditEntries_no_update;");
            migrationBuilder.Sql("UPDATE AuditEntries SET ActorName = ActorUserId WHERE ActorUserId IS NOT NULL;");
            migrationBuilder.Sql(NoUpdate);
            migrationBuilder.Sql("ALTER TABLE AuditEntries DROP COLUMN ActorUserId;");

            migrationBuilder.RenameColumn(
                name: "ActorName",
                table: "AuditEntries",
                newName: "ActorId");

            migrationBuilder.RenameIndex(
                name: "IX_AuditEntries_ActorName",
                table: "AuditEntries",
                newName: "IX_AuditEntries_ActorId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "ActorId",
                table: "AuditEntries",
                newName: "ActorName");

            migrationBuilder.RenameIndex(
                name: "IX_AuditEntries_ActorId",
                table: "AuditEntries",
                newName: "IX_AuditEntries_ActorName");

            migrationBuilder.Sql("ALTER TABLE AuditEntries ADD COLUMN ActorUserId TEXT NULL;");
            // Names are not kept, so the old name column keeps the id where the line was by an account or a token.
            migrationBuilder.Sql("DROP TRIGGER AuditEntries_no_update;");
            migrationBuilder.Sql("UPDATE AuditEntries SET ActorUserId = ActorName WHERE ActorName LIKE 'token:%' OR ActorName IN (SELECT Id FROM AspNetUsers);");
            migrationBuilder.Sql(NoUpdate);

            migrationBuilder.AddColumn<string>(
                name: "ReporterName",
                table: "Reports",
                type: "TEXT",
                maxLength: 256,
                nullable: false,
                defaultValue: "");
            migrationBuilder.Sql("UPDATE Reports SET ReporterName = ReporterUserId;");
        }
    }
}
