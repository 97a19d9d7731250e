using System.Net;
using System.Text.Json.Nodes;
using Parley.Server.Features.Imports.Platforms;
using Parley.Server.Tests.Infrastructure;
using static Parley.Server.Tests.Features.Imports.Platforms.Chatwoot.FakeChatwoot;

namespace Parley.Server.Tests.Features.Imports.Platforms.Chatwoot;

/// <summary>The server with loopback targets allowed (the fake Chatwoot runs there) and room for three new conversations per import.</summary>
public sealed class ChatwootApp : ParleyApp
{
    public ChatwootApp()
    {
        With("Parley:Network:AllowPrivateTargets", "true");
        With("Parley:Imports:Chatwoot:MaxConversations", "3");
    }
}

public sealed class ChatwootImportTests(ChatwootApp app) : IClassFixture<ChatwootApp>
{
    private const long Start = 1764000000; // 2025-11-24T16:00:00Z

    private static readonly Person Ada = new(11, "Ada Lovelace", "ada@acme.example", "+442079460000");
    private static readonly Person Bea = new(12, "Bea", null, null);

    /// <summary>
    /// Ada's late order (45 messages, so three pages backwards, with an agent's private note and an assignment), Ada's
    /// open question answered by the agent bot, and Bea's question answered by a template, then resolved.
    /// </summary>
    private static void Fill(FakeChatwoot chatwoot)
    {
        var order = new Conversation(101, Ada);
        order.Messages.Add(new Said(1000, "Hi, my order #4411 has not arrived", 0, Start));
        order.Messages.Add(new Said(1001, "Conversation was assigned to Sam", 2, Start + 60));
        order.Messages.Add(new Said(1002, "Sorry to hear that, Ada! Let me check.", 1, Start + 120, SenderType: "user", SenderName: "Sam"));
        order.Messages.Add(new Said(1003, "Courier lost it; refund approved by Jo", 1, Start + 180, Private: true, SenderType: "user", SenderName: "Sam"));
        for (var id = 1004; id < 1044; id++)
        {
            order.Messages.Add(id % 2 == 0
                ? new Said(id, $"Ada's message {id}", 0, Start + (id - 1000) * 60)
                : new Said(id, $"Sam's message {id}", 1, Start + (id - 1000) * 60, SenderType: "user", SenderName: "Sam"));
        }
        order.Messages.Add(new Said(1044, "Your refund is on its way.", 1, Start + 44 * 60, SenderType: "user", SenderName: "Sam"));
        var address = new Conversation(102, Ada, status: "open");
        address.Messages.Add(new Said(2000, "Can I change my address?", 0, Start + 86400));
        address.Messages.Add(new Said(2001, "Sure! Reply with the new address.", 1, Start + 86460, SenderType: "agent_bot", SenderName: "Acme Bot"));
        address.Messages.Add(new Said(2002, "12 High St", 0, Start + 86520));
        var norway = new Conversation(103, Bea);
        norway.Messages.Add(new Said(3000, "Do you ship to Norway?", 0, Start + 3600));
        norway.Messages.Add(new Said(3001, "Give the team a way to reach you.", 3, Start + 3660));
        norway.Messages.Add(new Said(3002, "Conversation was resolved by Sam", 2, Start + 3720));
        chatwoot.Conversations.AddRange([order, address, norway]);
    }

    private static Task<HttpResponseMessage> ImportAsync(HttpClient client, FakeChatwoot chatwoot, string token = Token, int account = Account, string? bot = null) =>
        client.PostJsonAsync("/v1/imports/chatwoot", new { url = chatwoot.Url, account_id = account, access_token = token, bot });

    private Task<string> CountsAsync() => PlatformImportCounts.Of(app);

