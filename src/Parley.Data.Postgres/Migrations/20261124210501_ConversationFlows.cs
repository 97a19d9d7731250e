using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ConversationFlows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "FlowStateJson",
                table: "Conversations",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "FlowVersion",
                table: "Conversations",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FlowDraftJson",
                table: "Bots",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FlowVersions",
                table: "Bots",
                type: "text",
                nullable: false,
                defaultValue: "[]");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "FlowStateJson",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "FlowVersion",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "FlowDraftJson",
                table: "Bots");

            migrationBuilder.DropColumn(
                name: "FlowVersions",
                table: "Bots");
        }
    }
}
