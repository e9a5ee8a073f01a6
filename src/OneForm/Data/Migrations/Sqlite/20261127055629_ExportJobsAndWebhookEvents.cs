using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OneForm.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ExportJobsAndWebhookEvents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Events",
                table: "WebhookEndpoints",
                type: "TEXT",
                maxLength: 100,
                nullable: false,
                defaultValue: "values.changed,submission.accepted");

            migrationBuilder.CreateTable(
                name: "ExportJobs",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    OrgUnitId = table.Column<int>(type: "INTEGER", nullable: true),
                    OrgUnitPath = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    DepartmentId = table.Column<int>(type: "INTEGER", nullable: true),
                    Query = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Format = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    RowsDone = table.Column<long>(type: "INTEGER", nullable: false),
                    RowsTotal = table.Column<long>(type: "INTEGER", nullable: false),
                    Error = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    StoredName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Bytes = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    HeartbeatAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExportJobs", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ExportJobs_RequestedBy_Id",
                table: "ExportJobs",
                columns: new[] { "RequestedBy", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ExportJobs_State",
                table: "ExportJobs",
                column: "State");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ExportJobs");

            migrationBuilder.DropColumn(
                name: "Events",
                table: "WebhookEndpoints");
        }
    }
}
