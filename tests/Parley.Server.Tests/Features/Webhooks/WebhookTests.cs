using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Webhooks;

public class WebhookApp : ParleyApp
{
    public WebhookApp()
    {
        With("Parley:Network:AllowPrivateTargets", "true");
        // Long enough that a loopback answer is never late on a loaded machine; the slow-receiver test answers later still.
        With("Parley:Webhooks:Timeout", "00:00:03");
        With("Parley:Webhooks:PollInterval", "00:00:00.100");
        With("Parley:Webhooks:RetrySchedule:0", "00:00:00.200");
        With("Parley:Webhooks:RetrySchedule:1", "00:00:00.200");
        With("Parley:Webhooks:RetrySchedule:2", "00:00:00.300");
    }
}

public sealed class WebhookTests(WebhookApp app) : IClassFixture<WebhookApp>
{
    private async Task<(HttpClient Client, string EndpointId, string Secret)> SubscribeAsync(WebhookReceiver receiver, params string[] events)
    {
        var (_, key) = await app.CreateWorkspaceAsync();
        var client = app.Client(key);
        var endpoint = await (await client.PostJsonAsync("/v1/webhook-endpoints", new { url = receiver.Url, events = events.Length > 0 ? events : ["*"] }))
            .JsonAsync(HttpStatusCode.Created);
        return (client, endpoint.Id(), (string)endpoint["secret"]!);
    }

    private static async Task<string> StartConversationAsync(HttpClient client)
    {
        var botId = await client.CreateBotAsync();
        return (await client.StartConversationAsync(botId))["conversation"]!.Id();
    }

