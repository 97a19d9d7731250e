namespace Parley.Data.Entities;

/// <summary>
/// A note people of the workspace leave on a conversation for each other. It is not a message: the visitor never sees
/// it (not in the widget, the transcript, the conversation stream or the OpenAI-compatible surface); exports hold it.
/// </summary>
public sealed class ConversationNote : IWorkspaceOwned, IHasId
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string ConversationId { get; init; }

    /// <summary>What the agent wrote; agents often repeat what the visitor told them, so it is stored encrypted.</summary>
    public required string Text { get; init; }

    /// <summary>The API key (<c>key_…</c>) that wrote the note, when not a dashboard user.</summary>
    public string? AuthorKeyId { get; init; }

    /// <summary>The dashboard user (<c>usr_…</c>) who wrote the note, and the name they went by then.</summary>
    public string? AuthorUserId { get; init; }
    public string? AuthorName { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
