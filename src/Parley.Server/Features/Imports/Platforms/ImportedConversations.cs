using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Ids;
using Parley.Engine.Imports;
using Parley.Engine.Turns;
using Parley.Server.Features.Conversations;

namespace Parley.Server.Features.Imports.Platforms;

/// <summary>
/// Adds another platform's past conversations to a bot (not saved): one anonymous contact per conversation, which
/// keeps the platform's id for it as an attribute, and the conversation, closed, with its messages at their own times.
/// </summary>
public sealed class ImportedConversations(ParleyDbContext db, IdGenerator ids)
{
    /// <summary>The attribute of an imported conversation's contact that holds the other platform's id for the conversation.</summary>
    public const string SourceAttribute = "imported_from";

    /// <summary>Adds them and returns how many conversations and messages were added.</summary>
    public (int Conversations, int Messages) Add(string platform, Bot bot, IReadOnlyList<ImportedConversation> conversations)
    {
        var messages = 0;
        foreach (var imported in conversations.Where(c => c.Messages.Count > 0))
        {
            var (first, last) = (imported.Messages[0].At, imported.Messages[^1].At);
            var contact = new Contact
            {
                Id = ids.New(IdPrefix.Contact),
                WorkspaceId = bot.WorkspaceId,
                Attributes = new() { [SourceAttribute] = $"{platform}:{imported.SourceId}" },
                CreatedAt = first,
                LastSeenAt = last,
            };
            var conversation = new Conversation
            {
                Id = ids.New(IdPrefix.Conversation),
                WorkspaceId = bot.WorkspaceId,
                BotId = bot.Id,
                ContactId = contact.Id,
                Channel = ConversationStarter.ApiChannel,
                Status = ConversationStatus.Closed,
                MessageCount = imported.Messages.Count,
                CreatedAt = first,
                UpdatedAt = last,
                LastMessageAt = last,
            };
            db.Contacts.Add(contact);
            db.Conversations.Add(conversation);
            db.Messages.AddRange(imported.Messages.Select(m => new Message
            {
                Id = ids.New(IdPrefix.Message),
                WorkspaceId = bot.WorkspaceId,
                ConversationId = conversation.Id,
                Role = m.Role == "user" ? MessageRole.User : MessageRole.Bot,
                Text = m.Text,
                CreatedAt = m.At,
            }));
            messages += imported.Messages.Count;
        }
        return (conversations.Count(c => c.Messages.Count > 0), messages);
    }
}
