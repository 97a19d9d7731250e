using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Parley.Engine.Imports.Chatwoot;

/// <summary>
/// One Chatwoot conversation as Parley keeps it: the conversation (its contact, its messages and its agents' private
/// notes), the highest Chatwoot message id read (where a later import goes on from), and what was left out.
/// </summary>
public sealed record ChatwootConversation(ImportedConversation Conversation, long LastMessageId, int ActivityMessages, int EmptyMessages);

/// <summary>
/// Maps what Chatwoot's application API answers for a conversation (an item of
/// <c>GET /api/v1/accounts/{account}/conversations</c>) and its messages (the <c>payload</c> items of
/// <c>…/conversations/{id}/messages</c>) to an imported conversation. Incoming messages are the visitor's, outgoing
/// ones an agent's when a person sent them and the bot's otherwise (an agent bot, an automation, a template);
/// private notes become notes; activity messages ("Conversation was resolved by …") are left out and counted.
/// </summary>
public static class ChatwootConversationMapper
{
    /// <summary>Longer messages are cut to this many characters, as other imports do.</summary>
    public const int MaxMessageLength = 8000;

    /// <summary>Longer private notes are cut to this many characters, the longest note Parley takes.</summary>
    public const int MaxNoteLength = 4000;

    private const int Incoming = 0;
    private const int Outgoing = 1;
    private const int Activity = 2;

    /// <summary>The Chatwoot conversation's id (its <c>id</c>, the number shown in Chatwoot's inbox), or null.</summary>
    public static long? ConversationId(JsonNode? conversation) => Long(conversation, "id");

    /// <summary>A message's id, or null.</summary>
    public static long? MessageId(JsonNode? message) => Long(message, "id");

    /// <summary>
    /// The conversation with the messages given (in any order, repeats allowed: they are put in Chatwoot's order by id),
    /// <paramref name="after"/> leaving out those already imported.
    /// </summary>
    public static ChatwootConversation Map(JsonObject conversation, IEnumerable<JsonObject> messages, long after = 0)
    {
        var id = ConversationId(conversation) ?? throw new ImportFileException("A conversation in Chatwoot's answer has no id.");
        var read = messages.Where(m => MessageId(m) is not null).DistinctBy(m => MessageId(m)).OrderBy(m => MessageId(m)).ToList();
        var lastId = read.Count > 0 ? Math.Max(after, MessageId(read[^1])!.Value) : after;
        var said = new List<ImportedMessage>();
        var notes = new List<ImportedNote>();
        var (activity, empty) = (0, 0);
        foreach (var message in read.Where(m => MessageId(m) > after))
        {
            var at = Time(message, "created_at") ?? Time(conversation, "created_at") ?? DateTimeOffset.UnixEpoch;
            var type = MessageType(message);
            if (type == Activity)
            {
                activity++;
                continue;
            }
            var text = Text(message);
            if (text.Length == 0)
            {
                empty++;
                continue;
            }
            var sender = ImportJson.Object(message, "sender");
            var senderName = Clean(ImportJson.Text(sender, "name"), 200);
            if (ImportJson.IsTrue(message, "private"))
            {
                notes.Add(new ImportedNote(ImportJson.Clip(text, MaxNoteLength), senderName, at));
                continue;
            }
            said.Add(type switch
            {
                Incoming => new ImportedMessage(ImportedRole.User, ImportJson.Clip(text, MaxMessageLength), at),
                Outgoing when ImportJson.Text(sender, "type") is "user" =>
                    new ImportedMessage(ImportedRole.Agent, ImportJson.Clip(text, MaxMessageLength), at, senderName),
                _ => new ImportedMessage(ImportedRole.Bot, ImportJson.Clip(text, MaxMessageLength), at),
            });
        }
        var imported = new ImportedConversation(id.ToString(CultureInfo.InvariantCulture), said)
        {
            Contact = Contact(conversation),
            Notes = notes,
        };
        return new ChatwootConversation(imported, lastId, activity, empty);
    }

    /// <summary>The conversation's contact (<c>meta.sender</c>), or null when Chatwoot gave none.</summary>
    public static ImportedContact? Contact(JsonNode? conversation)
    {
        var sender = ImportJson.Object(ImportJson.Object(conversation, "meta"), "sender");
        if (Long(sender, "id") is not { } id)
        {
            return null;
        }
        var email = Clean(ImportJson.Text(sender, "email"), 320);
        return new ImportedContact(
            id.ToString(CultureInfo.InvariantCulture),
            Clean(ImportJson.Text(sender, "name"), 200),
            email is not null && email.IndexOf('@', StringComparison.Ordinal) is > 0 && !email.EndsWith('@') ? email : null,
            Clean(ImportJson.Text(sender, "phone_number"), 40));
    }

    /// <summary>The message's text, with a link to each attachment on a line of its own.</summary>
    private static string Text(JsonObject message)
    {
        var text = new StringBuilder(ImportJson.Text(message, "content")?.Trim() ?? "");
        var attachments = ImportJson.Array(message, "attachments").Concat(ImportJson.Object(message, "attachment") is { } one ? [one] : []);
        foreach (var url in attachments.Select(a => ImportJson.Text(a, "data_url")).Where(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
        {
            text.Append(text.Length > 0 ? "\n" : "").Append(url);
        }
        return text.ToString();
    }

    /// <summary>Chatwoot's message type, as the number its API sends or the name some of its payloads use.</summary>
    private static int MessageType(JsonObject message) => ImportJson.Text(message, "message_type") switch
    {
        "0" or "incoming" => Incoming,
        "1" or "outgoing" => Outgoing,
        "2" or "activity" => Activity,
        _ => Outgoing, // 3, a template (a form the inbox sent): the bot's
    };

    /// <summary>A time as Chatwoot sends it: seconds since 1970, or ISO 8601 text.</summary>
    private static DateTimeOffset? Time(JsonNode? node, string name)
    {
        var text = ImportJson.Text(node, name);
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and < 32_503_680_000)
        {
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var fractional) && fractional is > 0 and < 32_503_680_000)
        {
            return DateTimeOffset.FromUnixTimeMilliseconds((long)(fractional * 1000));
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at.ToUniversalTime() : null;
    }

    private static long? Long(JsonNode? node, string name) =>
        long.TryParse(ImportJson.Text(node, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;

    private static string? Clean(string? value, int max) => value?.Trim() is { Length: > 0 } trimmed ? ImportJson.Clip(trimmed, max) : null;
}
