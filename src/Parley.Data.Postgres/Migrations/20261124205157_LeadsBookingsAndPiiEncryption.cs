using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class LeadsBookingsAndPiiEncryption : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "EmailIndex",
                table: "Contacts",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BookingJson",
                table: "Bots",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "BookingSlotClaims",
                columns: table => new
                {
                    BotId = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    SlotStart = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Seat = table.Column<int>(type: "integer", nullable: false),
                    WorkspaceId = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    BookingId = table.Column<string>(type: "text", nullable: false, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BookingSlotClaims", x => new { x.BotId, x.SlotStart, x.Seat });
                });

            migrationBuilder.CreateTable(
                name: "Bookings",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    WorkspaceId = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    BotId = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    ContactId = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    ConversationId = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    End = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    TimeZone = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Seat = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Name = table.Column<string>(type: "text", nullable: true),
                    Email = table.Column<string>(type: "text", nullable: true),
                    Phone = table.Column<string>(type: "text", nullable: true),
                    Notes = table.Column<string>(type: "text", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CancelledAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CancelReason = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Bookings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "EncryptionKeys",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false, collation: "C"),
                    ProtectedKey = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EncryptionKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Leads",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    WorkspaceId = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    BotId = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    ConversationId = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    ContactId = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Name = table.Column<string>(type: "text", nullable: true),
                    Email = table.Column<string>(type: "text", nullable: true),
                    Phone = table.Column<string>(type: "text", nullable: true),
                    Company = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Custom = table.Column<string>(type: "text", nullable: false),
                    EmailIndex = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Score = table.Column<int>(type: "integer", nullable: false),
                    PageUrl = table.Column<string>(type: "text", nullable: true),
                    Referrer = table.Column<string>(type: "text", nullable: true),
                    Utm = table.Column<string>(type: "text", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Leads", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_WorkspaceId_EmailIndex",
                table: "Contacts",
                columns: new[] { "WorkspaceId", "EmailIndex" });

            migrationBuilder.CreateIndex(
                name: "IX_BookingSlotClaims_BookingId",
                table: "BookingSlotClaims",
                column: "BookingId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Bookings_WorkspaceId_BotId_Start",
                table: "Bookings",
                columns: new[] { "WorkspaceId", "BotId", "Start" });

            migrationBuilder.CreateIndex(
                name: "IX_Bookings_WorkspaceId_Id",
                table: "Bookings",
                columns: new[] { "WorkspaceId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_WorkspaceId_EmailIndex",
                table: "Leads",
                columns: new[] { "WorkspaceId", "EmailIndex" },
                unique: true,
                filter: "\"EmailIndex\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_WorkspaceId_Id",
                table: "Leads",
                columns: new[] { "WorkspaceId", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BookingSlotClaims");

            migrationBuilder.DropTable(
                name: "Bookings");

            migrationBuilder.DropTable(
                name: "EncryptionKeys");

            migrationBuilder.DropTable(
                name: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Contacts_WorkspaceId_EmailIndex",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "EmailIndex",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "BookingJson",
                table: "Bots");
        }
    }
}
