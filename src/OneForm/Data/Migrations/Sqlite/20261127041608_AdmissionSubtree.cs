using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OneForm.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AdmissionSubtree : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "TargetSubtreePath",
                table: "Forms",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "SubtreeUnitId",
                table: "AdmissionRequests",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_AdmissionRequests_SubtreeUnitId",
                table: "AdmissionRequests",
                column: "SubtreeUnitId");

            migrationBuilder.AddForeignKey(
                name: "FK_AdmissionRequests_OrgUnits_SubtreeUnitId",
                table: "AdmissionRequests",
                column: "SubtreeUnitId",
                principalTable: "OrgUnits",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_AdmissionRequests_OrgUnits_SubtreeUnitId",
                table: "AdmissionRequests");

            migrationBuilder.DropIndex(
                name: "IX_AdmissionRequests_SubtreeUnitId",
                table: "AdmissionRequests");

            migrationBuilder.DropColumn(
                name: "TargetSubtreePath",
                table: "Forms");

            migrationBuilder.DropColumn(
                name: "SubtreeUnitId",
                table: "AdmissionRequests");
        }
    }
}
