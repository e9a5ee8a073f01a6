using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace OneForm.Data.Migrations.Postgres
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
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    GranteeDepartmentId = table.Column<int>(type: "integer", nullable: false),
                    OwnerDepartmentId = table.Column<int>(type: "integer", nullable: false),
                    SubtreePath = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    FromYear = table.Column<int>(type: "integer", nullable: false),
                    ToYear = table.Column<int>(type: "integer", nullable: false),
                    PeriodFrom = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    PeriodUntil = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Purpose = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    PersonLevel = table.Column<bool>(type: "boolean", nullable: false),
                    Unmasked = table.Column<bool>(type: "boolean", nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ExpiresOn = table.Column<DateOnly>(type: "date", nullable: true),
                    RequestedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    RequestedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DecidedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DecisionNote = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    RowVersion = table.Column<long>(type: "bigint", nullable: false)
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
                    GrantId = table.Column<int>(type: "integer", nullable: false),
                    DataElementId = table.Column<int>(type: "integer", nullable: false)
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
