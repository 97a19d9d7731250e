using Parley.Data.Entities;
using Parley.Engine.Ids;

namespace Parley.Server.Features.Conversations;

/// <summary>
/// The contact and conversation rows a conversation begins with, made the same way wherever one begins: a visitor
/// through the widget or the API (<see cref="ConversationStarter"/>), or an import bringing a past one. Not added to
/// the context: the caller adds them with what else it saves.
/// </summary>
public static class ConversationRows
{
    /// <summary>A new contact of the workspace, first and last seen at <paramref name="seenAt"/>.</summary>
    public static Contact Contact(IdGenerator ids, string workspaceId, DateTimeOffset seenAt) => new()
    {
        Id = ids.New(IdPrefix.Contact),
        WorkspaceId = workspaceId,
        CreatedAt = seenAt,
        LastSeenAt = seenAt,
    };

    /// <summary>A new conversation of <paramref name="contact"/> with the bot, in <paramref name="status"/>, begun (and last changed) at <paramref name="startedAt"/>.</summary>
    public static Conversation Conversation(IdGenerator ids, Bot bot, Contact contact, string channel, string status, DateTimeOffset startedAt) => new()
    {
        Id = ids.New(IdPrefix.Conversation),
        WorkspaceId = bot.WorkspaceId,
        BotId = bot.Id,
        ContactId = contact.Id,
        Channel = channel,
        Status = status,
        CreatedAt = startedAt,
        UpdatedAt = startedAt,
    };
}
