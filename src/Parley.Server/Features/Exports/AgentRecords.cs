using System.Text.Json.Serialization;
using Parley.Data.Entities;

namespace Parley.Server.Features.Exports;

/// <summary>An internal note on a conversation. Without the <c>export:pii</c> scope its text and author name are left out.</summary>
public sealed record ConversationNoteRecord(
    string Id, string ConversationId, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Text = null,
    string? AuthorKeyId = null, string? AuthorUserId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AuthorName = null,
    [property: JsonRequired] DateTimeOffset CreatedAt = default)
{
    public static readonly IReadOnlyList<string> PiiFields = ["text", "author_name"];

    public static ConversationNoteRecord From(ConversationNote n, bool includePii) => new(
        n.Id, n.ConversationId, includePii ? n.Text : null, n.AuthorKeyId, n.AuthorUserId, includePii ? n.AuthorName : null, n.CreatedAt);

    public ConversationNote ToEntity(string workspaceId, string conversationId) => new()
    {
        Id = Id,
        WorkspaceId = workspaceId,
        ConversationId = conversationId,
        Text = Text ?? "",
        AuthorKeyId = AuthorKeyId,
        AuthorUserId = AuthorUserId,
        AuthorName = AuthorName,
        CreatedAt = CreatedAt,
    };
}

/// <summary>A canned response of the workspace: a setting, so the date range does not apply.</summary>
public sealed record CannedResponseRecord(string Id, string Shortcut, string Text, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static CannedResponseRecord From(CannedResponse r) => new(r.Id, r.Shortcut, r.Text, r.CreatedAt, r.UpdatedAt);

    public CannedResponse ToEntity(string workspaceId) => new()
    {
        Id = Id,
        WorkspaceId = workspaceId,
        Shortcut = Shortcut,
        Text = Text,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
    };
}
