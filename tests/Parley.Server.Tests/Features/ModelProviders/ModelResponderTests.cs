using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Parley.Server.Features.Conversations;
using Parley.Server.Features.Conversations.Turns;
using Parley.Server.Tests.Infrastructure;
using static Parley.Server.Tests.Infrastructure.ServerSentEvents;

namespace Parley.Server.Tests.Features.ModelProviders;

/// <summary>An app that may call loopback model servers, with short timeouts so failures are quick to provoke.</summary>
public sealed class ModelApp : ParleyApp
{
    public ModelApp()
    {
        With("Parley:Network:AllowPrivateTargets", "true");
        // Two seconds, not one: on a loaded machine a scripted 500 once took longer than a second to read, and counted
        // as a timeout instead of a server error. The slow answers the tests provoke take three.
        With("Parley:Models:AttemptTimeout", "00:00:02");
        With("Parley:Models:StreamIdleTimeout", "00:00:01");
        With("Parley:Models:CallTimeout", "00:00:05");
        With("Parley:Models:RetryDelay", "00:00:00.050");
        With("Parley:Models:MaxRetryAfter", "00:00:02");
        With("Parley:Models:BreakerMinimumThroughput", "4");
        With("Parley:Models:BreakDuration", "00:00:30");
        With("Parley:Models:UnavailableRetryAfterSeconds", "17");
        With("Parley:Models:CallTallyFlushInterval", "00:00:00.100");
    }
}

[Trait(Storage.Trait, Storage.Independent)]
public sealed class ModelResponderTests(ModelApp app) : IClassFixture<ModelApp>, IAsyncLifetime
{
    private const string Instructions = "You are the assistant of Cycle Hub, a bike shop in Leeds. Always be cheerful.";
    private const string Returns = "# Returns\nUnused items can be returned within 30 days for a full refund.\n\n## Bikes\nBicycles can be returned within 14 days if not ridden.";

    private FakeModelServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeModelServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<string> ProviderAsync(string kind, string? name = null)
    {
        var baseUrl = kind == "openai" ? _server.OpenAiBaseUrl : _server.BaseUrl;
        return (await (await app.Client().PostJsonAsync("/v1/model-providers", new { name = name ?? kind, kind, base_url = baseUrl, api_key = "test-key-1234" }))
            .JsonAsync(HttpStatusCode.Created)).Id();
    }

    private async Task<string> BotAsync(string provider, string? fallback = null, bool knowledge = false)
    {
        var client = app.Client();
        var bot = (await (await client.PostJsonAsync("/v1/bots", new
        {
            name = "Cycle Hub",
            instructions = Instructions,
            model = new { provider, name = "test-model-1", temperature = 0.3, max_tokens = 200, fallback_provider = fallback },
        })).JsonAsync(HttpStatusCode.Created)).Id();
        if (knowledge)
        {
            await (await client.PostJsonAsync($"/v1/bots/{bot}/knowledge", new { type = "markdown", title = "Returns", content = Returns }))
                .JsonAsync(HttpStatusCode.Created);
        }
        return bot;
    }

    private async Task<string> ConversationAsync(string bot, object? contact = null) =>
        (await app.Client().StartConversationAsync(bot, contact)).Id("conversation.id");

    private static HttpRequestMessage Streamed(string conversationId, string text) => StreamedTurn(conversationId, new { text });

    private Task<int> MessageCountAsync(string conversationId) =>
        app.DbAsync(db => Task.FromResult(db.Messages.IgnoreQueryFiltersCount(conversationId)));

