using System.Text.Json.Nodes;
using Parley.Engine.Imports;
using Parley.Engine.Imports.Chatwoot;

namespace Parley.Engine.Tests.Imports.Chatwoot;

public sealed class ChatwootConversationMapperTests
{
    private static readonly JsonObject Conversation = JsonNode.Parse("""
        { "id": 42, "status": "resolved", "created_at": 1764000000,
          "meta": { "sender": { "id": 7, "name": " Ada ", "email": "ada@acme.example", "phone_number": "+442079460000", "type": "contact" } } }
        """)!.AsObject();

    private static JsonObject Message(long id, int type, string? content, bool isPrivate = false, string? senderType = null, string? attachment = null) =>
        new()
        {
            ["id"] = id,
            ["content"] = content,
            ["message_type"] = type,
            ["created_at"] = 1764000000 + id,
            ["private"] = isPrivate,
            ["sender"] = senderType is null ? null : new JsonObject { ["name"] = "Sam", ["type"] = senderType },
            ["attachments"] = attachment is null ? null : new JsonArray(new JsonObject { ["data_url"] = attachment }),
        };

    [Fact]
    public void Map_EveryKindOfMessage_RolesNotesAndWhatWasLeftOut()
    {
        // Pages read backwards arrive newest page first and may repeat a message.
        JsonObject[] messages =
        [
            Message(5, 1, "Refund sent.", senderType: "user"),
            Message(6, 2, "Conversation was resolved by Sam"),
            Message(1, 0, "Where is my parcel?"),
            Message(2, 1, "Let me check.", senderType: "agent_bot"),
            Message(3, 1, "Courier lost it", isPrivate: true, senderType: "user"),
            Message(4, 0, null, attachment: "https://chatwoot.example/rails/active_storage/receipt.pdf"),
            Message(5, 1, "Refund sent.", senderType: "user"),
            Message(7, 0, "  "),
        ];

        var mapped = ChatwootConversationMapper.Map(Conversation, messages);

        Assert.Equal(("42", 7L, 1, 1), (mapped.Conversation.SourceId, mapped.LastMessageId, mapped.ActivityMessages, mapped.EmptyMessages));
        Assert.Equal(
            [(ImportedRole.User, "Where is my parcel?"), (ImportedRole.Bot, "Let me check."), (ImportedRole.User, "https://chatwoot.example/rails/active_storage/receipt.pdf"), (ImportedRole.Agent, "Refund sent.")],
            mapped.Conversation.Messages.Select(m => (m.Role, m.Text)));
        Assert.Equal("Sam", mapped.Conversation.Messages[^1].AuthorName);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1764000001), mapped.Conversation.Messages[0].At);
        Assert.Equal(new ImportedNote("Courier lost it", "Sam", DateTimeOffset.FromUnixTimeSeconds(1764000003)), Assert.Single(mapped.Conversation.Notes));
        Assert.Equal(new ImportedContact("7", "Ada", "ada@acme.example", "+442079460000"), mapped.Conversation.Contact);
    }

    [Fact]
    public void Map_AfterAnEarlierImport_OnlyTheNewerMessages()
    {
        var mapped = ChatwootConversationMapper.Map(Conversation, [Message(1, 0, "Hi"), Message(2, 1, "Hello!"), Message(3, 0, "Still there?")], after: 2);

        Assert.Equal(["Still there?"], mapped.Conversation.Messages.Select(m => m.Text));
        Assert.Equal(3, mapped.LastMessageId);
    }
}