    private static async Task<JsonNode> DeliveryAsync(HttpClient client, string endpointId, Func<JsonNode, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var list = await (await client.GetAsync($"/v1/webhook-endpoints/{endpointId}/deliveries")).JsonAsync(HttpStatusCode.OK);
            var delivery = list["data"]!.AsArray().FirstOrDefault(d => done(d!));
            if (delivery is not null)
            {
                return await (await client.GetAsync($"/v1/webhook-deliveries/{delivery.Id()}")).JsonAsync(HttpStatusCode.OK);
            }
            Assert.True(DateTime.UtcNow < deadline, "No delivery reached the expected state: " + list.ToJsonString());
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Turn_EventsArriveSignedWithStableIds()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (client, _, secret) = await SubscribeAsync(receiver);
        var conversationId = await StartConversationAsync(client);
        await client.SendAsync(conversationId, "Do you ship to Canada?");

        var received = await receiver.WaitForAsync(4);
        var types = received.Select(r => (string)JsonNode.Parse(r.Body)!["type"]!).ToList();
        Assert.Equal(["conversation.started", "message.created", "message.created", "message.created"], types);
        foreach (var request in received)
        {
            Assert.True(StandardWebhooksVerifier.Verify(secret, request.Headers, request.Body), "signature does not verify");
            var body = JsonNode.Parse(request.Body)!;
            Assert.Equal(request.Headers["webhook-id"], body.Id());
            Assert.StartsWith("evt_", body.Id(), StringComparison.Ordinal);
            Assert.NotNull(body["workspace_id"]);
            Assert.NotNull(body["created_at"]);
        }
        var userMessage = JsonNode.Parse(received[2].Body)!["data"]!;
        Assert.Equal("Do you ship to Canada?", (string?)userMessage["text"]);

        var events = await (await client.GetAsync("/v1/events?limit=100")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(events["data"]!.AsArray().Select(e => e!.Id()).Reverse(), received.Select(r => r.Headers["webhook-id"]));
    }

    [Fact]
    public async Task Failing_500Twice_ThenDeliveredOnTheThirdAttemptWithTheSameId()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer(500).Answer(500);
        var (client, endpointId, _) = await SubscribeAsync(receiver, "conversation.started");
        await StartConversationAsync(client);

        var received = await receiver.WaitForAsync(3);
        Assert.Single(received.Select(r => r.Headers["webhook-id"]).Distinct());
        var delivery = await DeliveryAsync(client, endpointId, d => (string?)d["status"] == "delivered");
        Assert.Equal(3, (int?)delivery["attempt_count"]);
        var attempts = delivery["attempts"]!.AsArray();
        Assert.Equal([500, 500, 200], attempts.Select(a => (int)a!["status_code"]!));
        Assert.Equal("answered 500", (string?)attempts[0]!["response_excerpt"]);
        Assert.All(attempts, a => Assert.True((double)a!["duration_ms"]! >= 0));

        var endpoint = await (await client.GetAsync($"/v1/webhook-endpoints/{endpointId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, (int?)endpoint["health"]!["consecutive_failures"]);
        Assert.Equal(3, (int?)endpoint["health"]!["attempts24h"]);
        Assert.Equal(0.3333, (double)endpoint["health"]!["success_rate24h"]!, 3);
    }

    [Fact]
    public async Task SlowReceiver_TimesOutAndIsRetried()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer(200, TimeSpan.FromSeconds(6));
        var (client, endpointId, _) = await SubscribeAsync(receiver, "conversation.started");
        await StartConversationAsync(client);

        var delivery = await DeliveryAsync(client, endpointId, d => (string?)d["status"] == "delivered");
        var attempts = delivery["attempts"]!.AsArray();
        Assert.Contains("No answer within", (string?)attempts[0]!["error"], StringComparison.Ordinal);
        Assert.Null(attempts[0]!["status_code"]);
        Assert.True((bool)attempts[^1]!["succeeded"]!);
    }

    [Fact]
    public async Task ReceiverDown_ThenUp_Delivered()
    {
        await using var receiver = WebhookReceiver.Down();
        var (client, endpointId, _) = await SubscribeAsync(receiver, "conversation.started");
        await StartConversationAsync(client);
        var failed = await DeliveryAsync(client, endpointId, d => (int?)d["attempt_count"] >= 1);
        Assert.Contains("Could not connect", (string?)failed["attempts"]![0]!["error"], StringComparison.Ordinal);

        await receiver.ListenAsync();

        var delivery = await DeliveryAsync(client, endpointId, d => (string?)d["status"] == "delivered");
        Assert.Single(await receiver.WaitForAsync(1));
        Assert.True((int)delivery["attempt_count"]! >= 2);
    }

    [Fact]
    public async Task AllRetriesFail_DeliveryFailedAndReplayable()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.DefaultStatus = 503;
        var (client, endpointId, _) = await SubscribeAsync(receiver, "conversation.started");
        await StartConversationAsync(client);

        var failed = await DeliveryAsync(client, endpointId, d => (string?)d["status"] == "failed");
        Assert.Equal(4, (int?)failed["attempt_count"]); // the first attempt and three retries
        var filtered = await (await client.GetAsync($"/v1/webhook-endpoints/{endpointId}/deliveries?status=failed&event_type=conversation.started"))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Single(filtered["data"]!.AsArray());

        receiver.DefaultStatus = 200;
        (await client.PostJsonAsync($"/v1/webhook-deliveries/{failed.Id()}/retry", new { })).EnsureSuccessStatusCode();
        var delivered = await DeliveryAsync(client, endpointId, d => (string?)d["status"] == "delivered");
        Assert.Equal(5, (int?)delivered["attempt_count"]);
        Assert.Single(receiver.Requests.Select(r => r.Headers["webhook-id"]).Distinct());
    }

    [Fact]
    public async Task Gone410_DisablesTheEndpointAndSaysWhy()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer(410);
        var (client, endpointId, _) = await SubscribeAsync(receiver, "conversation.started");
        await StartConversationAsync(client);

