using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AnalyticsDailyRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AnalyticsDailyRollups",
                columns: table => new
                {
                    WorkspaceId = table.Column<string>(type: "TEXT", nullable: false),
                    BotId = table.Column<string>(type: "TEXT", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ConversationsStarted = table.Column<int>(type: "INTEGER", nullable: false),
                    EngagedConversations = table.Column<int>(type: "INTEGER", nullable: false),
                    VisitorMessages = table.Column<int>(type: "INTEGER", nullable: false),
                    BotMessages = table.Column<int>(type: "INTEGER", nullable: false),
                    AgentMessages = table.Column<int>(type: "INTEGER", nullable: false),
                    QuestionsAnswered = table.Column<int>(type: "INTEGER", nullable: false),
                    QuestionsUnanswered = table.Column<int>(type: "INTEGER", nullable: false),
                    HandoffsRequested = table.Column<int>(type: "INTEGER", nullable: false),
                    HandoffsAnswered = table.Column<int>(type: "INTEGER", nullable: false),
                    HandoffWaitSecondsTotal = table.Column<double>(type: "REAL", nullable: false),
                    HandoffWaitSeconds = table.Column<string>(type: "TEXT", nullable: false),
                    ConversationsClosed = table.Column<int>(type: "INTEGER", nullable: false),
                    LeadsCaptured = table.Column<int>(type: "INTEGER", nullable: false),
                    BookingsMade = table.Column<int>(type: "INTEGER", nullable: false),
                    GuardrailFlags = table.Column<string>(type: "TEXT", nullable: false),
                    Tokens = table.Column<string>(type: "TEXT", nullable: false),
                    StageLatency = table.Column<string>(type: "TEXT", nullable: false),
                    ComputedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AnalyticsDailyRollups", x => new { x.WorkspaceId, x.Day, x.BotId });
                });

            migrationBuilder.CreateTable(
                name: "AnalyticsRollupStates",
                columns: table => new
                {
                    WorkspaceId = table.Column<string>(type: "TEXT", nullable: false),
                    RolledUpThrough = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AnalyticsRollupStates", x => x.WorkspaceId);
                });

            migrationBuilder.CreateTable(
                name: "AnalyticsStaleDays",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    WorkspaceId = table.Column<string>(type: "TEXT", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AnalyticsStaleDays", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AnalyticsStaleDays_WorkspaceId_Day",
                table: "AnalyticsStaleDays",
                columns: new[] { "WorkspaceId", "Day" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AnalyticsDailyRollups");

            migrationBuilder.DropTable(
                name: "AnalyticsRollupStates");

            migrationBuilder.DropTable(
                name: "AnalyticsStaleDays");
        }
    }
}
