using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Parley.Server.Tests.Features.ModelProviders;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Integrations;

public sealed class ModelHopHealthTests(ModelApp app) : IClassFixture<ModelApp>, IAsyncLifetime
{
    private FakeModelServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeModelServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static async Task<JsonNode> ModelHopAsync(HttpClient client, string botId, Func<JsonNode, bool> done)
    {
        JsonNode? hop = null;
        await Eventually.TrueAsync(async () =>
        {
            var health = await (await client.GetAsync("/v1/integrations/health")).JsonAsync(HttpStatusCode.OK);
            hop = health["hops"]!.AsArray().SingleOrDefault(h => (string?)h!["kind"] == "model" && (string?)h["bot_id"] == botId);
            return hop is not null && done(hop);
        }, "The bot's model hop did not reach the expected state: " + hop?.ToJsonString());
        return hop!;
    }

    private static DateTimeOffset At(JsonNode? value) => DateTimeOffset.Parse((string)value!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task Health_ProviderFailingThenRecovering_ModelHopFailingThenHealthy()
    {
        var (_, key) = await app.CreateWorkspaceAsync();
        var client = app.Client(key);
        var provider = (await (await client.PostJsonAsync("/v1/model-providers", new { name = "Shop model", kind = "openai", base_url = _server.OpenAiBaseUrl, api_key = "test-key-1234" }))
            .JsonAsync(HttpStatusCode.Created)).Id();
        var botId = (await (await client.PostJsonAsync("/v1/bots", new { name = "Front desk", model = new { provider, name = "test-model-1" } }))
            .JsonAsync(HttpStatusCode.Created)).Id();
        var conversation = (await client.StartConversationAsync(botId))["conversation"]!.Id();

        var idle = await ModelHopAsync(client, botId, h => (string?)h["state"] == "idle");
        Assert.Equal(provider, (string?)idle["target_id"]);
        Assert.Equal("Shop model", (string?)idle["target"]);
        Assert.Equal("model.reply", (string?)idle["event_type"]);
        Assert.Equal(0, (int)idle["attempts24h"]!);

        // A 500 is retried once: two failed HTTP attempts make one failed call.
        _server.Then(new(Status: 500)).Then(new(Status: 500));
        await (await client.PostJsonAsync($"/v1/conversations/{conversation}/messages", new { text = "Hi" }))
            .ProblemAsync(HttpStatusCode.ServiceUnavailable, "provider_unavailable");
        var failing = await ModelHopAsync(client, botId, h => (string?)h["state"] == "failing");
        Assert.Equal(1, (int)failing["attempts24h"]!);
        Assert.Equal(1, (int)failing["failures24h"]!);
        Assert.Null(failing["last_success_at"]);
        Assert.NotNull(failing["last_failure_at"]);
        Assert.Contains("500", (string?)failing["last_failure"], StringComparison.Ordinal);
        var health = await (await client.GetAsync("/v1/integrations/health")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, (int)health["failing_hops"]!);

        _server.Then(new("Back again."));
        await client.SendAsync(conversation, "Hello?");
        var healthy = await ModelHopAsync(client, botId, h => (string?)h["state"] == "healthy");
        Assert.Equal(2, (int)healthy["attempts24h"]!);
        Assert.Equal(1, (int)healthy["failures24h"]!);
        Assert.True(At(healthy["last_success_at"]) > At(healthy["last_failure_at"]));
        Assert.Equal((string?)failing["last_failure"], (string?)healthy["last_failure"]);
    }

    [Fact]
    public async Task Health_OtherWorkspacesCalls_NotCounted()
    {
        var (_, key) = await app.CreateWorkspaceAsync();
        var client = app.Client(key);
        var provider = (await (await client.PostJsonAsync("/v1/model-providers", new { name = "Mine", kind = "openai", base_url = _server.OpenAiBaseUrl }))
            .JsonAsync(HttpStatusCode.Created)).Id();
        var botId = (await (await client.PostJsonAsync("/v1/bots", new { name = "Mine", model = new { provider, name = "test-model-1" } }))
            .JsonAsync(HttpStatusCode.Created)).Id();
        var (_, otherKey) = await app.CreateWorkspaceAsync();
        var other = app.Client(otherKey);
        var otherProvider = (await (await other.PostJsonAsync("/v1/model-providers", new { name = "Theirs", kind = "openai", base_url = _server.OpenAiBaseUrl }))
            .JsonAsync(HttpStatusCode.Created)).Id();
        var otherBot = (await (await other.PostJsonAsync("/v1/bots", new { name = "Theirs", model = new { provider = otherProvider, name = "test-model-1" } }))
            .JsonAsync(HttpStatusCode.Created)).Id();

        await other.SendAsync((await other.StartConversationAsync(otherBot))["conversation"]!.Id(), "Hi");
        await ModelHopAsync(other, otherBot, h => (string?)h["state"] == "healthy");

        var mine = await ModelHopAsync(client, botId, _ => true);
        Assert.Equal("idle", (string?)mine["state"]);
        Assert.Equal(0, (int)mine["attempts24h"]!);
        var hops = (await (await client.GetAsync("/v1/integrations/health")).JsonAsync(HttpStatusCode.OK))["hops"]!.AsArray();
        Assert.DoesNotContain(hops, h => (string?)h!["target_id"] == otherProvider);
    }
}
