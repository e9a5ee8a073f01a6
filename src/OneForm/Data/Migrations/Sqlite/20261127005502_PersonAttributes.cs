using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OneForm.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PersonAttributes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "AttributeElementId",
                table: "DerivationRules",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AttributeValue",
                table: "DerivationRules",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "PersonAttributes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ResidentId = table.Column<long>(type: "INTEGER", nullable: false),
                    DataElementId = table.Column<int>(type: "INTEGER", nullable: false),
                    Value = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastBatchId = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PersonAttributes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PersonAttributes_DataElements_DataElementId",
                        column: x => x.DataElementId,
                        principalTable: "DataElements",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_PersonAttributes_Residents_ResidentId",
                        column: x => x.ResidentId,
                        principalTable: "Residents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DerivationRules_AttributeElementId",
                table: "DerivationRules",
                column: "AttributeElementId");

            migrationBuilder.CreateIndex(
                name: "IX_PersonAttributes_DataElementId_Value",
                table: "PersonAttributes",
                columns: new[] { "DataElementId", "Value" });

            migrationBuilder.CreateIndex(
                name: "IX_PersonAttributes_ResidentId_DataElementId",
                table: "PersonAttributes",
                columns: new[] { "ResidentId", "DataElementId" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_DerivationRules_DataElements_AttributeElementId",
                table: "DerivationRules",
                column: "AttributeElementId",
                principalTable: "DataElements",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_DerivationRules_DataElements_AttributeElementId",
                table: "DerivationRules");

            migrationBuilder.DropTable(
                name: "PersonAttributes");

            migrationBuilder.DropIndex(
                name: "IX_DerivationRules_AttributeElementId",
                table: "DerivationRules");

            migrationBuilder.DropColumn(
                name: "AttributeElementId",
                table: "DerivationRules");

            migrationBuilder.DropColumn(
                name: "AttributeValue",
                table: "DerivationRules");
        }
    }
}
