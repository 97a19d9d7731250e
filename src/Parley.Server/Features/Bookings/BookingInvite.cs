using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Server.Features.Notifications;
using Parley.Server.Infrastructure.Http;

namespace Parley.Server.Features.Bookings;

/// <summary>
/// The iCalendar invite of a booking (Ical.Net): start and end in the calendar's time zone with its TZID and a
/// VTIMEZONE, so calendar apps show the local time the slot was offered in, across daylight-saving changes.
/// </summary>
public static class BookingInvite
{
    public const string ContentType = "text/calendar";

    /// <summary>The invite; the booking's notes are its description only when <paramref name="withNotes"/> (they are personal data).</summary>
    public static string For(Booking booking, string botName, bool withNotes)
    {
        ArgumentNullException.ThrowIfNull(booking);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(booking.TimeZone);
        var calendar = new Calendar { Method = booking.Status == BookingStatus.Cancelled ? "CANCEL" : "PUBLISH" };
        calendar.AddTimeZone(booking.TimeZone);
        var appointment = new CalendarEvent
        {
            Uid = booking.Id + "@parley",
            Summary = $"Appointment with {botName}",
            Description = withNotes ? booking.Notes : null,
            DtStart = new CalDateTime(TimeZoneInfo.ConvertTime(booking.Start, zone).DateTime, booking.TimeZone),
            DtEnd = new CalDateTime(TimeZoneInfo.ConvertTime(booking.End, zone).DateTime, booking.TimeZone),
            DtStamp = new CalDateTime(booking.CreatedAt.UtcDateTime, "UTC"),
            Status = booking.Status == BookingStatus.Cancelled ? "CANCELLED" : "CONFIRMED",
            Sequence = booking.Status == BookingStatus.Cancelled ? 1 : 0,
        };
        calendar.Events.Add(appointment);
        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }

    /// <summary>The invite of the booking in a <c>booking.created</c> event, for the confirmation email.</summary>
    public static async Task<EmailAttachment> AttachmentAsync(ParleyDbContext db, string dataJson, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var data = JsonSerializer.Deserialize<BookingResponse>(dataJson, ApiJson.Options)!;
        var botName = await db.Bots.IgnoreQueryFilters().Where(b => b.Id == data.BotId).Select(b => b.Name).FirstOrDefaultAsync(cancellationToken) ?? "us";
        var booking = new Booking
        {
            Id = data.Id, WorkspaceId = "", BotId = data.BotId, Start = data.Start, End = data.End, TimeZone = data.TimeZone,
            Status = data.Status, Notes = data.Notes, CreatedAt = data.CreatedAt,
        };
        return new EmailAttachment("invite.ics", ContentType + "; charset=utf-8; method=" + (booking.Status == BookingStatus.Cancelled ? "CANCEL" : "PUBLISH"), For(booking, botName, withNotes: true));
    }
}
