using Parley.Client.Models;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    /// <summary>Bookings, newest first, of a bot whose slot starts in [<paramref name="startAfter"/>, <paramref name="startBefore"/>).</summary>
    [ApiOperation("GET", "/v1/bookings")]
    public Task<Page<BookingResponse>> ListBookingsAsync(
        string? botId = null, string? status = null, DateTimeOffset? startAfter = null, DateTimeOffset? startBefore = null,
        int? limit = null, string? after = null, CancellationToken cancellationToken = default) =>
        GetAsync<Page<BookingResponse>>(Paged(Query("/v1/bookings",
            ("bot_id", botId), ("status", status), ("start_after", Timestamp(startAfter)), ("start_before", Timestamp(startBefore))), limit, after), cancellationToken);

    /// <summary>Cancels a booking and frees its seat; cancelling a cancelled booking changes nothing.</summary>
    [ApiOperation("POST", "/v1/bookings/{id}/cancel")]
    public Task<BookingResponse> CancelBookingAsync(string id, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync<CancelBookingRequest, BookingResponse>(HttpMethod.Post, $"/v1/bookings/{Id(id)}/cancel", new CancelBookingRequest(reason), cancellationToken);

    /// <summary>The address of the booking's iCalendar invite, for a download link.</summary>
    [ApiOperation("GET", "/v1/bookings/{id}/invite.ics")]
    public static string BookingInvitePath(string id) => $"/v1/bookings/{Id(id)}/invite.ics";
}
