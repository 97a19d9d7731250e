using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Parley.Server.Features.Conversations;
using Parley.Server.Tests.Infrastructure;
using static Parley.Server.Tests.Infrastructure.ServerSentEvents;

namespace Parley.Server.Tests.Features.Conversations;

public sealed class TurnStreamingTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private async Task<(HttpClient Client, string ConversationId)> ConversationAsync(string fallback)
    {
        var client = app.Client();
        var bot = await (await client.PostJsonAsync("/v1/bots", new { name = "Streamer", fallback_text = fallback })).JsonAsync(HttpStatusCode.Created);
        var conversation = await client.StartConversationAsync(bot.Id());
        return (client, conversation["conversation"]!.Id());
    }

    [Fact]
    public async Task SendMessage_AcceptEventStream_DeltasThenCompletedThenDone()
    {
        const string reply = "Our shop opens at nine, closes at six, and is shut on Sundays and public holidays.";
        var (client, conversationId) = await ConversationAsync(reply);

        var response = await client.SendAsync(StreamedTurn(conversationId, new { text = "When are you open?" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var timing = string.Join(",", response.Headers.GetValues("Server-Timing"));
        foreach (var stage in new[] { "capture", "authenticate", "route", "generate", "side_effects", "return" })
        {
            Assert.Contains(stage + ";dur=", timing, StringComparison.Ordinal);
        }
        var events = await EventsAsync(response);
        var deltas = events.TakeWhile(e => e.Event == TurnStreaming.DeltaEvent).ToList();
        Assert.True(deltas.Count >= 3, $"Expected the reply in several pieces, got {deltas.Count}.");
        Assert.Equal(reply, string.Concat(deltas.Select(d => (string)d.Data["delta"]!)));
        Assert.Equal([TurnStreaming.CompletedEvent, TurnStreaming.DoneEvent], events.Skip(deltas.Count).Select(e => e.Event));

        var completed = events[^2].Data;
        var done = events[^1].Data;
        Assert.All(deltas, d => Assert.Equal(completed.Id(), (string?)d.Data["message_id"]));
        Assert.Equal(reply, (string?)completed["text"]);
        Assert.Equal("bot", (string?)completed["role"]);
        Assert.Equal(completed.Id(), done["messages"]![0]!.Id());
        Assert.Equal("When are you open?", (string?)done["user_message"]!["text"]);
        Assert.Equal(2, (int?)done["conversation"]!["message_count"]); // this bot has no greeting

        var transcript = await (await client.GetAsync($"/v1/conversations/{conversationId}/messages")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(reply, (string?)transcript["data"]!.AsArray().Single(m => m!.Id() == completed.Id())!["text"]);
    }

    [Fact]
    public async Task SendMessage_EventStreamRetriedWithSameKey_ReplaysJsonAndStoresOnce()
    {
        var (client, conversationId) = await ConversationAsync("Noted.");
        var first = await client.SendAsync(StreamedTurn(conversationId, new { text = "Only once, please" }, "stream-retry-1"));
        var done = (await EventsAsync(first))[^1].Data;

        var replay = await client.SendAsync(StreamedTurn(conversationId, new { text = "Only once, please" }, "stream-retry-1"));

        var replayed = await replay.JsonAsync(HttpStatusCode.OK);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(done["user_message"]!.Id(), replayed["user_message"]!.Id());
        Assert.Equal(done["messages"]![0]!.Id(), replayed["messages"]![0]!.Id());
        var transcript = await (await client.GetAsync($"/v1/conversations/{conversationId}/messages")).JsonAsync(HttpStatusCode.OK);
        Assert.Single(transcript["data"]!.AsArray(), m => (string?)m!["text"] == "Only once, please");
    }

    [Fact]
    public async Task SendMessage_EventStreamWithInvalidInput_ProblemJsonNotAStream()
    {
        var (client, conversationId) = await ConversationAsync("Noted.");

        var response = await client.SendAsync(StreamedTurn(conversationId, new { text = "   " }));

        await response.ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("", new string[0])]
    [InlineData("Hi", new[] { "Hi" })]
    [InlineData("one two three four five", new[] { "one two three ", "four five" })]
    [InlineData("line one\n\nline  two three", new[] { "line one\n\nline  ", "two three" })]
    [InlineData("a b c ", new[] { "a b c " })]
    public void Deltas_AnyText_JoinBackToTheText(string text, string[] expected)
    {
        var deltas = TurnStreaming.Deltas(text).ToArray();
        Assert.Equal(expected, deltas);
        Assert.Equal(text, string.Concat(deltas));
    }
}
