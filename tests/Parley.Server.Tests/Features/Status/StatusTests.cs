using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Status;

/// <summary>An app that may deliver webhooks to loopback receivers, and recomputes its status on every request.</summary>
public sealed class StatusApp : ParleyApp
{
    public StatusApp()
    {
        With("Parley:Network:AllowPrivateTargets", "true");
        With("Parley:Webhooks:Timeout", "00:00:03");
        With("Parley:Webhooks:PollInterval", "00:00:00.100");
        With("Parley:Status:CacheDuration", "00:00:00");
    }
}

public sealed class StatusTests(StatusApp app) : IClassFixture<StatusApp>
{
    private static async Task<(HttpResponseMessage Response, JsonNode Body)> JsonStatusAsync(HttpClient client)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/status");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var response = await client.SendAsync(request);
        return (response, await response.JsonAsync(HttpStatusCode.OK));
    }

    private static JsonNode Component(JsonNode status, string name) =>
        status["components"]!.AsArray().Single(c => (string?)c!["name"] == name)!;

    [Fact]
    public async Task Status_Json_WithoutAKey_EveryComponent()
    {
        var (response, status) = await JsonStatusAsync(app.Client(null));

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("operational", (string?)status["status"]);
        Assert.Equal(
            ["api", "database", "webhook_delivery", "email", "model_providers", "knowledge_ingestion"],
            status["components"]!.AsArray().Select(c => (string)c!["name"]!));
        Assert.Equal("operational", (string?)Component(status, "api")["status"]);
        Assert.Equal("operational", (string?)Component(status, "database")["status"]);
        Assert.True((double)Component(status, "database")["latency_ms"]! >= 0);
        Assert.False((bool)Component(status, "email")["metrics"]!["configured"]!);
        Assert.Equal(0, (int)Component(status, "model_providers")["metrics"]!["circuits_open"]!);
        Assert.NotNull(Component(status, "knowledge_ingestion")["metrics"]!["queued"]);
    }

    [Fact]
    public async Task Status_Html_ByDefault_SelfContainedPage()
    {
        var response = await app.Client(null).GetAsync("/status");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("<!doctype html>", html, StringComparison.Ordinal);
        Assert.Contains("All systems operational", html, StringComparison.Ordinal);
        Assert.Contains("Webhook delivery", html, StringComparison.Ordinal);
        Assert.Contains("Knowledge ingestion", html, StringComparison.Ordinal);
        Assert.Contains("configured: no", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("default-src 'none'", string.Join(";", response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_WebhookBacklog_ShowsUpAsCountsWithoutTenantData()
    {
        // A workspace, bot and endpoint whose names and ids must not appear on the public page.
        const string secretName = "Rosa's Hidden Bakery <b>";
        var (workspaceId, key) = await app.CreateWorkspaceAsync(secretName);
        var client = app.Client(key);
        var receiver = WebhookReceiver.Down();
        await using var _ = receiver;
        var endpoint = await (await client.PostJsonAsync("/v1/webhook-endpoints", new { url = receiver.Url, events = new[] { "conversation.started" } }))
            .JsonAsync(HttpStatusCode.Created);
        var bot = await client.CreateBotAsync(name: secretName);
        var (_, before) = await JsonStatusAsync(app.Client(null));
        var backlogBefore = (int)Component(before, "webhook_delivery")["metrics"]!["backlog"]!;

        await client.StartConversationAsync(bot);
        await client.StartConversationAsync(bot);

        var (_, status) = await JsonStatusAsync(app.Client(null));
        var webhooks = Component(status, "webhook_delivery")["metrics"]!;
        Assert.Equal(backlogBefore + 2, (int)webhooks["backlog"]!);
        Assert.True((long)webhooks["oldest_pending_age_seconds"]! >= 0);
        var json = status.ToJsonString();
        var html = await (await app.Client(null).GetAsync("/status")).Content.ReadAsStringAsync();
        foreach (var page in new[] { json, html })
        {
            Assert.Contains("backlog", page, StringComparison.Ordinal);
            foreach (var secret in new[] { "Rosa", "Hidden Bakery", workspaceId, bot, endpoint.Id(), receiver.Url, $"127.0.0.1:{receiver.Port}", "ws_", "bot_", "we_" })
            {
                Assert.DoesNotContain(secret, page, StringComparison.Ordinal);
            }
        }
    }
}

public sealed class StatusCacheTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Fact]
    public async Task Status_RequestedTwiceWithinTheCacheDuration_ComputedOnce()
    {
        var client = app.Client(null);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var first = await (await client.GetAsync("/status")).JsonAsync(HttpStatusCode.OK);
        var statuses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.GetAsync("/status")));

        foreach (var response in statuses)
        {
            var body = await response.JsonAsync(HttpStatusCode.OK);
            Assert.Equal((string?)first["checked_at"], (string?)body["checked_at"]);
        }
    }
}
