using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ConversationListFilters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Leads_ConversationId",
                table: "Leads",
                column: "ConversationId");

            migrationBuilder.CreateIndex(
                name: "IX_Events_ConversationId_Type",
                table: "Events",
                columns: new[] { "ConversationId", "Type" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_ConversationId",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Events_ConversationId_Type",
                table: "Events");
        }
    }
}
