using System.Net;
using System.Text.Json.Nodes;
using Parley.Server.Tests.Features.Webhooks;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Integrations;

public sealed class IntegrationHealthTests(WebhookApp app) : IClassFixture<WebhookApp>
{
    private static async Task<JsonNode> HopAsync(HttpClient client, string endpointId, string eventType, Func<JsonNode, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var health = await (await client.GetAsync("/v1/integrations/health")).JsonAsync(HttpStatusCode.OK);
            var hop = health["hops"]!.AsArray().FirstOrDefault(h => (string?)h!["target_id"] == endpointId && (string?)h["event_type"] == eventType);
            if (hop is not null && done(hop))
            {
                return health;
            }
            Assert.True(DateTime.UtcNow < deadline, "The hop did not reach the expected state: " + health.ToJsonString());
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Health_ReceiverDownThenUp_HopFailingThenHealthy()
    {
        await using var receiver = WebhookReceiver.Down();
        var (_, key) = await app.CreateWorkspaceAsync();
        var client = app.Client(key);
        var endpoint = await (await client.PostJsonAsync("/v1/webhook-endpoints", new { url = receiver.Url, events = new[] { "conversation.started" }, description = "CRM" }))
            .JsonAsync(HttpStatusCode.Created);
        var botId = await client.CreateBotAsync("Front desk");

        var idle = await HopAsync(client, endpoint.Id(), "conversation.started", h => (string?)h["state"] == "idle");
        Assert.Equal("Front desk", (string?)idle["bots"]![0]!["name"]);
        Assert.Equal(0, (int)idle["failing_hops"]!);

        await client.StartConversationAsync(botId);
        var failing = await HopAsync(client, endpoint.Id(), "conversation.started", h => (string?)h["state"] == "failing");
        var hop = failing["hops"]!.AsArray().Single(h => (string?)h!["target_id"] == endpoint.Id())!;
        Assert.Equal("webhook", (string?)hop["kind"]);
        Assert.Equal("CRM", (string?)hop["target"]);
        Assert.NotNull(hop["last_failure_at"]);
        Assert.Contains("Could not connect", (string?)hop["last_failure"], StringComparison.Ordinal);
        Assert.Null(hop["last_success_at"]);
        Assert.Equal(1, (int)failing["failing_hops"]!);

        await receiver.ListenAsync();
        var healthy = await HopAsync(client, endpoint.Id(), "conversation.started", h => (string?)h["state"] == "healthy");
        hop = healthy["hops"]!.AsArray().Single(h => (string?)h!["target_id"] == endpoint.Id())!;
        Assert.NotNull(hop["last_success_at"]);
        Assert.NotNull(hop["last_failure_at"]);
        Assert.True((int)hop["attempts24h"]! >= 2);
        Assert.True((int)hop["failures24h"]! >= 1);
        Assert.Equal(0, (int)healthy["failing_hops"]!);

        // The endpoint's own health counts the same attempts hour by hour, for its chart.
        var read = await (await client.GetAsync($"/v1/webhook-endpoints/{endpoint.Id()}")).JsonAsync(HttpStatusCode.OK);
        var hours = read["health"]!["hours"]!.AsArray();
        Assert.Equal(24, hours.Count);
        Assert.Equal((int)read["health"]!["attempts24h"]!, hours.Sum(h => (int)h!["succeeded"]! + (int)h["failed"]!));
        Assert.True((int)hours[^1]!["succeeded"]! >= 1);
    }

    [Fact]
    public async Task Health_AllEventsEndpointAndDisabledEndpoint_ShownAsSuch()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (_, key) = await app.CreateWorkspaceAsync();
        var client = app.Client(key);
        var everything = await (await client.PostJsonAsync("/v1/webhook-endpoints", new { url = receiver.Url, events = new[] { "*" } })).JsonAsync(HttpStatusCode.Created);
        var off = await (await client.PostJsonAsync("/v1/webhook-endpoints", new { url = receiver.Url, events = new[] { "lead.captured" }, enabled = false })).JsonAsync(HttpStatusCode.Created);

        var health = await HopAsync(client, everything.Id(), "*", h => (string?)h["state"] == "idle");
        var disabled = health["hops"]!.AsArray().Single(h => (string?)h!["target_id"] == off.Id())!;
        Assert.Equal("disabled", (string?)disabled["state"]);
        Assert.Equal(receiver.Url, (string?)disabled["target"]);

        await client.StartConversationAsync(await client.CreateBotAsync());
        await HopAsync(client, everything.Id(), "conversation.started", h => (string?)h["state"] == "healthy");
        await HopAsync(client, everything.Id(), "message.created", h => (string?)h["state"] == "healthy");
    }

    [Fact]
    public async Task Health_OtherWorkspaceAndNarrowKey_SeeNothingOfIt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (_, key) = await app.CreateWorkspaceAsync();
        var client = app.Client(key);
        await (await client.PostJsonAsync("/v1/webhook-endpoints", new { url = receiver.Url, events = new[] { "*" } })).JsonAsync(HttpStatusCode.Created);

        var (_, otherKey) = await app.CreateWorkspaceAsync();
        var other = await (await app.Client(otherKey).GetAsync("/v1/integrations/health")).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(other["hops"]!.AsArray());

        var narrow = await (await client.PostJsonAsync("/v1/api-keys", new { name = "bots only", scopes = new[] { "bots:read" } })).JsonAsync(HttpStatusCode.Created);
        var refused = await app.Client((string)narrow["secret"]!).GetAsync("/v1/integrations/health");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
    }
}
