using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class KnowledgeChunkVectors : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "KnowledgeChunkVectors",
                columns: table => new
                {
                    ChunkId = table.Column<long>(type: "INTEGER", nullable: false),
                    WorkspaceId = table.Column<string>(type: "TEXT", nullable: false),
                    BotId = table.Column<string>(type: "TEXT", nullable: false),
                    Model = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ContentHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Vector = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KnowledgeChunkVectors", x => x.ChunkId);
                    table.ForeignKey(
                        name: "FK_KnowledgeChunkVectors_KnowledgeChunks_ChunkId",
                        column: x => x.ChunkId,
                        principalTable: "KnowledgeChunks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_KnowledgeChunkVectors_BotId_ContentHash",
                table: "KnowledgeChunkVectors",
                columns: new[] { "BotId", "ContentHash" });

            migrationBuilder.CreateIndex(
                name: "IX_KnowledgeChunkVectors_BotId_Model",
                table: "KnowledgeChunkVectors",
                columns: new[] { "BotId", "Model" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "KnowledgeChunkVectors");
        }
    }
}
