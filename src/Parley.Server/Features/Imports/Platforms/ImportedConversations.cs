using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Ids;
using Parley.Engine.Imports;
using Parley.Engine.Turns;
using Parley.Server.Features.Conversations;

namespace Parley.Server.Features.Imports.Platforms;

/// <summary>A past conversation as added: where it came from, and the conversation and contact made or found for it.</summary>
public sealed record AddedConversation(ImportedConversation Source, Conversation Conversation, Contact Contact);

/// <summary>What <see cref="ImportedConversations.Add"/> added: the conversations, and how many messages, notes and new contacts.</summary>
public sealed record AddedConversations(IReadOnlyList<AddedConversation> Conversations, int Messages, int Notes, int Contacts);

/// <summary>
/// Adds another platform's past conversations to a bot (not saved): closed, with their messages and agents' notes at
/// their own times. A conversation whose person the platform knew gets that person's contact (one per person, kept
/// in the dictionary the caller passes, with the platform's id for them as an attribute); any other gets an anonymous
/// contact of its own, which keeps the platform's id for the conversation.
/// </summary>
public sealed class ImportedConversations(ParleyDbContext db, IdGenerator ids)
{
    /// <summary>The attribute of an imported contact that holds the other platform's id for it (or for its conversation).</summary>
    public const string SourceAttribute = "imported_from";

    /// <summary>
    /// Adds the conversations that hold a message or a note. <paramref name="contacts"/> maps the platform's ids of
    /// people to their contacts: those found there are reused, those made are added to it.
    /// </summary>
    public AddedConversations Add(
        string platform, Bot bot, IReadOnlyList<ImportedConversation> conversations, IDictionary<string, Contact>? contacts = null)
    {
        contacts ??= new Dictionary<string, Contact>();
        var added = new List<AddedConversation>();
        var (messages, notes, newContacts) = (0, 0, 0);
        foreach (var imported in conversations.Where(c => c.Messages.Count > 0 || c.Notes.Count > 0))
        {
            var times = imported.Messages.Select(m => m.At).Concat(imported.Notes.Select(n => n.At)).ToList();
            var (first, last) = (times.Min(), times.Max());
            if (imported.Contact is not { } person || !contacts.TryGetValue(person.SourceId, out var contact))
            {
                contact = ConversationRows.Contact(ids, bot.WorkspaceId, first);
                contact.Name = imported.Contact?.Name;
                contact.Email = imported.Contact?.Email;
                contact.Phone = imported.Contact?.Phone;
                contact.Attributes = new() { [SourceAttribute] = $"{platform}:{imported.Contact?.SourceId ?? imported.SourceId}" };
                db.Contacts.Add(contact);
                newContacts++;
                if (imported.Contact is { } known)
                {
                    contacts[known.SourceId] = contact;
                }
            }
            contact.LastSeenAt = contact.LastSeenAt > last ? contact.LastSeenAt : last;
            var conversation = ConversationRows.Conversation(ids, bot, contact, ConversationStarter.ApiChannel, ConversationStatus.Closed, first);
            conversation.UpdatedAt = last;
            conversation.Utm = new Dictionary<string, string>(imported.Utm);
            db.Conversations.Add(conversation);
            messages += Append(conversation, imported.Messages);
            notes += AddNotes(conversation, imported.Notes);
            added.Add(new AddedConversation(imported, conversation, contact));
        }
        return new AddedConversations(added, messages, notes, newContacts);
    }

    /// <summary>Adds messages to a conversation, after those it has, and keeps its count and times in step; returns how many.</summary>
    public int Append(Conversation conversation, IReadOnlyList<ImportedMessage> messages)
    {
        db.Messages.AddRange(messages.Select(m => new Message
        {
            Id = ids.New(IdPrefix.Message),
            WorkspaceId = conversation.WorkspaceId,
            ConversationId = conversation.Id,
            Role = m.Role switch
            {
                ImportedRole.User => MessageRole.User,
                ImportedRole.Agent => MessageRole.Agent,
                _ => MessageRole.Bot,
            },
            Text = m.Text,
            AuthorName = m.Role == ImportedRole.Agent ? m.AuthorName : null,
            CreatedAt = m.At,
        }));
        if (messages.Count > 0)
        {
            conversation.MessageCount += messages.Count;
            var last = messages.Max(m => m.At);
            conversation.LastMessageAt = conversation.LastMessageAt > last ? conversation.LastMessageAt : last;
            conversation.UpdatedAt = conversation.UpdatedAt > last ? conversation.UpdatedAt : last;
        }
        return messages.Count;
    }

    /// <summary>Adds agents' notes to a conversation; returns how many.</summary>
    public int AddNotes(Conversation conversation, IReadOnlyList<ImportedNote> notes)
    {
        db.ConversationNotes.AddRange(notes.Select(n => new ConversationNote
        {
            Id = ids.New(IdPrefix.ConversationNote),
            WorkspaceId = conversation.WorkspaceId,
            ConversationId = conversation.Id,
            Text = n.Text,
            AuthorName = n.AuthorName,
            CreatedAt = n.At,
        }));
        return notes.Count;
    }
}
