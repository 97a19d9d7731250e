using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class AssignmentRulesUsageAlertsAndDraftAuthor : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "AwaitingAgentSince",
                table: "Conversations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "FlowDraftUpdatedAt",
                table: "Bots",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FlowDraftUpdatedBy",
                table: "Bots",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AssignmentRules",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    WorkspaceId = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Capacity = table.Column<int>(type: "integer", nullable: true),
                    AutoAssign = table.Column<bool>(type: "boolean", nullable: false),
                    ReassignAfterMinutes = table.Column<int>(type: "integer", nullable: true),
                    LastAssignedAgentId = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    LeaseOwner = table.Column<string>(type: "text", nullable: true),
                    LeaseUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssignmentRules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "UsageLimitAlerts",
                columns: table => new
                {
                    WorkspaceId = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Period = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    Metric = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Threshold = table.Column<int>(type: "integer", nullable: false),
                    Value = table.Column<long>(type: "bigint", nullable: false),
                    Limit = table.Column<long>(type: "bigint", nullable: false),
                    EventId = table.Column<string>(type: "text", nullable: true, collation: "C")
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
