using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OneForm.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Rosters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "RosterAttributeElementId",
                table: "FormSections",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RosterAttributeValue",
                table: "FormSections",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RosterMaxAge",
                table: "FormSections",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RosterMinAge",
                table: "FormSections",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RosterAttributeElementId",
                table: "FormSections");

            migrationBuilder.DropColumn(
                name: "RosterAttributeValue",
                table: "FormSections");

            migrationBuilder.DropColumn(
                name: "RosterMaxAge",
                table: "FormSections");

            migrationBuilder.DropColumn(
                name: "RosterMinAge",
                table: "FormSections");
        }
    }
}
