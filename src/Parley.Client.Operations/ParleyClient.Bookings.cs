using System.Net.Http.Json;
using Parley.Client.Models;

namespace Parley.Client;

public static partial class ParleyClientOperations
{
    extension(ParleyClient client)
    {
        /// <summary>Bookings, newest first, of a bot whose slot starts in [<paramref name="startAfter"/>, <paramref name="startBefore"/>).</summary>
        [ApiOperation("GET", "/v1/bookings")]
        public Task<Page<BookingResponse>> ListBookingsAsync(
            string? botId = null, string? status = null, DateTimeOffset? startAfter = null, DateTimeOffset? startBefore = null,
            int? limit = null, string? after = null, CancellationToken cancellationToken = default) =>
            client.GetAsync(ParleyClient.Paged(ParleyClient.Query("/v1/bookings",
                ("bot_id", botId), ("status", status), ("start_after", ParleyClient.Timestamp(startAfter)), ("start_before", ParleyClient.Timestamp(startBefore))), limit, after),
                OperationsJson.Default.PageBookingResponse, cancellationToken);

        /// <summary>Cancels a booking and frees its seat; cancelling a cancelled booking changes nothing.</summary>
        [ApiOperation("POST", "/v1/bookings/{id}/cancel")]
        public Task<BookingResponse> CancelBookingAsync(string id, string? reason = null, CancellationToken cancellationToken = default) =>
            client.SendAsync(HttpMethod.Post, $"/v1/bookings/{ParleyClient.Id(id)}/cancel",
                JsonContent.Create(new CancelBookingRequest(reason), OperationsJson.Default.CancelBookingRequest), OperationsJson.Default.BookingResponse, cancellationToken);
    }

    extension(ParleyClient)
    {
        /// <summary>The address of the booking's iCalendar invite, for a download link.</summary>
        [ApiOperation("GET", "/v1/bookings/{id}/invite.ics")]
        public static string BookingInvitePath(string id) => $"/v1/bookings/{ParleyClient.Id(id)}/invite.ics";
    }
}
