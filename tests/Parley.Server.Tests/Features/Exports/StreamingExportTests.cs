using System.Net;
using System.Text.Json.Nodes;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Exports;

public sealed class StreamingExportTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private async Task<(HttpClient Client, string BotA, string BotB)> WorkspaceWithConversationsAsync()
    {
        var (_, key) = await app.CreateWorkspaceAsync();
        var client = app.Client(key);
        var botA = await client.CreateBotAsync("A");
        var botB = await client.CreateBotAsync("B");
        var contact = new { name = "Zoë \"Z\" Ångström", email = "zoe@example.com", phone = "+46 70 123 45 67", attributes = new { plan = "gold, yearly" } };
        var first = await client.StartConversationAsync(botA, contact);
        await client.SendAsync(first["conversation"]!.Id(), "Hello, \"quoted\"\nsecond line");
        await client.StartConversationAsync(botB);
        return (client, botA, botB);
    }

    private static List<JsonNode> Lines(string ndjson) =>
        [.. ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!)];

    [Fact]
    public async Task StreamNdjson_Messages_AllRowsInIdOrderAsNdjson()
    {
        var (client, _, _) = await WorkspaceWithConversationsAsync();

        var response = await client.GetAsync("/v1/export/messages.ndjson?include_pii=true");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var rows = Lines(await response.Content.ReadAsStringAsync());
        Assert.Equal(4, rows.Count); // two greetings, the user message, the reply
        Assert.Equal(rows.Select(r => r.Id()).Order(StringComparer.Ordinal), rows.Select(r => r.Id()));
        Assert.Contains(rows, r => (string?)r["text"] == "Hello, \"quoted\"\nsecond line");
        // Without PII the transcript is left out, and the rows are the same.
        var withoutPii = Lines(await client.GetStringAsync("/v1/export/messages.ndjson"));
        Assert.Equal(rows.Select(r => r.Id()), withoutPii.Select(r => r.Id()));
        Assert.All(withoutPii, r => Assert.False(r.AsObject().ContainsKey("text")));
    }

    [Fact]
    public async Task StreamNdjson_AfterCursor_ResumesAfterTheLastIdReceived()
    {
        var (client, _, _) = await WorkspaceWithConversationsAsync();
        var all = Lines(await client.GetStringAsync("/v1/export/messages.ndjson"));

        var rest = Lines(await client.GetStringAsync($"/v1/export/messages.ndjson?after={all[1].Id()}"));

        Assert.Equal(all.Skip(2).Select(r => r.Id()), rest.Select(r => r.Id()));
    }

    [Fact]
    public async Task StreamJson_Limit_EndsWithNextCursorThatResumes()
    {
        var (client, _, _) = await WorkspaceWithConversationsAsync();

        var page = await (await client.GetAsync("/v1/export/messages.json?limit=3")).JsonAsync(HttpStatusCode.OK);
        var next = await (await client.GetAsync($"/v1/export/messages.json?after={(string?)page["next_cursor"]}")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(3, page["data"]!.AsArray().Count);
        Assert.Equal(page["data"]![2]!.Id(), (string?)page["next_cursor"]);
        Assert.Single(next["data"]!.AsArray());
        Assert.Null(next["next_cursor"]);
    }

    [Fact]
    public async Task StreamNdjson_BotFilter_OnlyThatBotsConversations()
    {
        var (client, _, botB) = await WorkspaceWithConversationsAsync();

        var conversations = Lines(await client.GetStringAsync($"/v1/export/conversations.ndjson?bot_id={botB}"));
        var messages = Lines(await client.GetStringAsync($"/v1/export/messages.ndjson?bot_id={botB}"));

        Assert.Equal(botB, conversations.Single()["bot_id"]!.GetValue<string>());
        Assert.Equal(conversations.Single().Id(), messages.Single()["conversation_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task StreamNdjson_SinceAndUntil_BoundTheCreationTime()
    {
        var (client, _, _) = await WorkspaceWithConversationsAsync();
        var all = Lines(await client.GetStringAsync("/v1/export/messages.ndjson"));
        var since = Uri.EscapeDataString((string)all[1]["created_at"]!);
        var until = Uri.EscapeDataString((string)all[3]["created_at"]!);

        var window = Lines(await client.GetStringAsync($"/v1/export/messages.ndjson?since={since}&until={until}"));

        Assert.Equal(all.Skip(1).Take(2).Select(r => r.Id()), window.Select(r => r.Id()));
    }

    [Fact]
    public async Task StreamNdjson_KnowledgeSources_TextAndChunksByBotAndResumable()
    {
        var (client, botA, botB) = await WorkspaceWithConversationsAsync();
        for (var i = 0; i < 3; i++)
        {
            await (await client.PostJsonAsync($"/v1/bots/{botA}/knowledge", new { type = "markdown", title = $"Guide {i} ✓", content = $"# Teil {i}\n\nÄpfel und Birnen, Nummer {i}." }))
                .JsonAsync(HttpStatusCode.Created);
        }
        await (await client.PostJsonAsync($"/v1/bots/{botB}/knowledge", new { type = "text", title = "Other", content = "Other bot's text." })).JsonAsync(HttpStatusCode.Created);

        var all = Lines(await (await client.GetAsync($"/v1/export/knowledge_sources.ndjson?bot_id={botA}")).Content.ReadAsStringAsync());
        var page = await (await client.GetAsync($"/v1/export/knowledge_sources.json?bot_id={botA}&limit=2")).JsonAsync(HttpStatusCode.OK);
        var cursor = (string)page["next_cursor"]!;
        var rest = Lines(await (await client.GetAsync($"/v1/export/knowledge_sources.ndjson?bot_id={botA}&after={cursor}")).Content.ReadAsStringAsync());

        Assert.Equal(3, all.Count);
        Assert.All(all, s => Assert.Equal(botA, (string?)s["bot_id"]));
        var first = all[0];
        Assert.Equal("# Teil 0\n\nÄpfel und Birnen, Nummer 0.", (string?)first["content"]);
        Assert.Equal("Teil 0", (string?)first["chunks"]![0]!["heading_path"]![0]);
        Assert.Contains("Äpfel", (string?)first["chunks"]![0]!["text"], StringComparison.Ordinal);
        Assert.Equal([all[2].Id()], rest.Select(r => r.Id()));
    }

    [Fact]
    public async Task StreamCsv_Contacts_QuotedPerRfc4180WithPii()
    {
        var (client, _, _) = await WorkspaceWithConversationsAsync();

        var response = await client.GetAsync("/v1/export/contacts.csv?include_pii=true");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,external_id,name,email,phone,attributes,created_at,last_seen_at", lines[0]);
        Assert.Contains("\"Zoë \"\"Z\"\" Ångström\",zoe@example.com,+46 70 123 45 67,\"{\"\"plan\"\":\"\"gold, yearly\"\"}\"", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamNdjson_ContactsWithoutPiiRequest_PiiFieldsOmitted()
    {
        var (client, _, _) = await WorkspaceWithConversationsAsync();

        var response = await client.GetAsync("/v1/export/contacts.ndjson");

        var contact = Lines(await response.Content.ReadAsStringAsync()).First();
        Assert.Equal("omitted", response.Headers.GetValues("X-Parley-Pii").Single());
        Assert.Null(contact["name"]);
        Assert.Null(contact["email"]);
        Assert.Null(contact["phone"]);
        Assert.Null(contact["attributes"]);
        Assert.StartsWith("ct_", contact.Id(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamNdjson_PiiWithoutExportPiiScope_Forbidden()
    {
        var (client, _, _) = await WorkspaceWithConversationsAsync();
        var key = await (await client.PostJsonAsync("/v1/api-keys", new { name = "exports", kind = "secret", scopes = new[] { "exports:read" } }))
            .JsonAsync(HttpStatusCode.Created);
        var narrow = app.Client((string)key["secret"]!);

        await (await narrow.GetAsync("/v1/export/contacts.ndjson?include_pii=true")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(HttpStatusCode.OK, (await narrow.GetAsync("/v1/export/contacts.ndjson")).StatusCode);
    }

    [Theory]
    [InlineData("/v1/export/secrets.ndjson", HttpStatusCode.NotFound, "not_found")]
    [InlineData("/v1/export/messages.xml", HttpStatusCode.NotFound, "not_found")]
    [InlineData("/v1/export/messages.ndjson?limit=0", HttpStatusCode.BadRequest, "invalid_request")]
    [InlineData("/v1/export/messages.ndjson?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z", HttpStatusCode.BadRequest, "invalid_request")]
    [InlineData("/v1/export/messages.ndjson?since=yesterday", HttpStatusCode.BadRequest, "invalid_request")]
    public async Task Stream_BadRequest_Problem(string path, HttpStatusCode status, string code)
    {
        await (await app.Client().GetAsync(path)).ProblemAsync(status, code);
    }
}
