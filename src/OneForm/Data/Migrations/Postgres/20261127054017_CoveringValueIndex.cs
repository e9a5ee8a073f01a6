using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OneForm.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CoveringValueIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_DataValues_OrgUnitId_PeriodCode",
                table: "DataValues");

            migrationBuilder.CreateIndex(
                name: "IX_DataValues_OrgUnitId_PeriodCode",
                table: "DataValues",
                columns: new[] { "OrgUnitId", "PeriodCode" })
                .Annotation("Npgsql:IndexInclude", new[] { "DataElementId", "Number" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_DataValues_OrgUnitId_PeriodCode",
                table: "DataValues");

            migrationBuilder.CreateIndex(
                name: "IX_DataValues_OrgUnitId_PeriodCode",
                table: "DataValues",
                columns: new[] { "OrgUnitId", "PeriodCode" });
        }
    }
}
