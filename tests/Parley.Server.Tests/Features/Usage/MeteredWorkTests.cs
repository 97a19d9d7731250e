using System.Net;
using Parley.Server.Tests.Features.ModelProviders;
using Parley.Server.Tests.Features.Webhooks;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Usage;

public sealed class ModelUsageTests(ModelApp app) : IClassFixture<ModelApp>, IAsyncLifetime
{
    private FakeModelServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeModelServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ModelReplies_CountedWithTheirReportedTokens()
    {
        var (_, key) = await app.CreateWorkspaceAsync("Models");
        var client = app.Client(key);
        var provider = (await (await client.PostJsonAsync("/v1/model-providers", new { name = "openai", kind = "openai", base_url = _server.OpenAiBaseUrl, api_key = "test-key-1234" }))
            .JsonAsync(HttpStatusCode.Created)).Id();
        var bot = (await (await client.PostJsonAsync("/v1/bots", new { name = "Cycle Hub", model = new { provider, name = "test-model-1" } }))
            .JsonAsync(HttpStatusCode.Created)).Id();
        var conversation = (await client.StartConversationAsync(bot)).Id("conversation.id");

        var first = await client.SendAsync(conversation, "Hello");
        var second = await client.SendAsync(conversation, "Do you repair bikes?");

        var tokens = new[] { first, second }.Sum(t => (long)t["messages"]![0]!["usage"]!["prompt_tokens"]! + (long)t["messages"]![0]!["usage"]!["completion_tokens"]!);
        Assert.Equal(2 * (FakeModelServer.ReportedPromptTokens + 12), tokens);
        var metrics = await UsageTests.MetricsAsync(client);
        Assert.Equal(2, (long)metrics["bot_replies_model"]["value"]!);
        Assert.Equal(0, (long)metrics["bot_replies_answerer"]["value"]!);
        Assert.Equal(tokens, (long)metrics["ai_tokens"]["value"]!);
        Assert.Equal(2, (long)metrics["messages"]["value"]!);
    }
}

public sealed class DeliveryUsageTests(WebhookApp app) : IClassFixture<WebhookApp>
{
    [Fact]
    public async Task WebhookDeliveries_CountedOnceDeliveredRetriesIncluded()
    {
        var (_, key) = await app.CreateWorkspaceAsync("Hooks");
        var client = app.Client(key);
        await using var receiver = await WebhookReceiver.StartAsync();
        // The first attempt fails, the retry is accepted: one delivery.
        receiver.Answer(500);
        (await client.PostJsonAsync("/v1/webhook-endpoints", new { url = receiver.Url, events = new[] { "conversation.started" } })).EnsureSuccessStatusCode();

        await client.StartConversationAsync(await client.CreateBotAsync());
        await client.StartConversationAsync(await client.CreateBotAsync());
        await receiver.WaitForAsync(3);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        long delivered;
        while ((delivered = await UsageTests.ValueAsync(client, "webhook_deliveries")) < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.Equal(2, delivered);
    }
}

public sealed class EmailUsageTests
{
    [Fact]
    public async Task NotificationEmail_Sent_CountedAndOnTheStatusPage()
    {
        using var smtp = await SmtpTestServer.StartAsync();
        var app = new ParleyApp()
            .With("Parley:Smtp:Host", "127.0.0.1")
            .With("Parley:Smtp:Port", smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .With("Parley:Smtp:Security", "none")
            .With("Parley:Status:CacheDuration", "00:00:00");
        await app.InitializeAsync();
        try
        {
            var client = app.Client();
            (await client.PatchJsonAsync("/v1/workspace", new { notification_emails = new[] { "owner@shop.example" } })).EnsureSuccessStatusCode();
            var conversation = (await client.StartConversationAsync(await client.CreateBotAsync())).Id("conversation.id");
            await (await client.PostJsonAsync("/v1/leads", new { conversation_id = conversation, fields = new { email = "lead@example.com" } }))
                .JsonAsync(HttpStatusCode.Created);

            Assert.Contains("To: owner@shop.example", await smtp.WaitForMessageAsync(), StringComparison.Ordinal);
            var deadline = DateTime.UtcNow.AddSeconds(10);
            long sent;
            while ((sent = await UsageTests.ValueAsync(client, "emails_sent")) < 1 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
            Assert.Equal(1, sent);

            var request = new HttpRequestMessage(HttpMethod.Get, "/status");
            request.Headers.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("application/json"));
            var status = await (await app.Client(null).SendAsync(request)).JsonAsync(HttpStatusCode.OK);
            var email = status["components"]!.AsArray().Single(c => (string?)c!["name"] == "email")!;
            Assert.Equal("operational", (string?)email["status"]);
            Assert.True((bool)email["metrics"]!["configured"]!);
            Assert.Equal(1, (int)email["metrics"]!["sent_recent"]!);
            Assert.DoesNotContain("owner@shop.example", status.ToJsonString(), StringComparison.Ordinal);
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }
}