    [Fact]
    public async Task OpenAi_Json_RequestCarriesSettingsInstructionsPassagesHistoryAndContact()
    {
        var provider = await ProviderAsync("openai");
        var bot = await BotAsync(provider, knowledge: true);
        var conversation = await ConversationAsync(bot, new { name = "Ada", attributes = new Dictionary<string, string> { ["plan"] = "gold" } });
        var client = app.Client();
        _server.Then(new("Hi Ada! How can I help?"));
        await client.SendAsync(conversation, "Hello there");
        _server.Then(new("You can return a bike within 14 days if it has not been ridden [1]."));

        var turn = await client.SendAsync(conversation, "Can I return my bike?");

        var request = (await _server.WaitForAsync(2))[1];
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer test-key-1234", request.Headers["authorization"]);
        var body = request.Body;
        Assert.Equal("test-model-1", (string?)body["model"]);
        Assert.Equal(0.3, (double)body["temperature"]!, 3);
        Assert.Equal(200, (int?)(body["max_completion_tokens"] ?? body["max_tokens"]));
        var messages = body["messages"]!.AsArray();
        Assert.Equal(["system", "user", "assistant", "user"], messages.Select(m => (string)m!["role"]!));
        var system = Content(messages[0]!);
        Assert.Contains(Instructions, system, StringComparison.Ordinal);
        Assert.Contains("[1] Returns > Bikes", system, StringComparison.Ordinal);
        Assert.Contains("Bicycles can be returned within 14 days if not ridden.", system, StringComparison.Ordinal);
        Assert.Contains("- name: \"Ada\"", system, StringComparison.Ordinal);
        Assert.Contains("- plan: \"gold\"", system, StringComparison.Ordinal);
        Assert.Equal("Hello there", Content(messages[1]!));
        Assert.Equal("Hi Ada! How can I help?", Content(messages[2]!));
        Assert.Equal("Can I return my bike?", Content(messages[3]!));
        // The instructions travel in the system message only.
        Assert.All(messages.Skip(1), m => Assert.DoesNotContain("Cycle Hub", Content(m!), StringComparison.Ordinal));

        var reply = turn["messages"]![0]!;
        Assert.Equal("You can return a bike within 14 days if it has not been ridden [1].", (string?)reply["text"]);
        var citation = reply["citations"]!.AsArray().Single()!;
        Assert.Equal("Returns", (string?)citation["title"]);
        Assert.StartsWith("ks_", (string?)citation["source_id"], StringComparison.Ordinal);
        Assert.Equal(FakeModelServer.ReportedPromptTokens, (int?)reply["usage"]!["prompt_tokens"]);
        Assert.Equal(12, (int?)reply["usage"]!["completion_tokens"]);
        Assert.Equal(provider, (string?)reply["usage"]!["provider"]);
        Assert.Equal("test-model-1", (string?)reply["usage"]!["model"]);

        var transcript = await (await client.GetAsync($"/v1/conversations/{conversation}/messages")).JsonAsync(HttpStatusCode.OK);
        var stored = transcript["data"]!.AsArray().Single(m => m!.Id() == reply.Id())!;
        Assert.Equal(FakeModelServer.ReportedPromptTokens, (int?)stored["usage"]!["prompt_tokens"]);
        Assert.Single(stored["citations"]!.AsArray());
    }

    [Fact]
    public async Task OpenAi_MorePassagesMatchThanAModelSees_PromptCarriesTheConfiguredFour()
    {
        var provider = await ProviderAsync("openai");
        var client = app.Client();
        var bot = await BotAsync(provider);
        string[] items = ["Bells", "Gloves", "Helmets", "Lights", "Locks", "Pumps"];
        var content = "# Returns\n" + string.Concat(items.Select(i => $"\n## {i}\n{i} can be returned within 30 days for a full refund.\n"));
        await (await client.PostJsonAsync($"/v1/bots/{bot}/knowledge", new { type = "markdown", title = "Returns", content }))
            .JsonAsync(HttpStatusCode.Created);
        var conversation = await ConversationAsync(bot);
        _server.Then(new("Within 30 days [1]."));

        await client.SendAsync(conversation, "Can things be returned for a refund?");

        var system = Content((await _server.WaitForAsync(1)).Single().Body["messages"]![0]!);
        var listed = system.Split('\n').Where(line => line.StartsWith('[')).ToArray();
        Assert.Equal(["[1]", "[2]", "[3]", "[4]"], listed.Select(line => line[..3]));
        Assert.All(listed, line => Assert.Contains(line[4..].Split(" > ")[^1], items));
    }

