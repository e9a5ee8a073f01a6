using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OneForm.Data.Migrations.Postgres
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
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RosterAttributeValue",
                table: "FormSections",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RosterMaxAge",
                table: "FormSections",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RosterMinAge",
                table: "FormSections",
                type: "integer",
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
