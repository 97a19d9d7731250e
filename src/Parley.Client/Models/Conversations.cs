namespace Parley.Client.Models;

public enum MessageRole
{
    User,
    Bot,
    Agent,
    System,
}

public sealed record ConversationMetadata(
    string? PageUrl, string? Referrer, IReadOnlyDictionary<string, string> Utm, string? Locale, string? UserAgent, string? Device);

public sealed record ConversationHandoff(
    string? Reason, DateTimeOffset RequestedAt, string? AssignedKeyId, DateTimeOffset? AssignedAt, DateTimeOffset? FirstAgentReplyAt,
    DateTimeOffset? ResolvedAt, bool AwaitingContactDetails, string? AssignedUserId = null);

public sealed record ConversationResponse(
    string Id, string BotId, string ContactId, string Channel, string Status, ConversationMetadata Metadata, int MessageCount,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? LastMessageAt, ConversationHandoff? Handoff = null);

public sealed record QuickReplyResponse(string Label, string Value);

/// <summary>Milliseconds each stage of the turn pipeline took for a bot reply.</summary>
public sealed record StageTimings(
    double? Capture = null, double? Authenticate = null, double? Route = null, double? Generate = null, double? SideEffects = null, double? Return = null);

public sealed record CitationResponse(string SourceId, string Title, string? Url, string Excerpt);

public sealed record TokenUsageResponse(int PromptTokens, int CompletionTokens, string Provider, string Model);

public sealed record MessageResponse(
    string Id, string ConversationId, MessageRole Role, string Text, IReadOnlyList<QuickReplyResponse> QuickReplies, StageTimings? Timings,
    DateTimeOffset CreatedAt, IReadOnlyList<CitationResponse>? Citations = null, IReadOnlyList<string>? Flags = null,
    string? AuthorKeyId = null, TokenUsageResponse? Usage = null, string? AuthorUserId = null, string? AuthorName = null);

public sealed record InboxItem(ConversationResponse Conversation, double WaitingSeconds, int? LeadScore = null);

public sealed record HandoffActionResponse(ConversationResponse Conversation, MessageResponse? Message);

public sealed record ClaimRequest(bool Force = false);

public sealed record AssignRequest(string? AgentKeyId = null, string? UserId = null);

public sealed record AgentMessageRequest(string? Text = null);

public sealed record PresenceRequest(string? Status = null);

public sealed record PresenceResponse(string UserId, string Status, DateTimeOffset SeenAt);

public sealed record ContactResponse(
    string Id, string? ExternalId, string? Name, string? Email, string? Phone, IReadOnlyDictionary<string, string>? Attributes, bool PiiHidden,
    DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt);

public sealed record ContactErasureResult(string Id, bool Erased, DateTimeOffset ErasedAt, int MessagesRedacted, int EventsScrubbed);

public sealed record TypingRequest(bool? Typing = null);

public sealed record TypingResponse(bool Relayed);

public sealed record ContactInput(
    string? ExternalId = null, string? Name = null, string? Email = null, string? Phone = null, Dictionary<string, string>? Attributes = null);

public sealed record ConversationMetadataInput(
    string? PageUrl = null, string? Referrer = null, Dictionary<string, string>? Utm = null, string? Locale = null, string? UserAgent = null);

public sealed record StartConversationRequest(string? BotId = null, ContactInput? Contact = null, ConversationMetadataInput? Metadata = null);

public sealed record StartConversationResponse(ConversationResponse Conversation, IReadOnlyList<MessageResponse> Messages);

public sealed record SendMessageRequest(string? Text = null, string? Choice = null, ConversationMetadataInput? Metadata = null);

public sealed record TurnResponse(IReadOnlyList<MessageResponse> Messages, MessageResponse UserMessage, ConversationResponse Conversation);
