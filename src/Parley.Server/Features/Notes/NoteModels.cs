using Parley.Data.Entities;

namespace Parley.Server.Features.Notes;

/// <summary>An internal note on a conversation: what the agent wants teammates to know.</summary>
public sealed record CreateNoteRequest(string? Text = null);

/// <summary>
/// An internal note: who wrote it (a dashboard user, with the name they went by then, or an agent key) and when. The
/// visitor never sees it.
/// </summary>
public sealed record NoteResponse(
    string Id, string ConversationId, string Text, string? AuthorUserId, string? AuthorName, string? AuthorKeyId, DateTimeOffset CreatedAt)
{
    public static NoteResponse From(ConversationNote n) => new(n.Id, n.ConversationId, n.Text, n.AuthorUserId, n.AuthorName, n.AuthorKeyId, n.CreatedAt);
}