        await DeliveryAsync(client, endpointId, d => (string?)d["status"] == "failed");
        var endpoint = await (await client.GetAsync($"/v1/webhook-endpoints/{endpointId}")).JsonAsync(HttpStatusCode.OK);
        Assert.False((bool)endpoint["enabled"]!);
        Assert.Contains("410", (string?)endpoint["disabled_reason"], StringComparison.Ordinal);
        var disabled = await (await client.GetAsync("/v1/events?type=webhook_endpoint.disabled")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(endpointId, (string?)disabled["data"]![0]!["data"]!["endpoint"]!["id"]);

        // Disabled endpoints get nothing new until they are enabled again.
        await StartConversationAsync(client);
        (await client.PatchJsonAsync($"/v1/webhook-endpoints/{endpointId}", new { enabled = true })).EnsureSuccessStatusCode();
        await StartConversationAsync(client);
        var received = await receiver.WaitForAsync(2);
        Assert.Equal(2, received.Count);
    }

    [Fact]
    public async Task SecretRotation_BothSecretsSignFor24Hours()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (client, endpointId, oldSecret) = await SubscribeAsync(receiver, "conversation.started");
        var rotated = await (await client.PostJsonAsync($"/v1/webhook-endpoints/{endpointId}/rotate-secret", new { })).JsonAsync(HttpStatusCode.OK);
        var newSecret = (string)rotated["secret"]!;
        Assert.NotEqual(oldSecret, newSecret);
        Assert.Null((await (await client.GetAsync($"/v1/webhook-endpoints/{endpointId}")).JsonAsync(HttpStatusCode.OK))["secret"]);

