using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class KnowledgeCrawl : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "CrawlMaxDepth",
                table: "KnowledgeSources",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "CrawlMaxPages",
                table: "KnowledgeSources",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PageCount",
                table: "KnowledgeSources",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // URL sources read before crawling existed took their text from one page.
            migrationBuilder.Sql("UPDATE \"KnowledgeSources\" SET \"PageCount\" = 1 WHERE \"Type\" = 'url' AND \"Status\" = 'ready';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CrawlMaxDepth",
                table: "KnowledgeSources");

            migrationBuilder.DropColumn(
                name: "CrawlMaxPages",
                table: "KnowledgeSources");

            migrationBuilder.DropColumn(
                name: "PageCount",
                table: "KnowledgeSources");
        }
    }
}
