namespace Parley.Engine.Assignment;

/// <summary>An agent who could take conversations: whether they are available now and how many open ones they hold.</summary>
public sealed record AgentLoad(string AgentId, bool Online, int Open);

/// <summary>A conversation in handoff that nobody holds, waiting since <paramref name="Since"/>.</summary>
public sealed record WaitingConversation(string ConversationId, DateTimeOffset Since);

/// <summary>
/// A conversation in handoff held by <paramref name="HolderId"/> (a user or key id), who has owed the visitor a reply
/// since <paramref name="AwaitingReplySince"/> (null: the holder spoke last).
/// </summary>
public sealed record HeldConversation(string ConversationId, string HolderId, DateTimeOffset? AwaitingReplySince);