        await StartConversationAsync(client);
        var request = Assert.Single(await receiver.WaitForAsync(1));
        Assert.Equal(2, request.Headers["webhook-signature"].Split(' ').Length);
        Assert.True(StandardWebhooksVerifier.Verify(newSecret, request.Headers, request.Body));
        Assert.True(StandardWebhooksVerifier.Verify(oldSecret, request.Headers, request.Body));
        Assert.False(StandardWebhooksVerifier.Verify("whsec_" + Convert.ToBase64String(new byte[32]), request.Headers, request.Body));
    }

    [Fact]
    public async Task TestEvent_AnswersWithTheReceiversStatusAndIsLogged()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer(202);
        var (client, endpointId, secret) = await SubscribeAsync(receiver, "lead.captured");
        var result = await (await client.PostJsonAsync($"/v1/webhook-endpoints/{endpointId}/test", new { }, "test-once")).JsonAsync(HttpStatusCode.OK);
        var replay = await (await client.PostJsonAsync($"/v1/webhook-endpoints/{endpointId}/test", new { }, "test-once")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(result.Id("delivery_id"), replay.Id("delivery_id"));
        Assert.True((bool)result["succeeded"]!);
        Assert.Equal(202, (int?)result["status_code"]);
        var request = Assert.Single(receiver.Requests);
        Assert.Equal("webhook.test", (string?)JsonNode.Parse(request.Body)!["type"]);
        Assert.True(StandardWebhooksVerifier.Verify(secret, request.Headers, request.Body));
        var log = await (await client.GetAsync($"/v1/webhook-endpoints/{endpointId}/deliveries")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("delivered", (string?)log["data"]![0]!["status"]);
    }

    [Fact]
    public async Task Subscription_OnlyTheChosenTypes()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (client, _, _) = await SubscribeAsync(receiver, "conversation.started");
        var conversationId = await StartConversationAsync(client);
        await client.SendAsync(conversationId, "hi");
        var marker = await StartConversationAsync(client);

        var received = await receiver.WaitForAsync(2);
        Assert.All(received, r => Assert.Equal("conversation.started", (string?)JsonNode.Parse(r.Body)!["type"]));
        Assert.Equal(marker, (string?)JsonNode.Parse(received[1].Body)!["data"]!["id"]);
    }

    [Fact]
    public async Task Create_InvalidInput_400AndNothingWritten()
    {
        var (_, key) = await app.CreateWorkspaceAsync();
        var client = app.Client(key);
        var before = await app.RowCountsAsync();
        var problem = await (await client.PostJsonAsync("/v1/webhook-endpoints", new { url = "ftp://x.example", events = new[] { "lead.exploded" } }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.NotNull(problem["errors"]!["url"]);
        Assert.NotNull(problem["errors"]!["events"]);
        await (await client.PostJsonAsync("/v1/webhook-endpoints", new { url = "https://x.example/h" })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(before, await app.RowCountsAsync());
        var (_, otherKey) = await app.CreateWorkspaceAsync();
        var mine = await (await client.PostJsonAsync("/v1/webhook-endpoints", new { url = "https://x.example/h", events = new[] { "*" } })).JsonAsync(HttpStatusCode.Created);
        await (await app.Client(otherKey).GetAsync($"/v1/webhook-endpoints/{mine.Id()}")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await app.Client(otherKey).GetAsync($"/v1/webhook-endpoints/{mine.Id()}/deliveries")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
    }
}

/// <summary>An endpoint that keeps failing is disabled after <c>Parley:Webhooks:DisableAfter</c>.</summary>
public sealed class QuickDisableApp : WebhookApp
{
    public QuickDisableApp() => With("Parley:Webhooks:DisableAfter", "00:00:00.600");
}

public sealed class WebhookDisableTests(QuickDisableApp app) : IClassFixture<QuickDisableApp>
{
    [Fact]
    public async Task ContinuousFailure_DisablesEndpoint()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.DefaultStatus = 500;
        var (_, key) = await app.CreateWorkspaceAsync();
        var client = app.Client(key);
        var endpointId = (await (await client.PostJsonAsync("/v1/webhook-endpoints", new { url = receiver.Url, events = new[] { "conversation.started" } }))
            .JsonAsync(HttpStatusCode.Created)).Id();
        await client.StartConversationAsync(await client.CreateBotAsync());

        var deadline = DateTime.UtcNow.AddSeconds(15);
        JsonNode endpoint;
        do
        {
            Assert.True(DateTime.UtcNow < deadline, "endpoint was not disabled");
            await Task.Delay(50);
            endpoint = await (await client.GetAsync($"/v1/webhook-endpoints/{endpointId}")).JsonAsync(HttpStatusCode.OK);
        }
        while ((bool)endpoint["enabled"]!);
        Assert.Contains("failed for", (string?)endpoint["disabled_reason"], StringComparison.Ordinal);
        var events = await (await client.GetAsync("/v1/events?type=webhook_endpoint.disabled")).JsonAsync(HttpStatusCode.OK);
        Assert.Single(events["data"]!.AsArray());
    }
}

/// <summary>Without AllowPrivateTargets, webhooks cannot reach the server's own network.</summary>
[Trait(Storage.Trait, Storage.Independent)]
public sealed class WebhookPrivateTargetTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Fact]
    public async Task Create_PrivateAddress_400()
    {
        foreach (var url in new[] { "http://127.0.0.1:8080/h", "http://localhost/h", "http://10.1.2.3/h", "http://169.254.169.254/latest", "http://[::1]/h" })
        {
            var problem = await (await app.Client().PostJsonAsync("/v1/webhook-endpoints", new { url, events = new[] { "*" } }))
                .ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
            Assert.Contains("private", (string?)problem["errors"]!["url"]![0], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Deliver_NameResolvingToLoopback_RefusedAtConnect()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        // A public-looking URL whose name resolves to this machine (as DNS rebinding would) is stored directly.
        var endpointId = (await (await app.Client().PostJsonAsync("/v1/webhook-endpoints", new { url = "https://hooks.example/h", events = new[] { "lead.captured" } }))
            .JsonAsync(HttpStatusCode.Created)).Id();
        await app.DbAsync(db => db.WebhookEndpoints.IgnoreQueryFilters().Where(e => e.Id == endpointId)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Url, $"http://localhost:{receiver.Port}/hooks")));

        var result = await (await app.Client().PostJsonAsync($"/v1/webhook-endpoints/{endpointId}/test", new { })).JsonAsync(HttpStatusCode.OK);

        Assert.False((bool)result["succeeded"]!);
        Assert.StartsWith("Refused:", (string?)result["error"], StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }
}
