using Parley.Data.Entities;

namespace Parley.Server.Features.Bookings;

/// <summary>Opening hours of one day, local time.</summary>
public sealed record TimeRangeDto(string? Start = null, string? End = null);

/// <summary>
/// A bot's booking calendar (the <c>booking</c> object of a bot). <c>weekly_hours</c> is keyed by day
/// (<c>monday</c> … <c>sunday</c>); times are local to <c>time_zone</c> (IANA).
/// </summary>
public sealed record BookingSettingsDto(
    string? TimeZone = null,
    Dictionary<string, List<TimeRangeDto>>? WeeklyHours = null,
    int? SlotMinutes = null,
    int? BufferMinutes = null,
    int? MinimumNoticeMinutes = null,
    int? HorizonDays = null,
    List<string>? ClosedDates = null,
    int? Capacity = null);

/// <summary>A free slot and how many more bookings it takes.</summary>
public sealed record BookingSlot(DateTimeOffset Start, DateTimeOffset End, int Remaining);

public sealed record AvailabilityResponse(string BotId, string TimeZone, IReadOnlyList<BookingSlot> Data);

/// <summary>What the <c>book appointment</c> block (or the API) asks for: a slot start and who books it.</summary>
public sealed record BookingRequest(string BotId, DateTimeOffset Start, string? ContactId, string? ConversationId,
    string? Name, string? Email, string? Phone, string? Notes);

/// <summary>The result of a booking attempt.</summary>
public abstract record BookingOutcome
{
    private BookingOutcome()
    {
    }

    /// <summary>The slot was free; the booking is committed.</summary>
    public sealed record Booked(string BookingId, DateTimeOffset Start, DateTimeOffset End, string TimeZone, int Seat) : BookingOutcome;

    /// <summary>The slot is full, too soon or beyond the horizon: nothing was written.</summary>
    public sealed record SlotUnavailable(string Reason) : BookingOutcome;

    /// <summary>The request cannot be booked at all (unknown bot, no calendar, not a slot start, bad field).</summary>
    public sealed record Invalid(string Field, string Reason) : BookingOutcome;
}

/// <summary>Book a slot of a bot's calendar. Name, email or phone say who comes.</summary>
public sealed record CreateBookingRequest(
    string? BotId = null, DateTimeOffset? Start = null, string? ContactId = null, string? ConversationId = null,
    string? Name = null, string? Email = null, string? Phone = null, string? Notes = null);

public sealed record CancelBookingRequest(string? Reason = null);

public sealed record BookingResponse(
    string Id,
    string BotId,
    string? ContactId,
    string? ConversationId,
    DateTimeOffset Start,
    DateTimeOffset End,
    string TimeZone,
    string Status,
    string? Name,
    string? Email,
    string? Phone,
    string? Notes,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CancelledAt,
    string? CancelReason,
    bool PiiHidden)
{
    public static BookingResponse From(Booking b) => From(b, piiVisible: true);

    /// <summary>
    /// The booking as a caller sees it: without <paramref name="piiVisible"/> (a viewer, a narrow key) name, email,
    /// phone and notes are null and <c>pii_hidden</c> is true, as on contacts.
    /// </summary>
    public static BookingResponse From(Booking b, bool piiVisible) => new(
        b.Id, b.BotId, b.ContactId, b.ConversationId, b.Start, b.End, b.TimeZone, b.Status,
        piiVisible ? b.Name : null, piiVisible ? b.Email : null, piiVisible ? b.Phone : null, piiVisible ? b.Notes : null,
        b.CreatedAt, b.CancelledAt, b.CancelReason, !piiVisible);
}

public static class BookingStatus
{
    public const string Confirmed = "confirmed";
    public const string Cancelled = "cancelled";
}
