using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Contacts;

public sealed class ContactRightsTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    // Unique per test: the fixture's database is shared by every test of the class.
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private string UserText => $"My order {_run} never arrived, call me";
    private string[] ErasedValues =>
        [$"Zoë Ångström {_run}", $"zoe.{_run}@example.com", $"+46 70 {_run}", $"ext-{_run}", $"gold-{_run}", UserText];

    private async Task<(HttpClient Client, string ContactId, string ConversationId)> ContactWithConversationAsync()
    {
        var (_, key) = await app.CreateWorkspaceAsync();
        var client = app.Client(key);
        var bot = await client.CreateBotAsync();
        var contact = new { name = ErasedValues[0], email = ErasedValues[1], phone = ErasedValues[2], external_id = ErasedValues[3], attributes = new { plan = ErasedValues[4] } };
        var started = await client.StartConversationAsync(bot, contact);
        var conversationId = started["conversation"]!.Id();
        await client.SendAsync(conversationId, UserText);
        return (client, started["conversation"]!.Id("contact_id"), conversationId);
    }

    [Fact]
    public async Task ExportContact_ExistingContact_ContactConversationsMessagesAndEvents()
    {
        var (client, contactId, conversationId) = await ContactWithConversationAsync();

        var export = await (await client.GetAsync($"/v1/contacts/{contactId}/export")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(ErasedValues[1], (string?)export["contact"]!["email"]);
        Assert.Equal(conversationId, export["conversations"]![0]!.Id());
        Assert.Contains(export["messages"]!.AsArray(), m => (string?)m!["text"] == UserText);
        Assert.NotEmpty(export["events"]!.AsArray());
    }

    [Fact]
    public async Task ExportContact_KeyWithoutPiiScope_PersonalFieldsLeftOut()
    {
        var (client, contactId, conversationId) = await ContactWithConversationAsync();
        var narrow = await (await client.PostJsonAsync("/v1/api-keys", new { name = "reader", scopes = new[] { "contacts:read" } }))
            .JsonAsync(HttpStatusCode.Created);

        var response = await app.Client((string)narrow["secret"]!).GetAsync($"/v1/contacts/{contactId}/export");

        var export = await response.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(contactId, export["contact"]!.Id());
        Assert.Equal(conversationId, export["conversations"]![0]!.Id());
        foreach (var field in new[] { "name", "email", "phone", "attributes" })
        {
            Assert.Null(export["contact"]![field]);
        }
        var text = export.ToJsonString();
        Assert.DoesNotContain(ErasedValues[1], text, StringComparison.Ordinal);
        Assert.DoesNotContain(ErasedValues[4], text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportContact_OtherWorkspace_NotFound()
    {
        var (_, contactId, _) = await ContactWithConversationAsync();
        var (_, otherKey) = await app.CreateWorkspaceAsync();

        var response = await app.Client(otherKey).GetAsync($"/v1/contacts/{contactId}/export");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task EraseContact_OtherWorkspace_NotFoundAndNothingChanged()
    {
        var (client, contactId, _) = await ContactWithConversationAsync();
        var (_, otherKey) = await app.CreateWorkspaceAsync();

        var response = await app.Client(otherKey).DeleteAsync($"/v1/contacts/{contactId}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var export = await (await client.GetAsync($"/v1/contacts/{contactId}/export")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(ErasedValues[0], (string?)export["contact"]!["name"]);
    }

    [Fact]
    public async Task EraseContact_ErasedValues_AppearNowhereInTheDatabaseNorInTheExport()
    {
        var (client, contactId, conversationId) = await ContactWithConversationAsync();

        await (await client.DeleteAsync($"/v1/contacts/{contactId}")).JsonAsync(HttpStatusCode.OK);

        Assert.Empty(await TextCellsContainingAsync(ErasedValues));
        // The erased transcript and payloads are written back encrypted, like any other.
        var stored = await app.DbAsync(async db => (await db.Database.SqlQueryRaw<string>(
            "SELECT \"Text\" AS \"Value\" FROM \"Messages\" WHERE \"ConversationId\" = {0} UNION ALL SELECT \"DataJson\" FROM \"Events\" WHERE \"ConversationId\" = {0}",
            conversationId).ToListAsync()));
        Assert.NotEmpty(stored);
        Assert.All(stored, value => Assert.StartsWith("enc1:", value, StringComparison.Ordinal));
        var export = await client.GetStringAsync($"/v1/contacts/{contactId}/export");
        Assert.DoesNotContain(ErasedValues, export.Contains);
        var exported = JsonNode.Parse(export)!;
        Assert.Contains(exported["messages"]!.AsArray(), m => (string?)m!["text"] == "[erased]");
    }

    [Fact]
    public async Task EraseContact_Twice_SameStateAndOneErasedEvent()
    {
        var (client, contactId, _) = await ContactWithConversationAsync();

        await (await client.DeleteAsync($"/v1/contacts/{contactId}")).JsonAsync(HttpStatusCode.OK);
        var first = await client.GetStringAsync($"/v1/contacts/{contactId}/export");
        await (await client.DeleteAsync($"/v1/contacts/{contactId}")).JsonAsync(HttpStatusCode.OK);
        var second = await client.GetStringAsync($"/v1/contacts/{contactId}/export");

        static JsonNode WithoutTimestamp(string json) { var node = JsonNode.Parse(json)!; node.AsObject().Remove("exported_at"); return node; }
        Assert.True(JsonNode.DeepEquals(WithoutTimestamp(first), WithoutTimestamp(second)));
        var erasedEvents = await (await client.GetAsync("/v1/events?type=contact.erased")).JsonAsync(HttpStatusCode.OK);
        var erased = Assert.Single(erasedEvents["data"]!.AsArray());
        Assert.Equal(contactId, (string?)erased!["data"]!["contact_id"]);
    }

    [Fact]
    public async Task EraseContact_UnknownId_NotFound()
    {
        var (client, _, _) = await ContactWithConversationAsync();

        var response = await client.DeleteAsync("/v1/contacts/con_doesnotexist");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>Every text cell of every mapped table, across workspaces, that contains one of <paramref name="values"/>.</summary>
    private Task<List<string>> TextCellsContainingAsync(IReadOnlyList<string> values) => app.DbAsync(async db =>
    {
        var hits = new List<string>();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        foreach (var table in db.Model.GetEntityTypes().Select(t => t.GetTableName()).OfType<string>().Distinct())
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    if (!reader.IsDBNull(i) && reader.GetValue(i) is string text && values.Any(v => text.Contains(v, StringComparison.OrdinalIgnoreCase)))
                    {
                        hits.Add($"{table}.{reader.GetName(i)}: {text}");
                    }
                }
            }
        }
        return hits;
    });
}
