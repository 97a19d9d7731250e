using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AssignmentRulesUsageAlertsAndDraftAuthor : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "AwaitingAgentSince",
                table: "Conversations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "FlowDraftUpdatedAt",
                table: "Bots",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FlowDraftUpdatedBy",
                table: "Bots",
                type: "TEXT",
                maxLength: 40,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AssignmentRules",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    WorkspaceId = table.Column<string>(type: "TEXT", nullable: false),
                    Capacity = table.Column<int>(type: "INTEGER", nullable: true),
                    AutoAssign = table.Column<bool>(type: "INTEGER", nullable: false),
                    ReassignAfterMinutes = table.Column<int>(type: "INTEGER", nullable: true),
                    LastAssignedAgentId = table.Column<string>(type: "TEXT", nullable: true),
                    LeaseOwner = table.Column<string>(type: "TEXT", nullable: true),
                    LeaseUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssignmentRules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "UsageLimitAlerts",
                columns: table => new
                {
                    WorkspaceId = table.Column<string>(type: "TEXT", nullable: false),
                    Period = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                    Metric = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Threshold = table.Column<int>(type: "INTEGER", nullable: false),
                    Value = table.Column<long>(type: "INTEGER", nullable: false),
                    Limit = table.Column<long>(type: "INTEGER", nullable: false),
                    EventId = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UsageLimitAlerts", x => new { x.WorkspaceId, x.Period, x.Metric, x.Threshold });
                });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ConversationId",
                table: "Leads",
                column: "ConversationId");

            migrationBuilder.CreateIndex(
                name: "IX_Events_ConversationId_Type",
                table: "Events",
                columns: new[] { "ConversationId", "Type" });

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentRules_WorkspaceId",
                table: "AssignmentRules",
                column: "WorkspaceId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AssignmentRules");

            migrationBuilder.DropTable(
                name: "UsageLimitAlerts");

            migrationBuilder.DropIndex(
                name: "IX_Leads_ConversationId",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Events_ConversationId_Type",
                table: "Events");

            migrationBuilder.DropColumn(
                name: "AwaitingAgentSince",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "FlowDraftUpdatedAt",
                table: "Bots");

            migrationBuilder.DropColumn(
                name: "FlowDraftUpdatedBy",
                table: "Bots");
        }
    }
}
