using Parley.Engine.Turns;

namespace Parley.Engine.Flows;

/// <summary>What a flow knows about the conversation it runs in, for conditions and {{placeholders}}.</summary>
public sealed record FlowContext(
    BotProfile Bot,
    string ConversationId,
    string ContactId,
    DateTimeOffset Now,
    IReadOnlyDictionary<string, string> Contact,
    string? PageUrl,
    IReadOnlyDictionary<string, string> Utm,
    string? BusinessHoursJson,
    IReadOnlyList<TurnMessage> History,
    string? GuardrailInstructions = null);

/// <summary>An HTTP call an HTTP block makes, with its placeholders filled in.</summary>
public sealed record FlowHttpRequest(string Method, string Url, IReadOnlyDictionary<string, string> Headers, string? JsonBody, TimeSpan Timeout);

/// <summary>The answer to an HTTP block's call: the status (0 when nothing came back) and the body.</summary>
public sealed record FlowHttpResponse(int Status, string? Body);

/// <summary>The lead fields a capture-lead block sends, with its placeholders filled in.</summary>
public sealed record FlowLead(string? Name, string? Email, string? Phone, string? Company, IReadOnlyDictionary<string, string> Custom);

/// <summary>A free appointment slot.</summary>
public sealed record FlowSlot(DateTimeOffset Start, DateTimeOffset End);

/// <summary>A booking a book-appointment block asks for.</summary>
public sealed record FlowBooking(DateTimeOffset Start, string? Name, string? Email, string? Phone, string? Notes);

/// <summary>
/// What came of a booking: its id, or why the slot could not be had. <paramref name="SlotTaken"/> says the time itself is
/// no longer free (taken since it was offered): the block then offers the times still free instead of failing.
/// </summary>
public sealed record FlowBookingResult(string? BookingId, string? Problem, bool SlotTaken = false);

/// <summary>
/// The outside world a flow reaches through its server-side blocks (HTTP, lead, booking). The host implements the
/// rules that apply there (outbound network safety, de-duplication, capacity); the runner stays pure.
/// </summary>
public interface IFlowHost
{
    ValueTask<FlowHttpResponse> SendAsync(FlowHttpRequest request, CancellationToken cancellationToken);

    /// <summary>Stages the lead; returns its id, or null when leads cannot be captured here.</summary>
    ValueTask<string?> CaptureLeadAsync(FlowContext context, FlowLead lead, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<FlowSlot>> FreeSlotsAsync(FlowContext context, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    ValueTask<FlowBookingResult> BookAsync(FlowContext context, FlowBooking booking, CancellationToken cancellationToken);
}

/// <summary>What one step of a flow produced: the bot's messages, the new state, and a handoff request if any.</summary>
public sealed record FlowOutcome(IReadOnlyList<FlowReply> Replies, FlowState State, string? HandoffReason);

/// <summary>One bot message a flow sends, with its buttons and (for AI answers) the sources it quotes.</summary>
public sealed record FlowReply(
    string Text, IReadOnlyList<QuickReply> QuickReplies, IReadOnlyList<Responders.Citation>? Citations = null, bool Unanswered = false,
    Responders.TokenUsage? Usage = null);
