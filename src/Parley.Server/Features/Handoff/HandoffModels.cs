using Parley.Server.Features.Conversations;

namespace Parley.Server.Features.Handoff;

/// <summary>Hand a conversation to a person; <c>reason</c> is stored and sent with <c>handoff.requested</c> (default <c>api</c>).</summary>
public sealed record HandoffRequest(string? Reason = null);

/// <summary>An agent's reply to the visitor.</summary>
public sealed record AgentMessageRequest(string? Text = null);

/// <summary>Claim a conversation; with <c>force</c>, take it over from another agent.</summary>
public sealed record ClaimRequest(bool Force = false);

/// <summary>Assign a conversation to an agent key (<c>agent_key_id</c>, <c>key_…</c>) or a dashboard user (<c>user_id</c>, <c>usr_…</c>) of the workspace.</summary>
public sealed record AssignRequest(string? AgentKeyId = null, string? UserId = null);

/// <summary>The conversation after a handoff action, and the message the visitor was sent, if any.</summary>
public sealed record HandoffActionResponse(ConversationResponse Conversation, MessageResponse? Message);

/// <summary>
/// A conversation waiting for (or with) a person, how long it has waited since the handoff, and the score of the lead
/// it captured (the highest, when several), if any.
/// </summary>
public sealed record InboxItem(ConversationResponse Conversation, double WaitingSeconds, int? LeadScore = null);

/// <summary>What the dashboard reports about the signed-in agent: <c>online</c> or <c>away</c>.</summary>
public sealed record PresenceRequest(string? Status = null);

/// <summary>The agent's presence as recorded, and when.</summary>
public sealed record PresenceResponse(string UserId, string Status, DateTimeOffset SeenAt);

/// <summary>Whether the caller (the visitor in the widget, or an agent) is typing now (<c>true</c>) or stopped (<c>false</c>).</summary>
public sealed record TypingRequest(bool? Typing = null);

/// <summary>Whether the signal went to the other side's streams: false when it repeated the caller's last one within a second.</summary>
public sealed record TypingResponse(bool Relayed);
