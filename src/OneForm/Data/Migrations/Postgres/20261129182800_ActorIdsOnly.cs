using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OneForm.Data.Migrations.Postgres
{
    /// <summary>
    /// Records of who did something keep the id only: a report's reporter is its account id (ReporterName held the same
    /// id since names became look-ups), and an audit line keeps one ActorId (the account's id or "token:" and a token's
    /// id where the line had one, else what it was called: "cli:import", "anonymous"…) instead of an id beside a name.
    /// </summary>
    public partial class ActorIdsOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ReporterName",
                table: "Reports");

            // The trail is append-only by a trigger. It steps aside for this one rewrite of who did each line (its id
            // replaces its name) and is back on in the same transaction; dropping and renaming columns fire no row trigger.
            migrationBuilder.Sql("ALTER TABLE \"AuditEntries\" DISABLE TRIGGER audit_entries_append_only;");
            migrationBuilder.Sql("UPDATE \"AuditEntries\" SET \"ActorName\" = \"ActorUserId\" WHERE \"ActorUserId\" IS NOT NULL;");
            migrationBuilder.Sql("ALTER TABLE \"AuditEntries\" ENABLE TRIGGER audit_entries_append_only;");

            migrationBuilder.DropColumn(
                name: "ActorUserId",
                table: "AuditEntries");

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

            migrationBuilder.AddColumn<string>(
                name: "ActorUserId",
                table: "AuditEntries",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            // Names are not kept, so the old name column keeps the id where the line was by an account or a token.
            migrationBuilder.Sql("ALTER TABLE \"AuditEntries\" DISABLE TRIGGER audit_entries_append_only;");
            migrationBuilder.Sql("UPDATE \"AuditEntries\" SET \"ActorUserId\" = \"ActorName\" WHERE \"ActorName\" LIKE 'token:%' OR \"ActorName\" IN (SELECT \"Id\" FROM \"AspNetUsers\");");
            migrationBuilder.Sql("ALTER TABLE \"AuditEntries\" ENABLE TRIGGER audit_entries_append_only;");

            migrationBuilder.AddColumn<string>(
                name: "ReporterName",
                table: "Reports",
                type: "character varying(256)",
                maxLength: 256,
                nullable: false,
                defaultValue: "");
            migrationBuilder.Sql("UPDATE \"Reports\" SET \"ReporterName\" = \"ReporterUserId\";");
        }
    }
}
