namespace Parley.Client.Models;

/// <summary>A booking of a bot's calendar; who booked is null (and <c>PiiHidden</c> true) unless the caller may read it.</summary>
public sealed record BookingResponse(
    string Id, string BotId, string? ContactId, string? ConversationId, DateTimeOffset Start, DateTimeOffset End, string TimeZone,
    string Status, string? Name, string? Email, string? Phone, string? Notes, DateTimeOffset CreatedAt, DateTimeOffset? CancelledAt,
    string? CancelReason, bool PiiHidden);

public sealed record CancelBookingRequest(string? Reason = null);
