using System.Net;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// While the database cannot be reached, requests get <c>503 database_unavailable</c> with <c>Retry-After</c> and
/// nothing of them is stored; once it is back the same server serves again, the conversation that failed mid-turn
/// included (its writer's lock was let go although the rollback failed too).
/// </summary>
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    private readonly ParleyAppWithOutage _app = new();

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_app).DisposeAsync();

    [Fact]
    public async Task DatabaseDownMidTurn_503WithRetryAfter_NothingStored_ServesAgainOnceBack()
    {
        using var client = _app.Client();
        client.Timeout = TimeSpan.FromSeconds(20);
        var botId = await client.CreateBotAsync();
        var conversationId = (await client.StartConversationAsync(botId)).Id("conversation.id");
        await client.SendAsync(conversationId, "before");
        var before = await _app.RowCountsAsync();

        _app.Outage.Down = true;
        try
        {
            using var failed = await client.PostJsonAsync($"/v1/conversations/{conversationId}/messages", new { text = "during" }, "outage-1");
            await failed.ProblemAsync(HttpStatusCode.ServiceUnavailable, "database_unavailable");
            Assert.Equal("5", failed.Headers.GetValues("Retry-After").Single());
        }
        finally
        {
            _app.Outage.Down = false;
        }
        Assert.Equal(before, await _app.RowCountsAsync());

        using var retried = await client.PostJsonAsync($"/v1/conversations/{conversationId}/messages", new { text = "during" }, "outage-1");
        await retried.JsonAsync(HttpStatusCode.OK);
        var transcript = await (await client.GetAsync($"/v1/conversations/{conversationId}/messages?limit=100")).JsonAsync(HttpStatusCode.OK);
        var userTexts = transcript["data"]!.AsArray().Where(m => (string?)m!["role"] == "user").Select(m => (string?)m!["text"]);
        Assert.Equal(["before", "during"], userTexts);
    }
}
