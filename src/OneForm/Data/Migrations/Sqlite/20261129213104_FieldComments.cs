using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OneForm.Data.Migrations.Sqlite
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FillingTaskId = table.Column<int>(type: "INTEGER", nullable: false),
                    DataElementId = table.Column<int>(type: "INTEGER", nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    WrittenBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    WrittenAt = table.Column<long>(type: "INTEGER", nullable: false)
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
