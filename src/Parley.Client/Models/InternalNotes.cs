namespace Parley.Client.Models;

public sealed record CreateNoteRequest(string? Text = null);

/// <summary>An internal note on a conversation, which the visitor never sees.</summary>
public sealed record NoteResponse(
    string Id, string ConversationId, string Text, string? AuthorUserId, string? AuthorName, string? AuthorKeyId, DateTimeOffset CreatedAt);
