using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OneForm.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EvidenceInFileStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Evidence moves from a bytes column to the file store, which SQL cannot reach. No installation holds
            // reports yet (only demo and test databases), so the bytes are dropped rather than moved by a start-up step.
            migrationBuilder.DropColumn(
                name: "Content",
                table: "ReportEvidence");

            migrationBuilder.AddColumn<string>(
                name: "StoredKey",
                table: "ReportEvidence",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                defaultValue: "");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "StoredKey",
                table: "ReportEvidence");

            migrationBuilder.AddColumn<byte[]>(
                name: "Content",
                table: "ReportEvidence",
                type: "BLOB",
                nullable: false,
                defaultValue: new byte[0]);
        }
    }
}
