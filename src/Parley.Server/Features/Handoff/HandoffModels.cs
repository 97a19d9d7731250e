using Parley.Server.Features.Conversations;

namespace Parley.Server.Features.Handoff;

/// <summary>Hand a conversation to a person; <c>reason</c> is stored and sent with <c>handoff.requested</c> (default <c>api</c>).</summary>
public sealed record HandoffRequest(string? Reason = null);

/// <summary>An agent's reply to the visitor.</summary>
public sealed record AgentMessageRequest(string? Text = null);

/// <summary>Claim a conversation; with <c>force</c>, take it over from another agent.</summary>
public sealed record ClaimRequest(bool Force = false);

/// <summary>Assign a conversation to an agent key of the workspace (<c>key_…</c>).</summary>
public sealed record AssignRequest(string? AgentKeyId = null);

/// <summary>The conversation after a handoff action, and the message the visitor was sent, if any.</summary>
public sealed record HandoffActionResponse(ConversationResponse Conversation, MessageResponse? Message);

/// <summary>A conversation waiting for (or with) a person, and how long it has waited since the handoff.</summary>
public sealed record InboxItem(ConversationResponse Conversation, double WaitingSeconds);
