using Parley.Engine.Flows;

namespace Parley.Server.Features.Flows;

/// <summary>What a capture-lead block sends to the leads feature.</summary>
public sealed record FlowLeadRequest(
    string BotId, string ConversationId, string ContactId, string? Name, string? Email, string? Phone, string? Company,
    IReadOnlyDictionary<string, string> Custom);

/// <summary>The lead a capture-lead block created or updated, and its score.</summary>
public sealed record FlowLeadCaptured(string LeadId, bool Created, int Score);

/// <summary>
/// Where capture-lead blocks put their leads: the leads feature stages the lead in the turn's unit of work (the
/// turn commits it with the messages). Without one registered, capture-lead blocks leave by their <c>failed</c> port.
/// </summary>
public interface IFlowLeadSink
{
    Task<FlowLeadCaptured> StageAsync(FlowLeadRequest request, CancellationToken cancellationToken);
}

/// <summary>What a book-appointment block asks the bookings feature for.</summary>
public sealed record FlowBookingRequest(
    string BotId, DateTimeOffset Start, string? ContactId, string? ConversationId, string? Name, string? Email, string? Phone, string? Notes);

/// <summary>
/// The bookings feature as a book-appointment block sees it: free slots, and a booking made in its own transaction.
/// Without one registered, book-appointment blocks find no free slots and leave by their <c>failed</c> port.
/// </summary>
public interface IFlowBookingDesk
{
    Task<IReadOnlyList<FlowSlot>> FreeSlotsAsync(string botId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    Task<FlowBookingResult> BookAsync(FlowBookingRequest request, CancellationToken cancellationToken);
}
