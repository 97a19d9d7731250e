using System.Net;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>Another workspace's ids answer 404 on every endpoint, and its rows never appear in lists.</summary>
public sealed class TenantIsolationTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Fact]
    public async Task EveryEndpoint_OtherWorkspacesIds_404AndNothingChanged()
    {
        var owner = app.Client();
        var botId = await owner.CreateBotAsync();
        var conversationId = (await owner.StartConversationAsync(botId))["conversation"]!.Id();
        var keyId = (await (await owner.PostJsonAsync("/v1/api-keys", new { name = "mine" })).JsonAsync(HttpStatusCode.Created)).Id();
        var (_, otherKey) = await app.CreateWorkspaceAsync();
        var intruder = app.Client(otherKey);
        var before = await app.RowCountsAsync();

        await (await intruder.GetAsync($"/v1/bots/{botId}")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await intruder.PatchJsonAsync($"/v1/bots/{botId}", new { name = "pwned" })).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await intruder.DeleteAsync($"/v1/bots/{botId}")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await intruder.GetAsync($"/v1/conversations/{conversationId}")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await intruder.GetAsync($"/v1/conversations/{conversationId}/messages")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await intruder.PostJsonAsync($"/v1/conversations/{conversationId}/messages", new { text = "hi" })).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await intruder.DeleteAsync($"/v1/api-keys/{keyId}")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await intruder.PostJsonAsync("/v1/conversations", new { bot_id = botId })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await intruder.PostJsonAsync("/v1/api-keys", new { name = "w", kind = "publishable", bot_id = botId, allowed_origins = new[] { "https://x.example" } }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.Equal(before, await app.RowCountsAsync());
        (await owner.GetAsync($"/v1/bots/{botId}")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Lists_ShowOnlyOwnWorkspace()
    {
        var owner = app.Client();
        var botId = await owner.CreateBotAsync("Mine");
        var conversationId = (await owner.StartConversationAsync(botId))["conversation"]!.Id();
        var (_, otherKey) = await app.CreateWorkspaceAsync();
        var other = app.Client(otherKey);

        foreach (var path in new[] { "/v1/bots?limit=100", "/v1/conversations?limit=100", "/v1/events?limit=100", "/v1/api-keys?limit=100" })
        {
            var text = (await (await other.GetAsync(path)).JsonAsync(HttpStatusCode.OK)).ToJsonString();
            Assert.DoesNotContain(botId, text, StringComparison.Ordinal);
            Assert.DoesNotContain(conversationId, text, StringComparison.Ordinal);
        }
        var ownKeys = await (await other.GetAsync("/v1/api-keys")).JsonAsync(HttpStatusCode.OK);
        Assert.Single(ownKeys["data"]!.AsArray());
    }
}