    private static async Task<JsonArray> TranscriptAsync(HttpClient client, string conversationId) =>
        (await (await client.GetAsync($"/v1/conversations/{conversationId}/messages?limit=100")).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray();

    private static async Task<JsonNode> ConversationWithAsync(HttpClient client, string botId, int messages)
    {
        var closed = await (await client.GetAsync($"/v1/conversations?bot_id={botId}&status=closed")).JsonAsync(HttpStatusCode.OK);
        return Assert.Single(closed["data"]!.AsArray(), c => (int)c!["message_count"]! == messages)!;
    }

    [Fact]
    public async Task ImportChatwoot_Account_ContactsConversationsMessagesAndNotesArriveAtTheirOwnTimes()
    {
        var (_, key) = await app.CreateWorkspaceAsync("Chatwoot shop");
        var client = app.Client(key);
        await using var chatwoot = await FakeChatwoot.StartAsync();
        Fill(chatwoot);

        var import = await (await ImportAsync(client, chatwoot)).JsonAsync(HttpStatusCode.Created);

        Assert.Equal(("chatwoot", false, 0), ((string?)import["source"], (bool)import["repeated"]!, import["blocks"]!.AsArray().Count));
        var summary = import["summary"]!;
        Assert.Equal((3, 48, 2, 1, 2), ((int)summary["conversations"]!, (int)summary["messages"]!, (int)summary["contacts"]!, (int)summary["agent_notes"]!, (int)summary["skipped_messages"]!));
        Assert.Contains(import["notes"]!.AsArray(), n => ((string)n!).StartsWith("2 activity messages", StringComparison.Ordinal));
        // Ada's long conversation was read backwards, 20 messages at a time, to its first message.
        Assert.Contains($"/api/v1/accounts/{Account}/conversations/101/messages?before=1025", chatwoot.Requested);
        Assert.Contains($"/api/v1/accounts/{Account}/conversations/101/messages?before=1005", chatwoot.Requested);
        var botId = import.Id("bot_id");

        var order = await ConversationWithAsync(client, botId, 43);
        var transcript = await TranscriptAsync(client, order.Id());
        Assert.Equal(["Hi, my order #4411 has not arrived", "Sorry to hear that, Ada! Let me check.", "Ada's message 1004"], transcript.Take(3).Select(m => (string)m!["text"]!));
        Assert.Equal(["user", "agent", "user", "agent"], transcript.Take(4).Select(m => (string)m!["role"]!));
        Assert.Equal(("Your refund is on its way.", "agent"), ((string?)transcript[^1]!["text"], (string?)transcript[^1]!["role"]));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Start), (DateTimeOffset)transcript[0]!["created_at"]!);
        var notes = (await (await client.GetAsync($"/v1/conversations/{order.Id()}/notes")).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray();
        var note = Assert.Single(notes)!;
        Assert.Equal(("Courier lost it; refund approved by Jo", "Sam"), ((string?)note["text"], (string?)note["author_name"]));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Start + 180), (DateTimeOffset)note["created_at"]!);

        // Ada's two conversations share her contact; the agent bot's answer and the template are the bot's.
        var address = await ConversationWithAsync(client, botId, 3);
        Assert.Equal(order["contact_id"]!.ToString(), address["contact_id"]!.ToString());
        Assert.Equal(["user", "bot", "user"], (await TranscriptAsync(client, address.Id())).Select(m => (string)m!["role"]!));
        var norway = await ConversationWithAsync(client, botId, 2);
        Assert.Equal(["Do you ship to Norway?", "Give the team a way to reach you."], (await TranscriptAsync(client, norway.Id())).Select(m => (string)m!["text"]!));
        var contact = await (await client.GetAsync($"/v1/contacts/{order["contact_id"]}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("Ada Lovelace", "ada@acme.example", "+442079460000", "chatwoot:11"),
            ((string?)contact["name"], (string?)contact["email"], (string?)contact["phone"], (string?)contact["attributes"]!["imported_from"]));
        Assert.NotEqual(order["contact_id"]!.ToString(), norway["contact_id"]!.ToString());
    }

    [Fact]
    public async Task ImportChatwoot_SameAccountAgain_AddsNothingThenOnlyWhatIsNew()
    {
        var (_, key) = await app.CreateWorkspaceAsync("Chatwoot twice");
        var client = app.Client(key);
        await using var chatwoot = await FakeChatwoot.StartAsync();
        Fill(chatwoot);
        var first = await (await ImportAsync(client, chatwoot)).JsonAsync(HttpStatusCode.Created);
        var before = await CountsAsync();

        var second = await (await ImportAsync(client, chatwoot)).JsonAsync(HttpStatusCode.OK);

        Assert.True((bool)second["repeated"]!);
        Assert.Equal((first.Id(), first.Id("bot_id")), (second.Id(), second.Id("bot_id")));
        Assert.Equal(before, await CountsAsync());

        // Ada writes again in her open conversation and Sam notes it; Cy starts a conversation.
        var address = chatwoot.Conversations.Single(t => t.Id == 102);
        address.Messages.Add(new Said(2003, "Thanks, that's all!", 0, Start + 90000));
        address.Messages.Add(new Said(2004, "Address changed in the shop too", 1, Start + 90060, Private: true, SenderType: "user", SenderName: "Sam"));
        var cy = new Conversation(104, new Person(13, "Cy", "cy@acme.example", null));
        cy.Messages.Add(new Said(4000, "Hello?", 0, Start + 95000));
        chatwoot.Conversations.Add(cy);

        var third = await (await ImportAsync(client, chatwoot)).JsonAsync(HttpStatusCode.Created);

        var summary = third["summary"]!;
        Assert.Equal((1, 2, 1, 1), ((int)summary["conversations"]!, (int)summary["messages"]!, (int)summary["contacts"]!, (int)summary["agent_notes"]!));
        Assert.Equal(first.Id("bot_id"), third.Id("bot_id"));
        var updated = await ConversationWithAsync(client, first.Id("bot_id"), 4);
        Assert.Equal("Thanks, that's all!", (string?)(await TranscriptAsync(client, updated.Id()))[^1]!["text"]);
        Assert.Equal(HttpStatusCode.OK, (await ImportAsync(client, chatwoot)).StatusCode);
    }

    [Fact]
    public async Task ImportChatwoot_MoreNewConversationsThanTheBound_TakesTheLatestAndTheNextImportTheRest()
    {
        var (_, key) = await app.CreateWorkspaceAsync("Chatwoot bounded");
        var client = app.Client(key);
        await using var chatwoot = await FakeChatwoot.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            var thread = new Conversation(200 + i, new Person(50 + i, $"Visitor {i}", null, null));
            thread.Messages.Add(new Said(5000 + i, $"Question {i}", 0, Start + i * 600));
            chatwoot.Conversations.Add(thread);
        }

        var first = await (await ImportAsync(client, chatwoot)).JsonAsync(HttpStatusCode.Created);
        var second = await (await ImportAsync(client, chatwoot)).JsonAsync(HttpStatusCode.Created);

        Assert.Equal((3, 2), ((int)first["summary"]!["conversations"]!, (int)second["summary"]!["conversations"]!));
        Assert.Contains(first["notes"]!.AsArray(), n => ((string)n!).Contains("Chatwoot lists 5 in all", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await ImportAsync(client, chatwoot)).StatusCode);
    }

    [Fact]
    public async Task ImportChatwoot_WrongTokenOrAccount_422AndNothingWritten()
    {
        var client = app.Client();
        await using var chatwoot = await FakeChatwoot.StartAsync();
        Fill(chatwoot);
        var before = await CountsAsync();

        var token = await (await ImportAsync(client, chatwoot, token: "wrong")).ProblemAsync(HttpStatusCode.UnprocessableEntity, "import_source_refused");
        var account = await (await ImportAsync(client, chatwoot, account: 4)).ProblemAsync(HttpStatusCode.UnprocessableEntity, "import_source_refused");

        Assert.Contains("HTTP 401", (string?)token["detail"]);
        Assert.Contains("no account 4", (string?)account["detail"]);
        Assert.Contains("Nothing was written", (string?)token["detail"]);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task ImportChatwoot_NotChatwootOrUnreachable_502AndNothingWritten()
    {
        var client = app.Client();
        await using var site = await LocalSite.StartAsync(new Dictionary<string, (string, string)>
        {
            [$"/api/v1/accounts/{Account}/conversations"] = ("text/html", "<html><body>Welcome to our shop</body></html>"),
        });
        var down = WebhookReceiver.Down();
        var before = await CountsAsync();

        var html = await (await client.PostJsonAsync("/v1/imports/chatwoot", new { url = site.Url("/"), account_id = Account, access_token = Token }))
            .ProblemAsync(HttpStatusCode.BadGateway, "import_source_unavailable");
        var unreachable = await (await client.PostJsonAsync("/v1/imports/chatwoot", new { url = $"http://127.0.0.1:{down.Port}", account_id = Account, access_token = Token }))
            .ProblemAsync(HttpStatusCode.BadGateway, "import_source_unavailable");

        Assert.Contains("not JSON", (string?)html["detail"]);
        Assert.Contains("could not be reached", (string?)unreachable["detail"]);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task ImportChatwoot_MissingFieldsOrUnknownBot_RefusedBeforeChatwootIsAsked()
    {
        var client = app.Client();
        await using var chatwoot = await FakeChatwoot.StartAsync();
        var before = await CountsAsync();

        var problem = await (await client.PostJsonAsync("/v1/imports/chatwoot", new { url = "ftp://chatwoot.example", account_id = 0 }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await ImportAsync(client, chatwoot, bot: "bot_01KBM4W6Q0ZZZZZZZZZZZZZZZZ")).ProblemAsync(HttpStatusCode.NotFound, "not_found");

        Assert.Equal(["access_token", "account_id", "url"], problem["errors"]!.AsObject().Select(e => e.Key).Order());
        Assert.Empty(chatwoot.Requested);
        Assert.Equal(before, await CountsAsync());
    }
}

public sealed class ChatwootCommandLineTests(ChatwootApp app) : IClassFixture<ChatwootApp>
{
    [Fact]
    public async Task ImportFromCommand_ChatwootAccount_ImportsOnceWithTheTokenFromAFile()
    {
        var (workspaceId, key) = await app.CreateWorkspaceAsync("Chatwoot command line");
        await using var chatwoot = await FakeChatwoot.StartAsync();
        var conversation = new Conversation(7, new Person(70, "Fay", "fay@acme.example", null));
        conversation.Messages.Add(new Said(700, "Is the shop open on Sunday?", 0, 1764000000));
        conversation.Messages.Add(new Said(701, "Yes, 10 to 4.", 1, 1764000060, SenderType: "user", SenderName: "Sam"));
        chatwoot.Conversations.Add(conversation);
        var folder = Directory.CreateTempSubdirectory("parley-import-from-");
        var tokenFile = Path.Combine(folder.FullName, "chatwoot-token");
        await File.WriteAllTextAsync(tokenFile, Token + "\n");
        async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
        {
            var (output, error) = (new StringWriter(), new StringWriter());
            var (command, exit) = ImportFromCommand.Parse(["import-from", "chatwoot", .. args], output, error);
            if (command is not null)
            {
                exit = await new ImportFromRunner(app.Services, output, error).RunAsync(command with { WorkspaceId = workspaceId }, CancellationToken.None);
            }
            return (exit!.Value, output.ToString(), error.ToString());
        }

        var first = await RunAsync("--url", chatwoot.Url, "--account", Account.ToString(System.Globalization.CultureInfo.InvariantCulture), "--token-file", tokenFile);
        var again = await RunAsync("--url", chatwoot.Url, "--account", Account.ToString(System.Globalization.CultureInfo.InvariantCulture), "--token-file", tokenFile);

        Assert.Equal((0, 0), (first.Exit, again.Exit));
        Assert.Contains("1 past conversations (2 messages) added", first.Output, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", again.Output, StringComparison.Ordinal);
        var closed = await (await app.Client(key).GetAsync("/v1/conversations?status=closed")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, (int)Assert.Single(closed["data"]!.AsArray())!["message_count"]!);
        Assert.Equal(2, (await RunAsync("--url", chatwoot.Url, "--token-file", tokenFile)).Exit);
        Assert.Equal(2, (await RunAsync("export.json", "--url", chatwoot.Url, "--account", "3", "--token-file", tokenFile)).Exit);
        await File.WriteAllTextAsync(tokenFile, "wrong");
        var refused = await RunAsync("--url", chatwoot.Url, "--account", "3", "--token-file", tokenFile);
        Assert.Equal((1, true), (refused.Exit, refused.Error.Contains("HTTP 401", StringComparison.Ordinal)));
        folder.Delete(recursive: true);
    }
}

public sealed class ChatwootPrivateTargetTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Fact]
    public async Task ImportChatwoot_LoopbackAddressWithoutPrivateTargetsAllowed_400AndChatwootNeverAsked()
    {
        await using var chatwoot = await FakeChatwoot.StartAsync();

        var problem = await (await app.Client().PostJsonAsync("/v1/imports/chatwoot", new { url = chatwoot.Url, account_id = Account, access_token = Token }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.Contains("AllowPrivateTargets", problem["errors"]!["url"]![0]!.ToString(), StringComparison.Ordinal);
        Assert.Empty(chatwoot.Requested);
    }
}
