using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Parley.Data.Entities;

namespace Parley.Server.Features.Bookings;

/// <summary>
/// The iCalendar invite of a booking (Ical.Net): start and end in the calendar's time zone with its TZID and a
/// VTIMEZONE, so calendar apps show the local time the slot was offered in, across daylight-saving changes.
/// </summary>
public static class BookingInvite
{
    public const string ContentType = "text/calendar";

    public static string For(Booking booking, string botName)
    {
        ArgumentNullException.ThrowIfNull(booking);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(booking.TimeZone);
        var calendar = new Calendar { Method = booking.Status == BookingStatus.Cancelled ? "CANCEL" : "PUBLISH" };
        calendar.AddTimeZone(booking.TimeZone);
        var appointment = new CalendarEvent
        {
            Uid = booking.Id + "@parley",
            Summary = $"Appointment with {botName}",
            Description = booking.Notes,
            DtStart = new CalDateTime(TimeZoneInfo.ConvertTime(booking.Start, zone).DateTime, booking.TimeZone),
            DtEnd = new CalDateTime(TimeZoneInfo.ConvertTime(booking.End, zone).DateTime, booking.TimeZone),
            DtStamp = new CalDateTime(booking.CreatedAt.UtcDateTime, "UTC"),
            Status = booking.Status == BookingStatus.Cancelled ? "CANCELLED" : "CONFIRMED",
            Sequence = booking.Status == BookingStatus.Cancelled ? 1 : 0,
        };
        calendar.Events.Add(appointment);
        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }
}
