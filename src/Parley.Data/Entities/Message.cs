using Parley.Engine.Responders;
using Parley.Engine.Turns;

namespace Parley.Data.Entities;

public sealed class Message : IWorkspaceOwned, IHasId
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string ConversationId { get; init; }
    public MessageRole Role { get; init; }
    public required string Text { get; init; }
    public List<QuickReply> QuickReplies { get; init; } = [];

    /// <summary>The knowledge sources a bot reply quotes.</summary>
    public List<Citation>? Citations { get; init; }

    /// <summary>Milliseconds per turn stage, on bot replies.</summary>
    public Dictionary<string, double>? Timings { get; set; }

    /// <summary>Tokens a model reply used, and which provider and model wrote it; null for other messages.</summary>
    public TokenUsage? Usage { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Guardrail and escalation hits on this message (<c>pii.email</c>, <c>injection</c>, …); null when none.</summary>
    public List<string>? Flags { get; init; }

    /// <summary>The API key (<c>key_…</c>) of the person who wrote an agent message; null for other roles.</summary>
    public string? AuthorKeyId { get; init; }

    /// <summary>The dashboard user (<c>usr_…</c>) who wrote an agent message, and the name they went by then.</summary>
    public string? AuthorUserId { get; init; }
    public string? AuthorName { get; init; }
}
