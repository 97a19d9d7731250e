using System.Net;
using Microsoft.EntityFrameworkCore;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Infrastructure;

public sealed class IdempotencyTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Fact]
    public async Task Replay_SameKeyAndBody_SameResponseAndWritesNothing()
    {
        var client = app.Client();
        var conversationId = (await client.StartConversationAsync(await client.CreateBotAsync()))["conversation"]!.Id();
        var key = Guid.NewGuid().ToString();

        var first = await client.PostJsonAsync($"/v1/conversations/{conversationId}/messages", new { text = "once" }, key);
        var firstBody = await first.Content.ReadAsStringAsync();
        var before = await app.RowCountsAsync();
        var second = await client.PostJsonAsync($"/v1/conversations/{conversationId}/messages", new { text = "once" }, key);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        var replayed = System.Text.Json.Nodes.JsonNode.Parse(await second.Content.ReadAsStringAsync())!;
        var original = System.Text.Json.Nodes.JsonNode.Parse(firstBody)!;
        Assert.Equal(original["user_message"]!.Id(), replayed["user_message"]!.Id());
        Assert.Equal(original["messages"]![0]!.Id(), replayed["messages"]![0]!.Id());
        Assert.Equal(before, await app.RowCountsAsync());
        var userMessages = await app.DbAsync(db => db.Messages.IgnoreQueryFilters().Where(m => m.ConversationId == conversationId).Select(m => m.Text).ToListAsync());
        Assert.Single(userMessages, text => text == "once"); // message text is encrypted: compared after reading
    }

    [Theory]
    [InlineData("/messages")]
    [InlineData("")]
    public async Task Replay_TurnOrStart_ByteForByteWithResultHeaders(string path)
    {
        var client = app.Client();
        // An apostrophe and markup: the stored body must be escaped exactly as the first answer was.
        var botId = await client.CreateBotAsync(greeting: "We can't wait to <help> you & yours!");
        var target = path.Length == 0 ? "/v1/conversations" : $"/v1/conversations/{(await client.StartConversationAsync(botId))["conversation"]!.Id()}{path}";
        object body = path.Length == 0 ? new { bot_id = botId } : new { text = "Don't you open on Sundays? <b>" };
        var key = Guid.NewGuid().ToString();

        var first = await client.PostJsonAsync(target, body, key);
        var firstBytes = await first.Content.ReadAsByteArrayAsync();
        var second = await client.PostJsonAsync(target, body, key);
        var secondBytes = await second.Content.ReadAsByteArrayAsync();

        Assert.True(first.IsSuccessStatusCode, System.Text.Encoding.UTF8.GetString(firstBytes));
        Assert.Equal(first.StatusCode, second.StatusCode);
        Assert.Equal(firstBytes, secondBytes);
        Assert.Equal(first.Content.Headers.ContentType, second.Content.Headers.ContentType);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(Header(first, "Server-Timing"), Header(second, "Server-Timing"));
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", Header(second, "Idempotent-Replayed"));
        if (path.Length > 0)
        {
            // Every stage is in the stored answer, with the figures the caller first saw, and the reply stores the same.
            var reply = System.Text.Json.Nodes.JsonNode.Parse(secondBytes)!["messages"]![0]!;
            var timings = reply["timings"]!.AsObject();
            Assert.Equal(["capture", "authenticate", "route", "generate", "side_effects", "return"], timings.Select(t => t.Key));
            Assert.Equal(string.Join(", ", timings.Select(t => $"{t.Key};dur={t.Value}")), Header(first, "Server-Timing"));
            var stored = await app.DbAsync(db => db.Messages.IgnoreQueryFilters().Where(m => m.Id == reply.Id()).Select(m => m.Timings).SingleAsync());
            Assert.Equal(timings.ToDictionary(t => t.Key, t => (double)t.Value!), stored);
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;

    [Fact]
    public async Task Replay_Create_SameStatusLocationAndId()
    {
        var client = app.Client();
        var key = Guid.NewGuid().ToString();
        var first = await client.PostJsonAsync("/v1/bots", new { name = "Idem" }, key);
        var second = await client.PostJsonAsync("/v1/bots", new { name = "Idem" }, key);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal((await first.JsonAsync(HttpStatusCode.Created)).Id(), (await second.JsonAsync(HttpStatusCode.Created)).Id());
    }

    [Fact]
    public async Task SameKey_DifferentBody_409AndNothingWritten()
    {
        var client = app.Client();
        var key = Guid.NewGuid().ToString();
        (await client.PostJsonAsync("/v1/bots", new { name = "First" }, key)).EnsureSuccessStatusCode();
        var before = await app.RowCountsAsync();
        await (await client.PostJsonAsync("/v1/bots", new { name = "Second" }, key)).ProblemAsync(HttpStatusCode.Conflict, "conflict");
        Assert.Equal(before, await app.RowCountsAsync());
    }

    [Fact]
    public async Task ConcurrentRetries_SameKey_OneWriteAllSameAnswer()
    {
        var client = app.Client();
        var conversationId = (await client.StartConversationAsync(await client.CreateBotAsync()))["conversation"]!.Id();
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            client.PostJsonAsync($"/v1/conversations/{conversationId}/messages", new { text = "racing" }, key)));

        var bodies = new List<string>();
        foreach (var response in responses)
        {
            bodies.Add((await response.JsonAsync(HttpStatusCode.OK))["user_message"]!.Id());
        }
        Assert.Single(bodies.Distinct());
        var stored = await app.DbAsync(db => db.Messages.IgnoreQueryFilters().Where(m => m.ConversationId == conversationId).Select(m => m.Text).ToListAsync());
        Assert.Single(stored, text => text == "racing");
    }

    [Fact]
    public async Task Replay_ApiKeyCreation_NeverShowsTheSecretAgain()
    {
        var client = app.Client();
        var key = Guid.NewGuid().ToString();
        var first = await (await client.PostJsonAsync("/v1/api-keys", new { name = "once" }, key)).JsonAsync(HttpStatusCode.Created);
        var second = await (await client.PostJsonAsync("/v1/api-keys", new { name = "once" }, key)).JsonAsync(HttpStatusCode.Created);
        Assert.NotNull(first["secret"]);
        Assert.Null(second["secret"]);
        Assert.Equal(first.Id(), second.Id());
        var stored = await app.DbAsync(db => db.IdempotencyRecords.IgnoreQueryFilters().Select(r => r.ResponseJson).ToListAsync());
        Assert.DoesNotContain(stored, json => json.Contains((string)first["secret"]!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SameKey_OtherWorkspace_Independent()
    {
        var (_, otherKey) = await app.CreateWorkspaceAsync();
        var key = Guid.NewGuid().ToString();
        var mine = await (await app.Client().PostJsonAsync("/v1/bots", new { name = "Same" }, key)).JsonAsync(HttpStatusCode.Created);
        var theirs = await (await app.Client(otherKey).PostJsonAsync("/v1/bots", new { name = "Same" }, key)).JsonAsync(HttpStatusCode.Created);
        Assert.NotEqual(mine.Id(), theirs.Id());
    }
}
