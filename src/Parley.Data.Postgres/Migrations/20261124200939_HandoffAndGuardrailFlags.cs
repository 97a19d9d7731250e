using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class HandoffAndGuardrailFlags : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AuthorKeyId",
                table: "Messages",
                type: "text",
                nullable: true,
                collation: "C");

            migrationBuilder.AddColumn<string>(
                name: "Flags",
                table: "Messages",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "AssignedAt",
                table: "Conversations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AssignedKeyId",
                table: "Conversations",
                type: "text",
                nullable: true,
                collation: "C");

            migrationBuilder.AddColumn<bool>(
                name: "AwaitingContactDetails",
                table: "Conversations",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "FirstAgentReplyAt",
                table: "Conversations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HandoffReason",
                table: "Conversations",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "HandoffRequestedAt",
                table: "Conversations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ResolvedAt",
                table: "Conversations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_WorkspaceId_Status_HandoffRequestedAt",
                table: "Conversations",
                columns: new[] { "WorkspaceId", "Status", "HandoffRequestedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Conversations_WorkspaceId_Status_HandoffRequestedAt",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "AuthorKeyId",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "Flags",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "AssignedAt",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "AssignedKeyId",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "AwaitingContactDetails",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "FirstAgentReplyAt",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "HandoffReason",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "HandoffRequestedAt",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "ResolvedAt",
                table: "Conversations");
        }
    }
}