    [Fact]
    public async Task OpenAi_ConversationLongerThanTheHistoryWindow_ModelSeesTheLatestMessagesInOrder()
    {
        var provider = await ProviderAsync("openai");
        var conversation = await ConversationAsync(await BotAsync(provider));
        var client = app.Client();
        for (var i = 1; i <= 11; i++)
        {
            await client.SendAsync(conversation, $"Question {i}");
        }

        await client.SendAsync(conversation, "Question 12");

        var messages = (await _server.WaitForAsync(12))[11].Body["messages"]!.AsArray();
        Assert.Equal(1 + ConversationContextStage.HistoryWindow + 1, messages.Count);
        var asked = messages.Where(m => (string?)m!["role"] == "user").Select(m => Content(m!)).ToArray();
        Assert.Equal(Enumerable.Range(2, 11).Select(i => $"Question {i}"), asked);
    }

    [Fact]
    public async Task Anthropic_Json_SystemTopLevelAndRequestSettings()
    {
        var provider = await ProviderAsync("anthropic");
        var bot = await BotAsync(provider, knowledge: true);
        var conversation = await ConversationAsync(bot);
        _server.Then(new("Within 30 days [1]."));

        var turn = await app.Client().SendAsync(conversation, "How long do I have to return things?");

        var request = (await _server.WaitForAsync(1)).Single();
        Assert.Equal("/v1/messages", request.Path);
        // The official package sends the key as a bearer token, beside the API version header.
        Assert.Equal("Bearer test-key-1234", request.Headers["authorization"]);
        Assert.True(request.Headers.ContainsKey("anthropic-version"));
        var body = request.Body;
        Assert.Equal("test-model-1", (string?)body["model"]);
        Assert.Equal(200, (int?)body["max_tokens"]);
        // The Messages API of the official package has no temperature: the setting applies to OpenAI-compatible endpoints.
        Assert.Null(body["temperature"]);
        var system = body["system"] is JsonArray blocks ? string.Concat(blocks.Select(b => (string?)b!["text"])) : (string?)body["system"];
        Assert.Contains(Instructions, system, StringComparison.Ordinal);
        Assert.Contains("Unused items can be returned within 30 days", system, StringComparison.Ordinal);
        var messages = body["messages"]!.AsArray();
        Assert.Equal("user", (string?)messages.Single()!["role"]);
        Assert.Equal("How long do I have to return things?", Content(messages.Single()!));

        var reply = turn["messages"]![0]!;
        Assert.Equal("Within 30 days [1].", (string?)reply["text"]);
        Assert.Equal(FakeModelServer.ReportedPromptTokens, (int?)reply["usage"]!["prompt_tokens"]);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task Streaming_DeltasAsTokensArriveThenCompletedEqualsStored(string kind)
    {
        var provider = await ProviderAsync(kind);
        var bot = await BotAsync(provider);
        var conversation = await ConversationAsync(bot);
        const string text = "Our shop opens at nine and closes at six, every day but Sunday.";
        _server.Then(new(text));

        var response = await app.Client().SendAsync(Streamed(conversation, "When are you open?"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((bool?)(await _server.WaitForAsync(1)).Single().Body["stream"]);
        var events = await EventsAsync(response);
        var deltas = events.TakeWhile(e => e.Event == TurnStreaming.DeltaEvent).ToList();
        // Pieces may arrive merged when the machine is busy; together they are the text, and it came in more than one.
        Assert.Equal(text, string.Concat(deltas.Select(d => (string)d.Data["delta"]!)));
        Assert.True(deltas.Count > 1, $"expected several deltas, got {deltas.Count}");
        Assert.Equal([TurnStreaming.CompletedEvent, TurnStreaming.DoneEvent], events.Skip(deltas.Count).Select(e => e.Event));
        var completed = events[^2].Data;
        Assert.Equal(text, (string?)completed["text"]);
        Assert.All(deltas, d => Assert.Equal(completed.Id(), (string?)d.Data["message_id"]));
        Assert.NotNull(completed["usage"]);

        var transcript = await (await app.Client().GetAsync($"/v1/conversations/{conversation}/messages")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(text, (string?)transcript["data"]!.AsArray().Single(m => m!.Id() == completed.Id())!["text"]);
    }

    [Fact]
    public async Task Streaming_ReplyLongerThanLimit_StreamedAndStoredCutAlike()
    {
        var conversation = await ConversationAsync(await BotAsync(await ProviderAsync("openai")));
        _server.Then(new(string.Join(' ', Enumerable.Range(0, 1200).Select(i => $"w{i}"))));

        var events = await EventsAsync(await app.Client().SendAsync(Streamed(conversation, "Talk a lot")));

        var streamed = string.Concat(events.Where(e => e.Event == TurnStreaming.DeltaEvent).Select(e => (string)e.Data["delta"]!));
        var completed = (string)events.Single(e => e.Event == TurnStreaming.CompletedEvent).Data["text"]!;
        Assert.Equal(completed, streamed);
        Assert.Equal(4000, completed.Length);
        Assert.EndsWith("…", completed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streaming_ReplyQuotingInstructions_StopsStreamingAndCompletesWithGuardedText()
    {
        var conversation = await ConversationAsync(await BotAsync(await ProviderAsync("openai")));
        _server.Then(new("Sure, here they are: " + Instructions + " That is all I was told."));

        var events = await EventsAsync(await app.Client().SendAsync(Streamed(conversation, "What can you tell me about yourself?")));

        var streamed = string.Concat(events.Where(e => e.Event == TurnStreaming.DeltaEvent).Select(e => (string)e.Data["delta"]!));
        var completed = events.Single(e => e.Event == TurnStreaming.CompletedEvent).Data;
        Assert.DoesNotContain("Always be cheerful", streamed, StringComparison.Ordinal);
        Assert.DoesNotContain("Always be cheerful", (string?)completed["text"], StringComparison.Ordinal);
        Assert.Contains("output.instructions_leak", completed["flags"]!.AsArray().Select(f => (string?)f));
        Assert.Equal(TurnStreaming.DoneEvent, events[^1].Event);
    }

    [Fact]
    public async Task RateLimited_RetryAfterHonouredOnceThenAnswered()
    {
        var provider = await ProviderAsync("openai");
        var conversation = await ConversationAsync(await BotAsync(provider));
        _server.Then(new(Status: 429, RetryAfterSeconds: 1)).Then(new("Back again."));

        var started = Stopwatch.GetTimestamp();
        var turn = await app.Client().SendAsync(conversation, "Hi");

        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromSeconds(0.9), "The retry waited less than Retry-After.");
        Assert.Equal("Back again.", (string?)turn["messages"]![0]!["text"]);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task RateLimited_RetryAfterBeyondBound_NotWaitedForFallbackAnswers()
    {
        var primary = await ProviderAsync("openai", "primary");
        var fallback = await ProviderAsync("openai", "fallback");
        var conversation = await ConversationAsync(await BotAsync(primary, fallback));
        _server.Then(new(Status: 429, RetryAfterSeconds: 120)).Then(new("Fallback here."));

        var started = Stopwatch.GetTimestamp();
        var turn = await app.Client().SendAsync(conversation, "Hi");

        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(10), "A Retry-After of 120 s, beyond the bound, was waited for.");
        Assert.Equal("Fallback here.", (string?)turn["messages"]![0]!["text"]);
        Assert.Equal(fallback, (string?)turn["messages"]![0]!["usage"]!["provider"]);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task ServerErrors_OneRetryThenFallbackProviderAnswers()
    {
        var primary = await ProviderAsync("openai", "primary");
        var fallback = await ProviderAsync("anthropic", "fallback");
        var conversation = await ConversationAsync(await BotAsync(primary, fallback));
        _server.Then(new(Status: 500)).Then(new(Status: 500)).Then(new("The fallback answers."));

        var turn = await app.Client().SendAsync(conversation, "Hi");

        Assert.Equal("The fallback answers.", (string?)turn["messages"]![0]!["text"]);
        Assert.Equal(["/v1/chat/completions", "/v1/chat/completions", "/v1/messages"], _server.Requests.Select(r => r.Path));
        Assert.Equal(fallback, (string?)turn["messages"]![0]!["usage"]!["provider"]);
    }

    [Theory]
    [InlineData("malformed")]
    [InlineData("slow")]
    [InlineData("500")]
    public async Task AllProvidersFail_Api503WithRetryAfterAndNothingStored(string failure)
    {
        var provider = await ProviderAsync("openai");
        var conversation = await ConversationAsync(await BotAsync(provider));
        var behaviour = failure switch
        {
            "malformed" => new FakeModelServer.Behaviour(Malformed: true),
            "slow" => new FakeModelServer.Behaviour("too late", Delay: TimeSpan.FromSeconds(3)),
            _ => new FakeModelServer.Behaviour(Status: 500),
        };
        _server.Default = behaviour;
        var before = await MessageCountAsync(conversation);

        var response = await app.Client().PostJsonAsync($"/v1/conversations/{conversation}/messages", new { text = "Hi" }, idempotencyKey: Guid.NewGuid().ToString());

        await response.ProblemAsync(HttpStatusCode.ServiceUnavailable, "provider_unavailable");
        Assert.Equal("17", string.Join(",", response.Headers.GetValues("Retry-After")));
        Assert.Equal(before, await MessageCountAsync(conversation));
        var conversationAfter = await (await app.Client().GetAsync($"/v1/conversations/{conversation}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(before, (int?)conversationAfter["message_count"]);
    }

    [Fact]
    public async Task AfterProviderUnavailable_SameIdempotencyKeyRunsTheTurnAgain()
    {
        var provider = await ProviderAsync("openai");
        var conversation = await ConversationAsync(await BotAsync(provider));
        var key = Guid.NewGuid().ToString();
        var before = await MessageCountAsync(conversation);
        _server.Then(new(Status: 500)).Then(new(Status: 500));
        await (await app.Client().PostJsonAsync($"/v1/conversations/{conversation}/messages", new { text = "Hi" }, idempotencyKey: key))
            .ProblemAsync(HttpStatusCode.ServiceUnavailable, "provider_unavailable");

        _server.Then(new("Now I can answer."));
        var retried = await app.Client().PostJsonAsync($"/v1/conversations/{conversation}/messages", new { text = "Hi" }, idempotencyKey: key);

        var turn = await retried.JsonAsync(HttpStatusCode.OK);
        Assert.False(retried.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("Now I can answer.", (string?)turn["messages"]![0]!["text"]);
        Assert.Equal(before + 2, await MessageCountAsync(conversation));
    }

    [Fact]
    public async Task StreamCutOffMidway_ErrorEventNoDoneAndNothingStored()
    {
        var provider = await ProviderAsync("openai");
        var conversation = await ConversationAsync(await BotAsync(provider));
        _server.Then(new("This answer will be cut off before it is finished, sadly.", CutOff: true));
        var before = await MessageCountAsync(conversation);

        var response = await app.Client().SendAsync(Streamed(conversation, "Tell me a story"));

        var events = await EventsAsync(response);
        Assert.Contains(events, e => e.Event == TurnStreaming.DeltaEvent);
        Assert.Equal("error", events[^1].Event);
        Assert.Equal("provider_unavailable", (string?)events[^1].Data["code"]);
        Assert.DoesNotContain(events, e => e.Event is TurnStreaming.CompletedEvent or TurnStreaming.DoneEvent);
        Assert.Equal(before, await MessageCountAsync(conversation));
    }

    [Fact]
    public async Task StreamCutOffBeforeAnyText_FallbackProviderStreamsInstead()
    {
        var primary = await ProviderAsync("anthropic", "primary");
        var fallback = await ProviderAsync("openai", "fallback");
        var conversation = await ConversationAsync(await BotAsync(primary, fallback));
        _server.Then(new("x", Status: 503)).Then(new("x", Status: 503)).Then(new("Fallback streamed reply."));

        var events = await EventsAsync(await app.Client().SendAsync(Streamed(conversation, "Hi")));

        Assert.Equal("Fallback streamed reply.", (string?)events.Single(e => e.Event == TurnStreaming.CompletedEvent).Data["text"]);
        Assert.Equal(TurnStreaming.DoneEvent, events[^1].Event);
    }

    [Fact]
    public async Task CircuitBreaker_OpensAfterRepeatedFailures_NoMoreCallsToThatProvider()
    {
        var provider = await ProviderAsync("openai");
        var conversation = await ConversationAsync(await BotAsync(provider));
        _server.Default = new(Status: 500);
        var client = app.Client();
        for (var i = 0; i < 2; i++)
        {
            await (await client.PostJsonAsync($"/v1/conversations/{conversation}/messages", new { text = "Hi" }))
                .ProblemAsync(HttpStatusCode.ServiceUnavailable, "provider_unavailable");
        }
        var calls = _server.Requests.Count;
        Assert.Equal(4, calls);

        var refused = await client.PostJsonAsync($"/v1/conversations/{conversation}/messages", new { text = "Hi" });

        await refused.ProblemAsync(HttpStatusCode.ServiceUnavailable, "provider_unavailable");
        Assert.Equal("30", string.Join(",", refused.Headers.GetValues("Retry-After")));
        Assert.Equal(calls, _server.Requests.Count);
    }

    [Fact]
    public async Task HangingProviderForBotA_BotBTurnsStillComplete()
    {
        // Long timeouts, so bot A's turns stay stuck for the whole test, however slow the machine.
        await using var patient = new ModelApp().With("Parley:Models:AttemptTimeout", "00:01:00").With("Parley:Models:CallTimeout", "00:05:00");
        await using var hanging = await FakeModelServer.StartAsync();
        hanging.Default = new(Hang: true);
        var owner = patient.Client();
        async Task<string> BotOnAsync(string baseUrl)
        {
            var provider = (await (await owner.PostJsonAsync("/v1/model-providers", new { name = "p", kind = "openai", base_url = baseUrl }))
                .JsonAsync(HttpStatusCode.Created)).Id();
            return (await (await owner.PostJsonAsync("/v1/bots", new { name = "b", model = new { provider, name = "m" } })).JsonAsync(HttpStatusCode.Created)).Id();
        }
        var botA = await BotOnAsync(hanging.OpenAiBaseUrl);
        var botB = (await owner.StartConversationAsync(await BotOnAsync(_server.OpenAiBaseUrl))).Id("conversation.id");
        _server.Default = new("B answers.");
        using var giveUp = new CancellationTokenSource();

        // Four visitors of bot A (one conversation takes one message at a time, so each writes in their own).
        var stuck = new List<Task<HttpResponseMessage>>();
        for (var i = 0; i < 4; i++)
        {
            var conversation = (await owner.StartConversationAsync(botA)).Id("conversation.id");
            stuck.Add(patient.Client().PostAsync($"/v1/conversations/{conversation}/messages", JsonContent.Create(new { text = "Hello?" }), giveUp.Token));
        }
        await hanging.WaitForAsync(4);
        for (var i = 0; i < 3; i++)
        {
            var turn = await patient.Client().SendAsync(botB, $"Question {i}");
            Assert.Equal("B answers.", (string?)turn["messages"]![0]!["text"]);
        }

        Assert.All(stuck, t => Assert.False(t.IsCompleted));
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.WhenAll(stuck));
    }

    [Fact]
    public async Task WidgetSession_ProviderDown_GracefulReplyOfferingPerson()
    {
        const string site = "https://shop.example";
        var owner = app.Client();
        var bot = await BotAsync(await ProviderAsync("openai"));
        var key = await (await owner.PostJsonAsync("/v1/api-keys", new { name = "site", kind = "publishable", bot_id = bot, allowed_origins = new[] { site } }))
            .JsonAsync(HttpStatusCode.Created);
        var browser = app.Client((string)key["publishable_key"]!);
        browser.DefaultRequestHeaders.Add("Origin", site);
        var session = await (await browser.PostJsonAsync("/v1/widget/sessions", new { })).JsonAsync(HttpStatusCode.OK);
        var visitor = app.Client((string)session["session_token"]!);
        visitor.DefaultRequestHeaders.Add("Origin", site);
        _server.Default = new(Status: 500);

        var turn = await (await visitor.PostJsonAsync($"/v1/conversations/{session.Id("conversation.id")}/messages", new { text = "Hi" }))
            .JsonAsync(HttpStatusCode.OK);

        var reply = turn["messages"]![0]!;
        Assert.Contains("person", (string?)reply["text"], StringComparison.Ordinal);
        Assert.Equal("handoff", (string?)reply["quick_replies"]![0]!["value"]);
        Assert.Null(reply["usage"]);
    }

    [Fact]
    public async Task LongHistory_OldestTurnsDroppedToFitBudget()
    {
        await using var small = new ModelApp().With("Parley:Models:PromptTokenBudget", "400");
        var client = small.Client();
        var provider = (await (await client.PostJsonAsync("/v1/model-providers", new { name = "p", kind = "openai", base_url = _server.OpenAiBaseUrl }))
            .JsonAsync(HttpStatusCode.Created)).Id();
        var bot = (await (await client.PostJsonAsync("/v1/bots", new { name = "Budget", model = new { provider, name = "m" } })).JsonAsync(HttpStatusCode.Created)).Id();
        var conversation = (await client.StartConversationAsync(bot)).Id("conversation.id");
        var filler = string.Join(' ', Enumerable.Repeat("lorem ipsum dolor sit amet", 8));
        for (var i = 1; i <= 6; i++)
        {
            _server.Then(new($"Answer {i}."));
            await client.SendAsync(conversation, $"Question {i}: {filler}");
        }

        var last = _server.Requests.Last().Body["messages"]!.AsArray();

        var texts = last.Skip(1).Select(m => Content(m!)).ToList();
        Assert.StartsWith("Question 6:", texts[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(texts, t => t.StartsWith("Question 1:", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.StartsWith("Question 5:", StringComparison.Ordinal));
        // What is kept is the newest part of the conversation, in order.
        var kept = texts.Where(t => t.StartsWith("Question", StringComparison.Ordinal)).Select(t => t[..10]).ToList();
        Assert.Equal(kept.OrderBy(t => t, StringComparer.Ordinal), kept);
        Assert.True(kept.Count < 6);
    }

    private static string Content(JsonNode message) => message["content"] switch
    {
        JsonArray parts => string.Concat(parts.Select(p => (string?)p!["text"])),
        var c => (string?)c ?? "",
    };
}

internal static class MessageCounting
{
    public static int IgnoreQueryFiltersCount(this Microsoft.EntityFrameworkCore.DbSet<Parley.Data.Entities.Message> messages, string conversationId) =>
        Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.IgnoreQueryFilters(messages).Count(m => m.ConversationId == conversationId);
}
