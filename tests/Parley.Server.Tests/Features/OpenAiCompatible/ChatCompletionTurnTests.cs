using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Parley.Server.Tests.Infrastructure;
using static Parley.Server.Tests.Features.OpenAiCompatible.OpenAiApp;

namespace Parley.Server.Tests.Features.OpenAiCompatible;

/// <summary>The turn behind the OpenAI-compatible surface: a model's tokens and stream, its outage, handoff, events and webhooks.</summary>
public sealed class ChatCompletionTurnTests(OpenAiApp app) : IClassFixture<OpenAiApp>, IAsyncLifetime
{
    private FakeModelServer _model = null!;

    public async Task InitializeAsync() => _model = await FakeModelServer.StartAsync();

    public async Task DisposeAsync() => await _model.DisposeAsync();

    private static object[] User(string text) => [new { role = "user", content = text }];

    private async Task<(HttpClient Client, string Bot)> ModelBotAsync()
    {
        var (client, _, _) = await app.WorkspaceWithBotAsync();
        var provider = (await (await client.PostJsonAsync("/v1/model-providers", new { name = "openai", kind = "openai", base_url = _model.OpenAiBaseUrl, api_key = "test-key-1234" }))
            .JsonAsync(HttpStatusCode.Created)).Id();
        var bot = (await (await client.PostJsonAsync("/v1/bots", new { name = "Cycle Hub", model = new { provider, name = "test-model-1" } }))
            .JsonAsync(HttpStatusCode.Created)).Id();
        return (client, bot);
    }

