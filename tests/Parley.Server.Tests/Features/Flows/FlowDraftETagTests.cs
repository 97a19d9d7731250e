using System.Net;
using System.Text;
using Parley.Server.Tests.Infrastructure;
using static Parley.Server.Tests.Features.Flows.FlowApi;

namespace Parley.Server.Tests.Features.Flows;

/// <summary>The draft's ETag and If-Match: two editors of one draft never overwrite each other silently.</summary>
public sealed class FlowDraftETagTests(FlowApp app) : IClassFixture<FlowApp>
{
    private static string Greeting(string text) =>
        Flow("hello", [Node("hello", "message", $$"""{"text": "{{text}}"}""")], []);

    private static async Task<HttpResponseMessage> PutAsync(HttpClient client, string botId, string json, string? ifMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/v1/bots/{botId}/flow") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return await client.SendAsync(request);
    }

    private static async Task<(string ETag, string? Text)> ReadAsync(HttpClient client, string botId)
    {
        var response = await client.GetAsync($"/v1/bots/{botId}/flow");
        var body = await response.JsonAsync(HttpStatusCode.OK);
        return (response.Headers.ETag!.ToString(), (string?)body["draft"]?["nodes"]?[0]?["settings"]?["text"]);
    }

    [Fact]
    public async Task SaveDraft_WithCurrentETag_SavedAndAnswersTheNewETag()
    {
        var client = app.Client();
        var botId = await client.CreateBotAsync();
        var (empty, _) = await ReadAsync(client, botId);

        var first = await PutAsync(client, botId, Greeting("one"), empty);
        await first.JsonAsync(HttpStatusCode.OK);
        var afterFirst = first.Headers.ETag!.ToString();
        var second = await PutAsync(client, botId, Greeting("two"), afterFirst);
        await second.JsonAsync(HttpStatusCode.OK);

        Assert.NotEqual(empty, afterFirst);
        Assert.NotEqual(afterFirst, second.Headers.ETag!.ToString());
        Assert.Equal((second.Headers.ETag!.ToString(), "two"), await ReadAsync(client, botId));
    }

    private async Task<HttpClient> KeyNamedAsync(string name)
    {
        var created = await (await app.Client().PostJsonAsync("/v1/api-keys", new { name })).JsonAsync(HttpStatusCode.Created);
        return app.Client((string)created["secret"]!);
    }

    [Fact]
    public async Task SaveDraft_StaleETag_412NamesWhoSavedAndTheOtherSaveStays()
    {
        var alice = await KeyNamedAsync("Alice's laptop");
        var bob = await KeyNamedAsync("Bob's script");
        var botId = await alice.CreateBotAsync();
        await (await PutAsync(alice, botId, Greeting("start"), null)).JsonAsync(HttpStatusCode.OK);
        var (seenByBoth, _) = await ReadAsync(alice, botId);

        await (await PutAsync(alice, botId, Greeting("alice"), seenByBoth)).JsonAsync(HttpStatusCode.OK);
        var problem = await (await PutAsync(bob, botId, Greeting("bob"), seenByBoth)).ProblemAsync(HttpStatusCode.PreconditionFailed, "precondition_failed");

        Assert.StartsWith("Alice's laptop changed this draft at ", (string)problem["detail"]!, StringComparison.Ordinal);
        Assert.Equal("alice", (await ReadAsync(bob, botId)).Text);
        var draft = await (await bob.GetAsync($"/v1/bots/{botId}/flow")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Alice's laptop", (string?)draft["draft_updated_by"]);
        Assert.True(DateTimeOffset.UtcNow - (DateTimeOffset)draft["draft_updated_at"]! < TimeSpan.FromMinutes(1));

        // The refused save changed nothing, not even who saved last; a save that wins names its author.
        var saved = await (await PutAsync(bob, botId, Greeting("bob"), (await ReadAsync(bob, botId)).ETag)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Bob's script", (string?)saved["draft_updated_by"]);
    }

    [Fact]
    public async Task SaveDraft_TwoSavesRaceOnOneETag_ExactlyOneWins()
    {
        var client = app.Client();
        var botId = await client.CreateBotAsync();
        await (await PutAsync(client, botId, Greeting("start"), null)).JsonAsync(HttpStatusCode.OK);
        var (seen, _) = await ReadAsync(client, botId);

        var saves = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => PutAsync(app.Client(), botId, Greeting("racer" + i), seen)));

        Assert.Single(saves, s => s.StatusCode == HttpStatusCode.OK);
        Assert.Equal(5, saves.Count(s => s.StatusCode == HttpStatusCode.PreconditionFailed));
        var winner = Array.FindIndex(saves, s => s.StatusCode == HttpStatusCode.OK);
        Assert.Equal("racer" + winner, (await ReadAsync(client, botId)).Text);
    }

    [Fact]
    public async Task SaveDraft_BadIfMatchOrInvalidFlow_NothingChanges()
    {
        var client = app.Client();
        var botId = await client.CreateBotAsync();
        await (await PutAsync(client, botId, Greeting("kept"), "*")).ProblemAsync(HttpStatusCode.PreconditionFailed, "precondition_failed");
        Assert.Null((await ReadAsync(client, botId)).Text);

        await (await PutAsync(client, botId, Greeting("kept"), null)).JsonAsync(HttpStatusCode.OK);
        var (etag, _) = await ReadAsync(client, botId);
        await (await PutAsync(client, botId, Greeting("other"), "not-a-tag")).ProblemAsync(HttpStatusCode.PreconditionFailed, "precondition_failed");
        await (await PutAsync(client, botId, Flow("ghost", [], []), etag)).ProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_flow");
        await (await PutAsync(client, botId, Greeting("other"), "\"0000\", W/\"1111\"")).ProblemAsync(HttpStatusCode.PreconditionFailed, "precondition_failed");

        Assert.Equal((etag, "kept"), await ReadAsync(client, botId));
        await (await PutAsync(client, botId, Greeting("star"), "*")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("star", (await ReadAsync(client, botId)).Text);
    }
}
