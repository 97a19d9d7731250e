using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Postgres.Migrations
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
                    WorkspaceId = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    BotId = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    ConversationsStarted = table.Column<int>(type: "integer", nullable: false),
                    EngagedConversations = table.Column<int>(type: "integer", nullable: false),
                    VisitorMessages = table.Column<int>(type: "integer", nullable: false),
                    BotMessages = table.Column<int>(type: "integer", nullable: false),
                    AgentMessages = table.Column<int>(type: "integer", nullable: false),
                    QuestionsAnswered = table.Column<int>(type: "integer", nullable: false),
                    QuestionsUnanswered = table.Column<int>(type: "integer", nullable: false),
                    HandoffsRequested = table.Column<int>(type: "integer", nullable: false),
                    HandoffsAnswered = table.Column<int>(type: "integer", nullable: false),
                    HandoffWaitSecondsTotal = table.Column<double>(type: "double precision", nullable: false),
                    HandoffWaitSeconds = table.Column<string>(type: "text", nullable: false),
                    ConversationsClosed = table.Column<int>(type: "integer", nullable: false),
                    LeadsCaptured = table.Column<int>(type: "integer", nullable: false),
                    BookingsMade = table.Column<int>(type: "integer", nullable: false),
                    GuardrailFlags = table.Column<string>(type: "text", nullable: false),
                    Tokens = table.Column<string>(type: "text", nullable: false),
                    StageLatency = table.Column<string>(type: "text", nullable: false),
                    ComputedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AnalyticsDailyRollups", x => new { x.WorkspaceId, x.Day, x.BotId });
                });

            migrationBuilder.CreateTable(
                name: "AnalyticsRollupStates",
                columns: table => new
                {
                    WorkspaceId = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    RolledUpThrough = table.Column<DateOnly>(type: "date", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AnalyticsRollupStates", x => x.WorkspaceId);
                });

            migrationBuilder.CreateTable(
                name: "AnalyticsStaleDays",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    WorkspaceId = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
