using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Parley.Server.Tests.Infrastructure;
using static Parley.Server.Tests.Features.OpenAiCompatible.OpenAiApp;

namespace Parley.Server.Tests.Features.OpenAiCompatible;

[Trait(Storage.Trait, Storage.Independent)]
public sealed class ChatCompletionTests(OpenAiApp app) : IClassFixture<OpenAiApp>
{
    private static object[] User(string text) => [new { role = "user", content = text }];

    [Fact]
    public async Task ChatCompletions_Plain_AnswersInTheProtocolShapeAndStoresAnApiConversation()
    {
        var (client, _, bot) = await app.WorkspaceWithBotAsync();

        var response = await ChatAsync(client, new { model = bot, messages = new object[] { new { role = "system", content = "Be brief." }, new { role = "user", content = "Do you ship to Canada?" } } });

        var body = await response.JsonAsync(HttpStatusCode.OK);
        Assert.StartsWith("chatcmpl-", (string?)body["id"], StringComparison.Ordinal);
        Assert.Equal("chat.completion", (string?)body["object"]);
        Assert.Equal(bot, (string?)body["model"]);
        Assert.InRange((long)body["created"]!, DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        var choice = body["choices"]!.AsArray().Single()!;
        Assert.Equal(0, (int?)choice["index"]);
        Assert.Equal("assistant", (string?)choice["message"]!["role"]);
        Assert.Equal(Fallback, (string?)choice["message"]!["content"]);
        Assert.Equal("stop", (string?)choice["finish_reason"]);
        Assert.Null(body["usage"]); // the built-in answerer uses no tokens

        var parley = body["parley"]!;
        var conversationId = (string)parley["conversation_id"]!;
        Assert.Equal(conversationId, response.Headers.GetValues("X-Parley-Conversation").Single());
        Assert.Contains("generate;dur=", response.Headers.GetValues("Server-Timing").Single(), StringComparison.Ordinal);
        Assert.True((double)parley["timings"]!["generate"]! >= 0);
        Assert.Equal(Fallback, (string?)parley["messages"]![0]!["text"]);
        Assert.Equal("api", (string?)parley["conversation"]!["channel"]);
        Assert.False((bool)parley["replayed"]!);
        Assert.Equal([("bot", "Hello! How can I help?"), ("user", "Do you ship to Canada?"), ("bot", Fallback)], await app.TranscriptAsync(conversationId));

        var listed = await (await client.GetAsync($"/v1/conversations/{conversationId}/messages")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal((string?)parley["user_message_id"], listed["data"]![1]!.Id());
    }

    [Fact]
    public async Task ChatCompletions_ResentHistoryWithUser_StoresEachMessageOnce()
    {
        var (client, _, bot) = await app.WorkspaceWithBotAsync();
        var history = new List<object>();
        string? conversationId = null;
        foreach (var text in new[] { "Hi", "Do you ship to Canada?", "And to Mexico?" })
        {
            history.Add(new { role = "user", content = text });
            var body = await (await ChatAsync(client, new { model = bot, user = "customer-42", messages = history })).JsonAsync(HttpStatusCode.OK);
            var parley = body["parley"]!;
            conversationId ??= (string)parley["conversation_id"]!;
            Assert.Equal(conversationId, (string?)parley["conversation_id"]);
            Assert.Equal(history.Count / 2, (int?)parley["recognised_messages"]);
            history.Add(new { role = "assistant", content = (string)body["choices"]![0]!["message"]!["content"]! });
        }

        var transcript = await app.TranscriptAsync(conversationId!);
        Assert.Equal(7, transcript.Count); // the greeting, then three turns of two
        Assert.Equal(["Hi", "Do you ship to Canada?", "And to Mexico?"], transcript.Where(m => m.Role == "user").Select(m => m.Text));
        var contactId = (string)(await (await client.GetAsync($"/v1/conversations/{conversationId}")).JsonAsync(HttpStatusCode.OK))["contact_id"]!;
        Assert.Equal("customer-42", await app.DbAsync(db => db.Contacts.IgnoreQueryFilters().Where(c => c.Id == contactId).Select(c => c.ExternalId).SingleAsync()));
    }

    [Fact]
    public async Task ChatCompletions_SameRequestAgain_AnsweredFromTheTranscriptWithoutANewTurn()
    {
        var (client, _, bot) = await app.WorkspaceWithBotAsync();
        var request = new { model = bot, user = "retrying-client", messages = User("Where are you based?") };
        var first = await (await ChatAsync(client, request)).JsonAsync(HttpStatusCode.OK);

        var again = await (await ChatAsync(client, request)).JsonAsync(HttpStatusCode.OK);

        var conversationId = (string)first["parley"]!["conversation_id"]!;
        Assert.Equal(conversationId, (string?)again["parley"]!["conversation_id"]);
        Assert.True((bool)again["parley"]!["replayed"]!);
        Assert.Equal((string?)first["parley"]!["user_message_id"], (string?)again["parley"]!["user_message_id"]);
        Assert.Equal(first["choices"]!.ToJsonString(), again["choices"]!.ToJsonString());
        Assert.Equal(3, (await app.TranscriptAsync(conversationId)).Count);
    }

    [Fact]
    public async Task ChatCompletions_WithoutUserOrHeader_StartsANewConversationEachTime()
    {
        var (client, _, bot) = await app.WorkspaceWithBotAsync();
        var first = await (await ChatAsync(client, new { model = bot, messages = User("Hello") })).JsonAsync(HttpStatusCode.OK);
        var second = await (await ChatAsync(client, new { model = bot, messages = User("Hello") })).JsonAsync(HttpStatusCode.OK);
        Assert.NotEqual((string?)first["parley"]!["conversation_id"], (string?)second["parley"]!["conversation_id"]);
    }

    [Fact]
    public async Task ChatCompletions_ConversationHeader_ContinuesThatConversationAndRefusesOthers()
    {
        var (client, _, bot) = await app.WorkspaceWithBotAsync();
        var conversationId = (await client.StartConversationAsync(bot))["conversation"]!.Id();

        var body = await (await ChatAsync(client, new { model = bot, messages = User("Started through the API") }, conversationId)).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(conversationId, (string?)body["parley"]!["conversation_id"]);
        Assert.Equal(3, (await app.TranscriptAsync(conversationId)).Count);
        var otherBot = await client.CreateBotAsync("Sales");
        var before = await app.RowCountsAsync();
        var error = await ErrorAsync(await ChatAsync(client, new { model = bot, messages = User("Hi") }, "conv_00000000000000000000000000"),
            HttpStatusCode.NotFound, "not_found_error", "not_found");
        Assert.Equal("X-Parley-Conversation", (string?)error["param"]);
        await ErrorAsync(await ChatAsync(client, new { model = otherBot, messages = User("Hi") }, conversationId),
            HttpStatusCode.BadRequest, "invalid_request_error", "invalid_request");
        Assert.Equal(before, await app.RowCountsAsync());
    }

    [Fact]
    public async Task ChatCompletions_WrongOrMissingKey_401InTheProtocolShape()
    {
        var bot = await app.Client().CreateBotAsync();

        await ErrorAsync(await ChatAsync(app.Client("sk_notAKeyAtAll00000000000000000000000"), new { model = bot, messages = User("Hi") }),
            HttpStatusCode.Unauthorized, "authentication_error", "invalid_api_key");
        await ErrorAsync(await ChatAsync(app.Client(key: null), new { model = bot, messages = User("Hi") }),
            HttpStatusCode.Unauthorized, "authentication_error", "missing_api_key");
        await ErrorAsync(await app.Client("sk_notAKeyAtAll00000000000000000000000").GetAsync("/v1/openai/models"),
            HttpStatusCode.Unauthorized, "authentication_error", "invalid_api_key");
    }

    [Fact]
    public async Task ChatCompletions_UnknownBot_404ModelNotFoundAndNothingStored()
    {
        var (client, _, _) = await app.WorkspaceWithBotAsync();
        var before = await app.RowCountsAsync();

        var error = await ErrorAsync(await ChatAsync(client, new { model = "bot_doesnotexist", messages = User("Hi") }),
            HttpStatusCode.NotFound, "not_found_error", "model_not_found");

        Assert.Equal("model", (string?)error["param"]);
        Assert.Contains("bot_doesnotexist", (string?)error["message"], StringComparison.Ordinal);
        Assert.Equal(before, await app.RowCountsAsync());
        await ErrorAsync(await client.GetAsync("/v1/openai/models/bot_doesnotexist"), HttpStatusCode.NotFound, "not_found_error", "model_not_found");
    }

    public static TheoryData<string, string> BadRequests => new()
    {
        { """{"messages": [{"role": "user", "content": "Hi"}]}""", "model" },
        { """{"model": "BOT", "messages": []}""", "messages" },
        { """{"model": "BOT"}""", "messages" },
        { """{"model": "BOT", "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}""", "messages[1].role" },
        { """{"model": "BOT", "messages": [{"role": "wizard", "content": "Hi"}]}""", "messages[0].role" },
        { """{"model": "BOT", "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}]}]}""", "messages[0].content" },
        { """{"model": "BOT", "messages": [{"role": "user", "content": "   "}]}""", "messages[0].content" },
        { """{"model": "BOT", "messages": [{"role": "user"}]}""", "messages[0].content" },
        { """{"model": "BOT", "n": 2, "messages": [{"role": "user", "content": "Hi"}]}""", "n" },
        { """{"model": "BOT", "messages": "Hi"}""", "messages" },
        { """{"model": "BOT", "messages": [""", "body" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task ChatCompletions_BadRequest_400WithTheParamAndNothingStored(string body, string param)
    {
        var (client, _, bot) = await app.WorkspaceWithBotAsync();
        var before = await app.RowCountsAsync();

        var response = await client.PostRawAsync("/v1/openai/chat/completions", body.Replace("BOT", bot, StringComparison.Ordinal));

        var error = await ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error", "invalid_request");
        Assert.Equal(param, (string?)error["param"]);
        Assert.Equal(before, await app.RowCountsAsync());
    }

    [Fact]
    public async Task ChatCompletions_TooLongMessage_400NamingTheMessage()
    {
        var (client, _, bot) = await app.WorkspaceWithBotAsync();
        var error = await ErrorAsync(await ChatAsync(client, new { model = bot, messages = User(new string('a', 4001)) }),
            HttpStatusCode.BadRequest, "invalid_request_error", "invalid_request");
        Assert.Equal("messages[0].content", (string?)error["param"]);
    }

    [Fact]
    public async Task ChatCompletions_IdempotencyKey_400AndNothingStored()
    {
        var (client, _, bot) = await app.WorkspaceWithBotAsync();
        var before = await app.RowCountsAsync();

        var response = await client.PostJsonAsync("/v1/openai/chat/completions", new { model = bot, messages = User("Hi") }, idempotencyKey: "retry-1");

        var error = await ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error", "invalid_request");
        Assert.Equal("Idempotency-Key", (string?)error["param"]);
        Assert.Equal(before, await app.RowCountsAsync());
    }

    [Fact]
    public async Task RestOfTheApi_KeepsProblemJson()
    {
        await (await app.Client("sk_notAKeyAtAll00000000000000000000000").GetAsync("/v1/bots")).ProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");
        await (await app.Client().PostJsonAsync("/v1/conversations", new { bot_id = "bot_nope" })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task UnknownPathUnderTheSurface_404InTheProtocolShape() =>
        await ErrorAsync(await app.Client().GetAsync("/v1/openai/embeddings"), HttpStatusCode.NotFound, "not_found_error", "not_found");

    [Fact]
    public async Task Models_ListsTheWorkspacesBotsAsModels()
    {
        var (client, _, bot) = await app.WorkspaceWithBotAsync();
        var sales = await client.CreateBotAsync("Sales");

        var models = await (await client.GetAsync("/v1/openai/models")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("list", (string?)models["object"]);
        var data = models["data"]!.AsArray();
        Assert.Equal(new[] { bot, sales }.Order(StringComparer.Ordinal), data.Select(m => (string)m!["id"]!));
        Assert.All(data, m => Assert.Equal("model", (string?)m!["object"]));
        Assert.Equal(["Support", "Sales"], data.Select(m => (string)m!["name"]!));
        var one = await (await client.GetAsync($"/v1/openai/models/{sales}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Sales", (string?)one["name"]);
    }

    [Fact]
    public async Task ChatCompletions_Streamed_ChunksJoinToTheReplyAndEndWithDone()
    {
        var (client, _, bot) = await app.WorkspaceWithBotAsync();

        var response = await ChatAsync(client, new { model = bot, stream = true, messages = User("Do you ship to Canada?") });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var (chunks, done) = await ChunksAsync(response);
        Assert.True(done, "the stream did not end with data: [DONE]");
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", (string?)c["object"]));
        Assert.Single(chunks.Select(c => (string)c["id"]!).Distinct());
        Assert.Equal("assistant", (string?)chunks[0]["choices"]![0]!["delta"]!["role"]);
        Assert.True(chunks.Count > 3, "the reply came in one piece");
        Assert.Equal(Fallback, string.Concat(chunks.Select(c => (string?)c["choices"]![0]!["delta"]!["content"])));
        var last = chunks[^1];
        Assert.Equal("stop", (string?)last["choices"]![0]!["finish_reason"]);
        var conversationId = (string)last["parley"]!["conversation_id"]!;
        Assert.Equal(3, (await app.TranscriptAsync(conversationId)).Count);
    }

    /// <summary>The <c>data:</c> payloads of a streamed answer, and whether it ended with <c>[DONE]</c>.</summary>
    internal static async Task<(List<JsonNode> Chunks, bool Done)> ChunksAsync(HttpResponseMessage response)
    {
        var chunks = new List<JsonNode>();
        var done = false;
        foreach (var block in (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.DoesNotContain("event:", block, StringComparison.Ordinal);
            var data = block.Split('\n').Single(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..];
            Assert.False(done, "data after [DONE]");
            if (data == "[DONE]")
            {
                done = true;
                continue;
            }
            chunks.Add(JsonNode.Parse(data)!);
        }
        return (chunks, done);
    }
}
