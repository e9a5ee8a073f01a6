using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace OneForm.Data.Migrations.Postgres
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
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    DepartmentId = table.Column<int>(type: "integer", nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Purpose = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Category = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Cycle = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    TargetLevels = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    DeadlineDays = table.Column<int>(type: "integer", nullable: false),
                    Designer = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ReplacesFormCode = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    SubmittedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DecidedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DecisionReasons = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    FormId = table.Column<int>(type: "integer", nullable: true),
                    RowVersion = table.Column<long>(type: "bigint", nullable: false)
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
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RequestId = table.Column<int>(type: "integer", nullable: false),
                    Order = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ValueType = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Unit = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    Notes = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    AcceptedElementId = table.Column<int>(type: "integer", nullable: true),
                    DeclinedMatches = table.Column<bool>(type: "boolean", nullable: false)
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
