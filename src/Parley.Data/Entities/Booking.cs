namespace Parley.Data.Entities;

/// <summary>An appointment (<c>bk_…</c>) in one slot of a bot's booking calendar.</summary>
public sealed class Booking : IWorkspaceOwned, IHasId
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string BotId { get; init; }
    public string? ContactId { get; set; }
    public string? ConversationId { get; set; }
    public DateTimeOffset Start { get; init; }
    public DateTimeOffset End { get; init; }

    /// <summary>The bot's IANA time zone when booked, for invites and emails.</summary>
    public required string TimeZone { get; init; }

    /// <summary>The seat of the slot this booking holds (0 … capacity − 1) while confirmed.</summary>
    public int Seat { get; set; }

    /// <summary><c>confirmed</c> or <c>cancelled</c>.</summary>
    public required string Status { get; set; }

    /// <summary>Encrypted at rest, like <see cref="Email"/> and <see cref="Phone"/>.</summary>
    public string? Name { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? Notes { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? CancelledAt { get; set; }
    public string? CancelReason { get; set; }
}

/// <summary>
/// One taken seat of one slot. The primary key (bot, slot start, seat) is what makes double booking impossible: two
/// requests for the same seat cannot both commit, on any node.
/// </summary>
public sealed class BookingSlotClaim : IWorkspaceOwned
{
    public required string WorkspaceId { get; init; }
    public required string BotId { get; init; }
    public DateTimeOffset SlotStart { get; init; }
    public int Seat { get; init; }
    public required string BookingId { get; init; }
}
