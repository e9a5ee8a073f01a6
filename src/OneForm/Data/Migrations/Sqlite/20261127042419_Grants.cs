using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OneForm.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Grants : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DataGrants",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    GranteeDepartmentId = table.Column<int>(type: "INTEGER", nullable: false),
                    OwnerDepartmentId = table.Column<int>(type: "INTEGER", nullable: false),
                    SubtreePath = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    FromYear = table.Column<int>(type: "INTEGER", nullable: false),
                    ToYear = table.Column<int>(type: "INTEGER", nullable: false),
                    PeriodFrom = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    PeriodUntil = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Purpose = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    PersonLevel = table.Column<bool>(type: "INTEGER", nullable: false),
                    Unmasked = table.Column<bool>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ExpiresOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DecisionNote = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    RowVersion = table.Column<uint>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataGrants", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DataGrants_Departments_GranteeDepartmentId",
                        column: x => x.GranteeDepartmentId,
                        principalTable: "Departments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_DataGrants_Departments_OwnerDepartmentId",
                        column: x => x.OwnerDepartmentId,
                        principalTable: "Departments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "GrantElement",
                columns: table => new
                {
                    GrantId = table.Column<int>(type: "INTEGER", nullable: false),
                    DataElementId = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GrantElement", x => new { x.GrantId, x.DataElementId });
                    table.ForeignKey(
                        name: "FK_GrantElement_DataElements_DataElementId",
                        column: x => x.DataElementId,
                        principalTable: "DataElements",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_GrantElement_DataGrants_GrantId",
                        column: x => x.GrantId,
                        principalTable: "DataGrants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DataGrants_GranteeDepartmentId_State",
                table: "DataGrants",
                columns: new[] { "GranteeDepartmentId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_DataGrants_OwnerDepartmentId",
                table: "DataGrants",
                column: "OwnerDepartmentId");

            migrationBuilder.CreateIndex(
                name: "IX_GrantElement_DataElementId",
                table: "GrantElement",
                column: "DataElementId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "GrantElement");

            migrationBuilder.DropTable(
                name: "DataGrants");
        }
    }
}
