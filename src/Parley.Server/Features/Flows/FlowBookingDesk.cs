using Parley.Engine.Flows;
using Parley.Server.Features.Bookings;

namespace Parley.Server.Features.Flows;

/// <summary>
/// Book-appointment blocks through the bookings feature: the bot's real calendar and capacity, and bookings made in
/// the bookings feature's own transaction (so the database, not this process, decides who gets a contested seat).
/// </summary>
public sealed class FlowBookingDesk(BookingService bookings) : IFlowBookingDesk
{
    public async Task<IReadOnlyList<FlowSlot>> FreeSlotsAsync(string botId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        [.. (await bookings.FreeSlotsAsync(botId, from, to, cancellationToken)).Select(s => new FlowSlot(s.Start, s.End))];

    public async Task<FlowBookingResult> BookAsync(FlowBookingRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var outcome = await bookings.BookAsync(new BookingRequest(
            request.BotId, request.Start, request.ContactId, request.ConversationId, request.Name, request.Email, request.Phone, request.Notes),
            cancellationToken);
        return outcome switch
        {
            BookingOutcome.Booked booked => new FlowBookingResult(booked.BookingId, null),
            // Taken (or too soon) since it was offered: the block offers the times that are still free.
            BookingOutcome.SlotUnavailable => new FlowBookingResult(null, "Sorry, that time is no longer available.", SlotTaken: true),
            BookingOutcome.Invalid invalid => new FlowBookingResult(null, invalid.Reason),
            _ => new FlowBookingResult(null, "That time could not be booked."),
        };
    }
}
