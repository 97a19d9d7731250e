namespace Parley.Dashboard.Operations.Features.Bookings;

/// <summary>
/// A Monday-to-Sunday week in a bot's time zone: its days, the UTC instants that bound it (for the API's
/// <c>start_after</c> / <c>start_before</c>), and the local day and time of a booking.
/// </summary>
public sealed record BookingWeek(DateOnly Monday, TimeZoneInfo Zone)
{
    public static TimeZoneInfo ZoneOf(string? timeZone)
    {
        try
        {
            return string.IsNullOrEmpty(timeZone) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.Utc;
        }
    }

    /// <summary>The week holding <paramref name="instant"/> in <paramref name="zone"/>.</summary>
    public static BookingWeek Containing(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
        return new BookingWeek(day.AddDays(-(((int)day.DayOfWeek + 6) % 7)), zone);
    }

    public IEnumerable<DateOnly> Days => Enumerable.Range(0, 7).Select(Monday.AddDays);

    public DateTimeOffset StartUtc => Instant(Monday);

    public DateTimeOffset EndUtc => Instant(Monday.AddDays(7));

    public BookingWeek Previous => this with { Monday = Monday.AddDays(-7) };

    public BookingWeek Next => this with { Monday = Monday.AddDays(7) };

    public DateTimeOffset Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    public DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(Local(instant).DateTime);

    // Midnight that does not exist (a daylight-saving jump at 00:00) is taken an hour later.
    private DateTimeOffset Instant(DateOnly day)
    {
        var midnight = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        if (Zone.IsInvalidTime(midnight))
        {
            midnight = midnight.AddHours(1);
        }
        return new DateTimeOffset(midnight, Zone.GetUtcOffset(midnight));
    }
}
