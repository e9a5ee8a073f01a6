using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OneForm.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Admission : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AdmissionRequests",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DepartmentId = table.Column<int>(type: "INTEGER", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Purpose = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Category = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Cycle = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    TargetLevels = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    DeadlineDays = table.Column<int>(type: "INTEGER", nullable: false),
                    Designer = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ReplacesFormCode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SubmittedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DecisionReasons = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    FormId = table.Column<int>(type: "INTEGER", nullable: true),
                    RowVersion = table.Column<uint>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AdmissionRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AdmissionRequests_Departments_DepartmentId",
                        column: x => x.DepartmentId,
                        principalTable: "Departments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AdmissionRequests_Forms_FormId",
                        column: x => x.FormId,
                        principalTable: "Forms",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ProposedFields",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RequestId = table.Column<int>(type: "INTEGER", nullable: false),
                    Order = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ValueType = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Unit = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Notes = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    AcceptedElementId = table.Column<int>(type: "INTEGER", nullable: true),
                    DeclinedMatches = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProposedFields", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ProposedFields_AdmissionRequests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "AdmissionRequests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ProposedFields_DataElements_AcceptedElementId",
                        column: x => x.AcceptedElementId,
                        principalTable: "DataElements",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AdmissionRequests_DepartmentId",
                table: "AdmissionRequests",
                column: "DepartmentId");

            migrationBuilder.CreateIndex(
                name: "IX_AdmissionRequests_FormId",
                table: "AdmissionRequests",
                column: "FormId");

            migrationBuilder.CreateIndex(
                name: "IX_AdmissionRequests_State_DepartmentId",
                table: "AdmissionRequests",
                columns: new[] { "State", "DepartmentId" });

            migrationBuilder.CreateIndex(
                name: "IX_ProposedFields_AcceptedElementId",
                table: "ProposedFields",
                column: "AcceptedElementId");

            migrationBuilder.CreateIndex(
                name: "IX_ProposedFields_RequestId",
                table: "ProposedFields",
                column: "RequestId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ProposedFields");

            migrationBuilder.DropTable(
                name: "AdmissionRequests");
        }
    }
}
