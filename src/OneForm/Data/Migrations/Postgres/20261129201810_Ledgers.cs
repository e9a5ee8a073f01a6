using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace OneForm.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Ledgers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LedgerEntryChanges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    LedgerEntryId = table.Column<long>(type: "bigint", nullable: false),
                    OrgUnitId = table.Column<int>(type: "integer", nullable: false),
                    OldValues = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: true),
                    NewValues = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: true),
                    ChangedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    ChangedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LedgerEntryChanges", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LedgerKinds",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    EnglishName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    OwnerDepartmentId = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RowVersion = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LedgerKinds", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LedgerKinds_Departments_OwnerDepartmentId",
                        column: x => x.OwnerDepartmentId,
                        principalTable: "Departments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "LedgerEntries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    LedgerKindId = table.Column<int>(type: "integer", nullable: false),
                    OrgUnitId = table.Column<int>(type: "integer", nullable: false),
                    OccurredOn = table.Column<DateOnly>(type: "date", nullable: false),
                    Values = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RowVersion = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LedgerEntries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LedgerEntries_LedgerKinds_LedgerKindId",
                        column: x => x.LedgerKindId,
                        principalTable: "LedgerKinds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_LedgerEntries_OrgUnits_OrgUnitId",
                        column: x => x.OrgUnitId,
                        principalTable: "OrgUnits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "LedgerFields",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    LedgerKindId = table.Column<int>(type: "integer", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    EnglishName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Required = table.Column<bool>(type: "boolean", nullable: false),
                    Options = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LedgerFields", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LedgerFields_LedgerKinds_LedgerKindId",
                        column: x => x.LedgerKindId,
                        principalTable: "LedgerKinds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "LedgerRules",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    DataElementId = table.Column<int>(type: "integer", nullable: false),
                    Source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    LedgerKindId = table.Column<int>(type: "integer", nullable: true),
                    ActivityKind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    Measure = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    FieldId = table.Column<int>(type: "integer", nullable: true),
                    Filters = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    RowVersion = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LedgerRules", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LedgerRules_DataElements_DataElementId",
                        column: x => x.DataElementId,
                        principalTable: "DataElements",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_LedgerRules_LedgerKinds_LedgerKindId",
                        column: x => x.LedgerKindId,
                        principalTable: "LedgerKinds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LedgerEntries_LedgerKindId_OrgUnitId_OccurredOn",
                table: "LedgerEntries",
                columns: new[] { "LedgerKindId", "OrgUnitId", "OccurredOn" });

            migrationBuilder.CreateIndex(
                name: "IX_LedgerEntries_OrgUnitId",
                table: "LedgerEntries",
                column: "OrgUnitId");

            migrationBuilder.CreateIndex(
                name: "IX_LedgerEntryChanges_LedgerEntryId",
                table: "LedgerEntryChanges",
                column: "LedgerEntryId");

            migrationBuilder.CreateIndex(
                name: "IX_LedgerFields_LedgerKindId_Position",
                table: "LedgerFields",
                columns: new[] { "LedgerKindId", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_LedgerKinds_Name",
                table: "LedgerKinds",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LedgerKinds_OwnerDepartmentId",
                table: "LedgerKinds",
                column: "OwnerDepartmentId");

            migrationBuilder.CreateIndex(
                name: "IX_LedgerRules_DataElementId",
                table: "LedgerRules",
                column: "DataElementId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LedgerRules_LedgerKindId",
                table: "LedgerRules",
                column: "LedgerKindId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LedgerEntries");

            migrationBuilder.DropTable(
                name: "LedgerEntryChanges");

            migrationBuilder.DropTable(
                name: "LedgerFields");

            migrationBuilder.DropTable(
                name: "LedgerRules");

            migrationBuilder.DropTable(
                name: "LedgerKinds");
        }
    }
}
