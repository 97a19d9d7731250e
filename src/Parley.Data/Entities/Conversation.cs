namespace Parley.Data.Entities;

public sealed class Conversation : IWorkspaceOwned, IHasId
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string BotId { get; init; }
    public required string ContactId { get; init; }

    /// <summary><c>api</c> or <c>widget</c>.</summary>
    public required string Channel { get; init; }

    /// <summary>One of <see cref="Parley.Engine.Turns.ConversationStatus"/>.</summary>
    public required string Status { get; set; }

    public string? PageUrl { get; set; }
    public string? Referrer { get; set; }
    public Dictionary<string, string> Utm { get; set; } = [];
    public string? Locale { get; set; }
    public string? UserAgent { get; set; }

    /// <summary><c>desktop</c>, <c>mobile</c>, <c>tablet</c> or <c>bot</c>, derived from the user agent.</summary>
    public string? Device { get; set; }

    public int MessageCount { get; set; }

    /// <summary>The flow version the conversation started on (it stays on it), or null when the bot had no flow.</summary>
    public int? FlowVersion { get; set; }

    /// <summary>Where the conversation is in its flow (<c>Parley.Engine.Flows.FlowState</c> as JSON).</summary>
    public string? FlowStateJson { get; set; }

    /// <summary>Bumped by every turn; guards the message counters against concurrent turns (optimistic concurrency).</summary>
    public int Version { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? LastMessageAt { get; set; }

    /// <summary>When the conversation was last handed to a person (the start of the wait).</summary>
    public DateTimeOffset? HandoffRequestedAt { get; set; }

    /// <summary>Why it was handed over: <c>visitor_request</c>, <c>keyword</c>, <c>api</c>, … (see docs/handoff.md).</summary>
    public string? HandoffReason { get; set; }

    /// <summary>The agent's API key (<c>key_…</c>) that claimed the conversation; null while it waits.</summary>
    public string? AssignedKeyId { get; set; }

    /// <summary>The dashboard user (<c>usr_…</c>) who holds the conversation, when a signed-in person claimed it or was assigned it.</summary>
    public string? AssignedUserId { get; set; }

    public DateTimeOffset? AssignedAt { get; set; }

    /// <summary>
    /// Since when the holder has owed the visitor a reply: set when the conversation is assigned and when the visitor
    /// writes after the holder's last reply, cleared by the holder's reply. The assignment rules reassign a conversation
    /// left so for too long.
    /// </summary>
    public DateTimeOffset? AwaitingAgentSince { get; set; }

    /// <summary>When a person first replied after the last handoff.</summary>
    public DateTimeOffset? FirstAgentReplyAt { get; set; }

    /// <summary>When the last handoff ended (returned to the bot or closed).</summary>
    public DateTimeOffset? ResolvedAt { get; set; }

    /// <summary>The bot asked the visitor for contact details because nobody could take over; cleared once given.</summary>
    public bool AwaitingContactDetails { get; set; }
}
