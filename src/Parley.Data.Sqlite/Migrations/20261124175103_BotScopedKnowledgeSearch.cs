using Microsoft.EntityFrameworkCore.Migrations;
using Parley.Data.Providers;

#nullable disable

namespace Parley.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class BotScopedKnowledgeSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(KnowledgeSearchSql.SqliteDrop);
            migrationBuilder.Sql(KnowledgeSearchSql.SqliteCreateBotScoped);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(KnowledgeSearchSql.SqliteDrop);
            migrationBuilder.Sql(KnowledgeSearchSql.SqliteCreateRebuilt);
        }
    }
}
