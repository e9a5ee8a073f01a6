using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace OneForm.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class FieldComments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "FieldComments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FillingTaskId = table.Column<int>(type: "integer", nullable: false),
                    DataElementId = table.Column<int>(type: "integer", nullable: false),
                    Text = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    WrittenBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    WrittenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FieldComments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FieldComments_DataElements_DataElementId",
                        column: x => x.DataElementId,
                        principalTable: "DataElements",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_FieldComments_FillingTasks_FillingTaskId",
                        column: x => x.FillingTaskId,
                        principalTable: "FillingTasks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_FieldComments_DataElementId",
                table: "FieldComments",
                column: "DataElementId");

            migrationBuilder.CreateIndex(
                name: "IX_FieldComments_FillingTaskId",
                table: "FieldComments",
                column: "FillingTaskId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "FieldComments");
        }
    }
}
