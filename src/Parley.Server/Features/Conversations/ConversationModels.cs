using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Parley.Data.Entities;
using Parley.Engine.Responders;
using Parley.Engine.Turns;

namespace Parley.Server.Features.Conversations;

/// <summary>Who the conversation is with. With <c>external_id</c>, an existing contact with that id is reused.</summary>
public sealed record ContactInput(
    string? ExternalId = null, string? Name = null, string? Email = null, string? Phone = null, Dictionary<string, string>? Attributes = null);

/// <summary>Where the visitor is: stored on the conversation and sent with its events.</summary>
public sealed record ConversationMetadataInput(
    string? PageUrl = null, string? Referrer = null, Dictionary<string, string>? Utm = null, string? Locale = null, string? UserAgent = null);

public sealed record StartConversationRequest([property: Required] string? BotId = null, ContactInput? Contact = null, ConversationMetadataInput? Metadata = null);

/// <summary>A visitor's message: free <c>text</c>, or the <c>choice</c> of a quick reply (its value). Optional fresh <c>metadata</c>.</summary>
public sealed record SendMessageRequest(string? Text = null, string? Choice = null, ConversationMetadataInput? Metadata = null);

public sealed record ConversationMetadata(
    string? PageUrl, string? Referrer, IReadOnlyDictionary<string, string> Utm, string? Locale, string? UserAgent, string? Device);

public sealed record ConversationResponse(
    string Id,
    string BotId,
    string ContactId,
    string Channel,
    string Status,
    ConversationMetadata Metadata,
    int MessageCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastMessageAt,
    ConversationHandoff? Handoff = null)
{
    public static ConversationResponse From(Conversation c) => new(
        c.Id, c.BotId, c.ContactId, c.Channel, c.Status,
        new ConversationMetadata(c.PageUrl, c.Referrer, c.Utm, c.Locale, c.UserAgent, c.Device),
        c.MessageCount, c.CreatedAt, c.UpdatedAt, c.LastMessageAt, ConversationHandoff.From(c));
}

public sealed record QuickReplyResponse(string Label, string Value);

/// <summary>
/// A message. <c>timings</c> (bot replies only) holds the milliseconds each turn stage took; <c>role</c> is
/// <c>user</c>, <c>bot</c>, <c>agent</c> or <c>system</c>. <c>flags</c> lists the guardrail and escalation hits on the
/// message (docs/guardrails.md); <c>author_key_id</c> is the API key of the person who wrote an agent message,
/// <c>author_user_id</c> and <c>author_name</c> the dashboard user who wrote it and the name they went by.
/// </summary>
public sealed record MessageResponse(
    string Id,
    string ConversationId,
    MessageRole Role,
    string Text,
    IReadOnlyList<QuickReplyResponse> QuickReplies,
    [property: JsonConverter(typeof(StageTimingsJsonConverter))] StageTimings? Timings,
    DateTimeOffset CreatedAt,
    IReadOnlyList<CitationResponse>? Citations = null,
    IReadOnlyList<string>? Flags = null,
    string? AuthorKeyId = null,
    TokenUsageResponse? Usage = null,
    string? AuthorUserId = null,
    string? AuthorName = null)
{
    public static MessageResponse From(Message m) => new(
        m.Id, m.ConversationId, m.Role, m.Text, [.. m.QuickReplies.Select(q => new QuickReplyResponse(q.Label, q.Value))],
        m.Timings is null ? null : StageTimingsJsonConverter.FromDictionary(m.Timings), m.CreatedAt, CitationResponse.FromAll(m.Citations),
        m.Flags is { Count: > 0 } ? m.Flags : null, m.AuthorKeyId, TokenUsageResponse.From(m.Usage),
        m.AuthorUserId, m.AuthorName);
}

/// <summary>
/// The tokens a model reply used: <c>prompt_tokens</c> sent, <c>completion_tokens</c> received, the model provider
/// connection (<c>provider</c>, an <c>mp_…</c> id) and the <c>model</c>. Only on replies written by a model.
/// </summary>
public sealed record TokenUsageResponse(int PromptTokens, int CompletionTokens, string Provider, string Model)
{
    public static TokenUsageResponse? From(TokenUsage? usage) =>
        usage is null ? null : new(usage.PromptTokens, usage.CompletionTokens, usage.Provider, usage.Model);
}

/// <summary>A knowledge source a bot reply quotes: its id, title, URL (for web pages) and the quoted words.</summary>
public sealed record CitationResponse(string SourceId, string Title, string? Url, string Excerpt)
{
    /// <summary>The citations of a message, or null when it has none (the member is then left out).</summary>
    public static IReadOnlyList<CitationResponse>? FromAll(IReadOnlyList<Citation>? citations) =>
        citations is { Count: > 0 } ? [.. citations.Select(c => new CitationResponse(c.SourceId, c.Title, c.Url, c.Excerpt))] : null;
}

/// <summary>A new conversation, with the bot's greeting as its first message when the bot has one.</summary>
public sealed record StartConversationResponse(ConversationResponse Conversation, IReadOnlyList<MessageResponse> Messages);

/// <summary>The answer to a visitor's message: the bot's messages, the stored user message and the conversation after the turn.</summary>
public sealed record TurnResponse(IReadOnlyList<MessageResponse> Messages, MessageResponse UserMessage, ConversationResponse Conversation);

/// <summary>
/// The human side of a conversation, present once it has been handed to a person: why, when, who claimed it, when a
/// person first replied and when the handoff ended. The holder is an agent key (<c>assigned_key_id</c>) or a dashboard
/// user (<c>assigned_user_id</c>).
/// </summary>
public sealed record ConversationHandoff(
    string? Reason, DateTimeOffset RequestedAt, string? AssignedKeyId, DateTimeOffset? AssignedAt, DateTimeOffset? FirstAgentReplyAt,
    DateTimeOffset? ResolvedAt, bool AwaitingContactDetails, string? AssignedUserId = null)
{
    public static ConversationHandoff? From(Conversation c) => c.HandoffRequestedAt is { } requested
        ? new(c.HandoffReason, requested, c.AssignedKeyId, c.AssignedAt, c.FirstAgentReplyAt, c.ResolvedAt, c.AwaitingContactDetails,
            c.AssignedUserId)
        : null;
}