    [Fact]
    public async Task ChatCompletions_ModelBot_ReportsTheModelsTokens()
    {
        var (client, bot) = await ModelBotAsync();
        _model.Then(new("Bikes can be returned within 14 days."));

        var body = await (await ChatAsync(client, new { model = bot, messages = User("Can I return my bike?") })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("Bikes can be returned within 14 days.", (string?)body["choices"]![0]!["message"]!["content"]);
        Assert.Equal(FakeModelServer.ReportedPromptTokens, (int?)body["usage"]!["prompt_tokens"]);
        Assert.Equal(12, (int?)body["usage"]!["completion_tokens"]);
        Assert.Equal(FakeModelServer.ReportedPromptTokens + 12, (int?)body["usage"]!["total_tokens"]);
        Assert.Equal(FakeModelServer.ReportedPromptTokens, (int?)body["parley"]!["messages"]![0]!["usage"]!["prompt_tokens"]);
    }

    [Fact]
    public async Task ChatCompletions_ModelBotStreamed_PiecesAsTheModelWritesThemThenUsageAndDone()
    {
        var (client, bot) = await ModelBotAsync();
        const string Reply = "Bikes can be returned within fourteen days if they have not been ridden.";
        _model.Then(new(Reply));

        var response = await ChatAsync(client, new { model = bot, stream = true, stream_options = new { include_usage = true }, messages = User("Can I return my bike?") });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (chunks, done) = await ChatCompletionTests.ChunksAsync(response);
        Assert.True(done);
        var withChoices = chunks.Where(c => c["choices"]!.AsArray().Count > 0).ToList();
        Assert.Equal(Reply, string.Concat(withChoices.Select(c => (string?)c["choices"]![0]!["delta"]!["content"])));
        Assert.True(withChoices.Count > 4, "the model's pieces were not passed on");
        Assert.Equal("stop", (string?)withChoices[^1]["choices"]![0]!["finish_reason"]);
        var usage = chunks[^1];
        Assert.Empty(usage["choices"]!.AsArray());
        Assert.Equal(FakeModelServer.ReportedPromptTokens, (int?)usage["usage"]!["prompt_tokens"]);
        var conversationId = (string)withChoices[^1]["parley"]!["conversation_id"]!;
        Assert.Equal(Reply, (await app.TranscriptAsync(conversationId))[^1].Text);
    }

    [Fact]
    public async Task ChatCompletions_ProviderDown_503WithRetryAfterAndNothingOfTheTurnStored()
    {
        var (client, bot) = await ModelBotAsync();
        _model.Default = new(Status: 500);

        var response = await ChatAsync(client, new { model = bot, user = "unlucky", messages = User("Hello?") });

        await ErrorAsync(response, HttpStatusCode.ServiceUnavailable, "service_unavailable", "provider_unavailable");
        Assert.Equal("17", response.Headers.GetValues("Retry-After").Single());
        var conversationId = await app.DbAsync(db => db.Conversations.IgnoreQueryFilters().Where(c => c.BotId == bot).Select(c => c.Id).SingleAsync());
        Assert.DoesNotContain(await app.TranscriptAsync(conversationId), m => m.Role == "user");
    }

    [Fact]
    public async Task ChatCompletions_InHandoff_AnswersThatAPersonHasItAndTheAgentsReplyIsInTheTranscript()
    {
        var (client, _, bot) = await app.WorkspaceWithBotAsync();
        var history = new List<object> { new { role = "user", content = "Hello" } };
        var first = await (await ChatAsync(client, new { model = bot, user = "handoff-visitor", messages = history })).JsonAsync(HttpStatusCode.OK);
        var conversationId = (string)first["parley"]!["conversation_id"]!;
        await (await client.PostJsonAsync($"/v1/conversations/{conversationId}/handoff", new { })).JsonAsync(HttpStatusCode.OK);
        await (await client.PostJsonAsync($"/v1/conversations/{conversationId}/claim", new { })).JsonAsync(HttpStatusCode.OK);
        history.Add(new { role = "assistant", content = (string)first["choices"]![0]!["message"]!["content"]! });
        history.Add(new { role = "user", content = "Is anyone there?" });

        var waiting = await (await ChatAsync(client, new { model = bot, user = "handoff-visitor", messages = history })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(conversationId, (string?)waiting["parley"]!["conversation_id"]);
        Assert.Contains("member of our team", (string?)waiting["choices"]![0]!["message"]!["content"], StringComparison.Ordinal);
        Assert.Equal("handoff", (string?)waiting["parley"]!["conversation"]!["status"]);
        Assert.Empty(waiting["parley"]!["messages"]!.AsArray());
        Assert.Equal("Is anyone there?", (await app.TranscriptAsync(conversationId))[^1].Text);

        await (await client.PostJsonAsync($"/v1/conversations/{conversationId}/agent-messages", new { text = "Hi, I'm Alex." })).JsonAsync(HttpStatusCode.Created);
        var transcript = await (await client.GetAsync($"/v1/conversations/{conversationId}/messages")).JsonAsync(HttpStatusCode.OK);
        var last = transcript["data"]!.AsArray()[^1]!;
        Assert.Equal("agent", (string?)last["role"]);
        Assert.Equal("Hi, I'm Alex.", (string?)last["text"]);
    }

    [Fact]
    public async Task ChatCompletions_EventsAndWebhooks_AsForAConversationThroughTheApi()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (client, _, bot) = await app.WorkspaceWithBotAsync();
        await (await client.PostJsonAsync("/v1/webhook-endpoints", new { url = receiver.Url, events = new[] { "*" } })).JsonAsync(HttpStatusCode.Created);

        var body = await (await ChatAsync(client, new { model = bot, messages = User("Do you ship to Canada?") })).JsonAsync(HttpStatusCode.OK);

        var conversationId = (string)body["parley"]!["conversation_id"]!;
        var received = (await receiver.WaitForAsync(4)).Select(r => JsonNode.Parse(r.Body)!).ToList();
        Assert.Equal(["conversation.started", "message.created", "message.created", "message.created"], received.Select(e => (string)e["type"]!));
        Assert.Equal("api", (string?)received[0]["data"]!["channel"]);
        Assert.All(received.Skip(1), e => Assert.Equal(conversationId, (string?)e["data"]!["conversation_id"]));
        Assert.Equal(["bot", "bot", "user"], received.Skip(1).Select(e => (string)e["data"]!["role"]!).Order(StringComparer.Ordinal));
        var userMessage = received.Single(e => (string?)e["data"]!["role"] == "user")["data"]!;
        Assert.Equal("Do you ship to Canada?", (string?)userMessage["text"]);
        Assert.Equal(body["parley"]!["user_message_id"]!.ToString(), userMessage.Id());
        var events = await (await client.GetAsync("/v1/events?limit=100")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(received.Select(e => e.Id()).Order(StringComparer.Ordinal), events["data"]!.AsArray().Select(e => e!.Id()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ChatCompletions_RateLimited_429WithRetryAfterInTheProtocolShape()
    {
        var limited = new ParleyApp().With("Parley:RateLimits:SecretKeyPerMinute", "2");
        try
        {
            var client = limited.Client();
            var bot = await client.CreateBotAsync();
            await (await ChatAsync(client, new { model = bot, messages = User("One") })).JsonAsync(HttpStatusCode.OK);

            var response = await ChatAsync(client, new { model = bot, messages = User("Two") });

            await ErrorAsync(response, HttpStatusCode.TooManyRequests, "rate_limit_error", "rate_limited");
            Assert.True(int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        }
        finally
        {
            await ((IAsyncLifetime)limited).DisposeAsync();
        }
    }
}
