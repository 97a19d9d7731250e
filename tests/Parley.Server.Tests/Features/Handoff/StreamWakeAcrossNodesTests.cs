using System.Diagnostics;
using System.Net;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Handoff;

/// <summary>
/// Live streams wake on another node's commit through the cluster bus (here Redis), not by polling: with the streams'
/// safety-net poll set to a minute, an agent reply posted through node B reaches a stream open on node A at once;
/// typing signals, which are never stored, reach the other side's stream on another node; with Redis down, the node
/// still serves and its status says degraded, and on PostgreSQL the wake-ups go over LISTEN/NOTIFY meanwhile.
/// </summary>
public sealed class StreamWakeAcrossNodesTests
{
    [Fact]
    public async Task AgentReplyOnNodeB_WakesTheStreamOnNodeAOverTheBus()
    {
        using var redis = await RedisTestServer.StartAsync();
        await using var nodes = await TwoNodes.StartAsync(both: node => node
            .With("ConnectionStrings:Redis", redis.ConnectionString)
            .With("Parley:Handoff:StreamPollInterval", "00:01:00"));
        var ownerA = nodes.A.Client();
        var conversationId = (await ownerA.StartConversationAsync(await ownerA.CreateBotAsync()))["conversation"]!.Id();
        await (await ownerA.PostJsonAsync($"/v1/conversations/{conversationId}/handoff", new { })).JsonAsync(HttpStatusCode.OK);
        await using var stream = await SseListener.OpenAsync(ownerA, $"/v1/conversations/{conversationId}/stream");
        await using var inbox = await SseListener.OpenAsync(ownerA, "/v1/inbox/stream");

        var clock = Stopwatch.StartNew();
        await (await nodes.B.Client().PostJsonAsync($"/v1/conversations/{conversationId}/agent-messages", new { text = "Written on node B" }))
            .JsonAsync(HttpStatusCode.Created);

        await stream.NextAsync(e => e.Type == "message.created" && (string?)e.Data["text"] == "Written on node B", TimeSpan.FromSeconds(10));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"The stream woke after {clock.Elapsed.TotalMilliseconds:F0} ms.");
        // Node B's reply assigned the conversation to its author: the inbox on node A hears of it at once too.
        await inbox.NextAsync(e => e.Type == "conversation.assigned", TimeSpan.FromSeconds(5));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"The inbox woke after {clock.Elapsed.TotalMilliseconds:F0} ms.");
    }

    [Fact]
    public async Task TypingOnOneNode_HeardByTheOtherSidesStreamOnAnotherNode()
    {
        const string site = "https://shop.example";
        using var redis = await RedisTestServer.StartAsync();
        await using var nodes = await TwoNodes.StartAsync(both: node => node.With("ConnectionStrings:Redis", redis.ConnectionString));
        var ownerA = nodes.A.Client();
        var botId = await ownerA.CreateBotAsync();
        var pk = (string)(await (await ownerA.PostJsonAsync("/v1/api-keys", new { name = "site", kind = "publishable", bot_id = botId, allowed_origins = new[] { site } }))
            .JsonAsync(HttpStatusCode.Created))["publishable_key"]!;
        var browser = nodes.B.Client(pk);
        browser.DefaultRequestHeaders.Add("Origin", site);
        var session = await (await browser.PostJsonAsync("/v1/widget/sessions", new { })).JsonAsync(HttpStatusCode.OK);
        var visitorB = nodes.B.Client((string)session["session_token"]!);
        visitorB.DefaultRequestHeaders.Add("Origin", site);
        var conversationId = session["conversation"]!.Id();
        await (await ownerA.PostJsonAsync($"/v1/conversations/{conversationId}/handoff", new { })).JsonAsync(HttpStatusCode.OK);
        await using var agentStreamOnA = await SseListener.OpenAsync(ownerA, $"/v1/conversations/{conversationId}/stream");
        await using var visitorStreamOnB = await SseListener.OpenAsync(visitorB, $"/v1/conversations/{conversationId}/stream");

        await (await visitorB.PostJsonAsync($"/v1/conversations/{conversationId}/typing", new { typing = true })).JsonAsync(HttpStatusCode.OK);
        var visitorTyping = await agentStreamOnA.NextAsync(e => e.Type == "typing", TimeSpan.FromSeconds(5));
        Assert.Equal("visitor", (string?)visitorTyping.Data["who"]);
        Assert.True((bool)visitorTyping.Data["typing"]!);

        await (await ownerA.PostJsonAsync($"/v1/conversations/{conversationId}/typing", new { typing = false })).JsonAsync(HttpStatusCode.OK);
        var agentStopped = await visitorStreamOnB.NextAsync(e => e.Type == "typing", TimeSpan.FromSeconds(5));
        Assert.Equal("agent", (string?)agentStopped.Data["who"]);
        Assert.False((bool)agentStopped.Data["typing"]!);
    }

    [Fact]
    public async Task RedisDown_NodeKeepsServing_StatusDegraded_OperationalWhenBack()
    {
        using var redis = await RedisTestServer.StartAsync();
        var node = new ParleyApp().With("ConnectionStrings:Redis", redis.ConnectionString).With("Parley:Status:CacheDuration", "00:00:00.100");
        await node.InitializeAsync();
        try
        {
            var client = node.Client();
            Assert.Equal("operational", await RedisStatusAsync(client));

            redis.Stop();

            (await client.GetAsync("/v1/bots")).EnsureSuccessStatusCode();
            await Eventually.TrueAsync(async () => await RedisStatusAsync(client) == "degraded", "The status never said degraded.");
            var conversation = (await client.StartConversationAsync(await client.CreateBotAsync()))["conversation"]!.Id();
            await (await client.PostJsonAsync($"/v1/conversations/{conversation}/messages", new { text = "still there?" })).JsonAsync(HttpStatusCode.OK);

            await redis.StartAgainAsync();
            await Eventually.TrueAsync(async () => await RedisStatusAsync(client) == "operational", "The status never said operational again.");
        }
        finally
        {
            await ((IAsyncLifetime)node).DisposeAsync();
        }
    }

    [Fact]
    public async Task RedisDown_OnPostgres_WakeUpsGoOverListenNotify()
    {
        if (ParleyApp.PostgresServer is null)
        {
            return; // LISTEN/NOTIFY stands behind Redis only on PostgreSQL: this runs on the PostgreSQL pass.
        }
        using var redis = await RedisTestServer.StartAsync();
        await using var nodes = await TwoNodes.StartAsync(both: node => node
            .With("ConnectionStrings:Redis", redis.ConnectionString)
            .With("Parley:Handoff:StreamPollInterval", "00:01:00")
            .With("Parley:Status:CacheDuration", "00:00:00.100"));
        var ownerA = nodes.A.Client();
        var conversationId = (await ownerA.StartConversationAsync(await ownerA.CreateBotAsync()))["conversation"]!.Id();
        await (await ownerA.PostJsonAsync($"/v1/conversations/{conversationId}/handoff", new { })).JsonAsync(HttpStatusCode.OK);
        await using var stream = await SseListener.OpenAsync(ownerA, $"/v1/conversations/{conversationId}/stream");

        redis.Stop();
        var ownerB = nodes.B.Client();
        await Eventually.TrueAsync(async () => await RedisStatusAsync(ownerB) == "degraded", "Node B never saw Redis down.");

        var clock = Stopwatch.StartNew();
        await (await ownerB.PostJsonAsync($"/v1/conversations/{conversationId}/agent-messages", new { text = "Sent while Redis is down" }))
            .JsonAsync(HttpStatusCode.Created);

        await stream.NextAsync(e => e.Type == "message.created" && (string?)e.Data["text"] == "Sent while Redis is down", TimeSpan.FromSeconds(10));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"The stream woke after {clock.Elapsed.TotalMilliseconds:F0} ms.");
    }

    private static async Task<string?> RedisStatusAsync(HttpClient client)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/status");
        request.Headers.Accept.ParseAdd("application/json");
        var status = await (await client.SendAsync(request)).JsonAsync(HttpStatusCode.OK);
        return (string?)status["components"]!.AsArray().Single(c => (string?)c!["name"] == "redis")!["status"];
    }
}
