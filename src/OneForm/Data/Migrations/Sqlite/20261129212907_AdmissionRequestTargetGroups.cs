using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OneForm.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AdmissionRequestTargetGroups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "TargetGroups",
                table: "AdmissionRequests",
                type: "TEXT",
                maxLength: 200,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "TargetGroups",
                table: "AdmissionRequests");
        }
    }
}
