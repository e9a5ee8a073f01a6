using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OneForm.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AdmissionDecisionAnalysis : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DecisionAnalysis",
                table: "AdmissionRequests",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DecisionAnalysis",
                table: "AdmissionRequests");
        }
    }
}
