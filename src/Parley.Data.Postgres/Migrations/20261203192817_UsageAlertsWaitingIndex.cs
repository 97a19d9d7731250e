using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class UsageAlertsWaitingIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_UsageLimitAlerts_Period_Threshold",
                table: "UsageLimitAlerts",
                columns: new[] { "Period", "Threshold" },
                filter: "\"EventId\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_UsageLimitAlerts_Period_Threshold",
                table: "UsageLimitAlerts");
        }
    }
}
