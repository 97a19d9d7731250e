using System.Globalization;
using Parley.Client.Models;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    /// <summary>Bookings, newest first, of a bot whose slot starts in [<paramref name="startAfter"/>, <paramref name="startBefore"/>).</summary>
    [ApiOperation("GET", "/v1/bookings")]
    public Task<Page<BookingResponse>> ListBookingsAsync(
        string? botId = null, string? status = null, DateTimeOffset? startAfter = null, DateTimeOffset? startBefore = null,
        int? limit = null, string? after = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (!string.IsNullOrEmpty(botId))
        {
            query.Add("bot_id=" + Uri.EscapeDataString(botId));
        }
        if (!string.IsNullOrEmpty(status))
        {
            query.Add("status=" + Uri.EscapeDataString(status));
        }
        if (startAfter is { } from)
        {
            query.Add("start_after=" + Uri.EscapeDataString(from.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)));
        }
        if (startBefore is { } to)
        {
            query.Add("start_before=" + Uri.EscapeDataString(to.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)));
        }
        var path = query.Count == 0 ? "/v1/bookings" : "/v1/bookings?" + string.Join('&', query);
        return GetAsync<Page<BookingResponse>>(Paged(path, limit, after), cancellationToken);
    }

    [ApiOperation("GET", "/v1/bookings/{id}")]
    public Task<BookingResponse> GetBookingAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync<BookingResponse>($"/v1/bookings/{Id(id)}", cancellationToken);

    /// <summary>Cancels a booking and frees its seat; cancelling a cancelled booking changes nothing.</summary>
    [ApiOperation("POST", "/v1/bookings/{id}/cancel")]
    public Task<BookingResponse> CancelBookingAsync(string id, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync<CancelBookingRequest, BookingResponse>(HttpMethod.Post, $"/v1/bookings/{Id(id)}/cancel", new CancelBookingRequest(reason), cancellationToken);

    /// <summary>The address of the booking's iCalendar invite, for a download link.</summary>
    [ApiOperation("GET", "/v1/bookings/{id}/invite.ics")]
    public static string BookingInvitePath(string id) => $"/v1/bookings/{Id(id)}/invite.ics";
}
