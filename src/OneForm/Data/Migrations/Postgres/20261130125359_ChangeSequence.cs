using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OneForm.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ChangeSequence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "Sequence",
                table: "DataValueChanges",
                type: "bigint",
                nullable: true);

            // The changes stored before this migration committed long ago, in id order: each keeps its id as its place,
            // so a reader's cursor from before the upgrade goes on where it was.
            migrationBuilder.Sql("UPDATE \"DataValueChanges\" SET \"Sequence\" = \"Id\"");

            migrationBuilder.CreateIndex(
                name: "IX_DataValueChanges_Sequence",
                table: "DataValueChanges",
                column: "Sequence",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DataValueChanges_Unplaced",
                table: "DataValueChanges",
                column: "Id",
                filter: "\"Sequence\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_DataValueChanges_Sequence",
                table: "DataValueChanges");

            migrationBuilder.DropIndex(
                name: "IX_DataValueChanges_Unplaced",
                table: "DataValueChanges");

            migrationBuilder.DropColumn(
                name: "Sequence",
                table: "DataValueChanges");
        }
    }
}
