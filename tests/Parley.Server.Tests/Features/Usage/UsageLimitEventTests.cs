using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Parley.Engine.Usage;
using Parley.Server.Features.Usage;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Usage;

/// <summary>
/// A plan of ten messages a month, webhooks to loopback receivers, emails to a real SMTP server, and a clock the test
/// moves from one month to the next.
/// </summary>
public sealed class UsageLimitApp : ParleyApp
{
    public const int Messages = 10;

    /// <summary>Friday 20 March 2026, 10:00 UTC.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 20, 10, 0, 0, TimeSpan.Zero);

    public UsageLimitApp(int smtpPort)
    {
        With("Parley:Plans:DefaultPlan", "small");
        With("Parley:Plans:Definitions:small:Messages", Messages.ToString(CultureInfo.InvariantCulture));
        With("Parley:Plans:Definitions:small:ConversationsStarted", "100");
        With("Parley:Network:AllowPrivateTargets", "true");
        // The test's clock stands still, so a delivery that timed out would never be retried: a loaded machine must
        // never make a loopback answer late.
        With("Parley:Webhooks:Timeout", "00:00:10");
        With("Parley:Webhooks:PollInterval", "00:00:00.100");
        With("Parley:ApiKeys:LastUsedFlushInterval", "01:00:00");
        With("Parley:Smtp:Host", "127.0.0.1");
        With("Parley:Smtp:Port", smtpPort.ToString(CultureInfo.InvariantCulture));
        With("Parley:Smtp:Security", "none");
        With("Parley:Smtp:From", "Parley <parley@shop.example>");
    }

    public FakeTimeProvider Time { get; } = new(Start);

    /// <summary>Runs one pass of the worker that records alert events, as its wake-up would.</summary>
    public Task<int> RecordAlertsAsync() =>
        Services.GetServices<IHostedService>().OfType<UsageLimitAlertWorker>().Single().RunOnceAsync(CancellationToken.None);

    /// <summary>Changes the plan's monthly message limit while the server runs, as an operator's configuration reload does.</summary>
    public void SetMessageLimit(int limit)
    {
        var configuration = (IConfigurationRoot)Services.GetRequiredService<IConfiguration>();
        configuration["Parley:Plans:Definitions:small:Messages"] = limit.ToString(CultureInfo.InvariantCulture);
        configuration.Reload();
        Assert.Equal(limit, Services.GetRequiredService<IOptionsMonitor<PlanOptions>>().CurrentValue.PlanOf("any").Limits.For(UsageMetrics.Messages));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
    }
}

public static class UsageAlerts
{
    /// <summary>
    /// Waits, with a deadline, until the server's own worker has recorded the event of every limit reached so far (no
    /// alert is left without its event): a test that compares row counts takes them after this, since those events are
    /// written just after the turn's commit.
    /// </summary>
    public static async Task UsageAlertEventsRecordedAsync(this ParleyApp app)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await app.DbAsync(db => db.UsageLimitAlerts.IgnoreQueryFilters().AnyAsync(a => a.EventId == null)))
        {
            Assert.True(DateTime.UtcNow < deadline, "The server's worker left usage alerts without their event for 20 seconds.");
            await Task.Delay(50);
        }
    }
}

public sealed class UsageLimitEventTests : IAsyncLifetime
{
    private const string Approaching = "usage.limit_approaching";
    private const string Reached = "usage.limit_reached";

    private SmtpTestServer _smtp = null!;
    private WebhookReceiver _receiver = null!;
    private UsageLimitApp _app = null!;

    public async Task InitializeAsync()
    {
        _smtp = await SmtpTestServer.StartAsync();
        _receiver = await WebhookReceiver.StartAsync();
        _app = new UsageLimitApp(_smtp.Port);
        await _app.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)_app).DisposeAsync();
        await _receiver.DisposeAsync();
        _smtp.Dispose();
    }

    private async Task<(HttpClient Client, string EndpointId, string Bot)> WorkspaceAsync()
    {
        var client = _app.Client();
        await (await client.PatchJsonAsync("/v1/workspace", new { notification_emails = new[] { "owner@shop.example" } })).JsonAsync(HttpStatusCode.OK);
        var endpoint = await (await client.PostJsonAsync("/v1/webhook-endpoints", new { url = _receiver.Url, events = new[] { Approaching, Reached } }))
            .JsonAsync(HttpStatusCode.Created);
        return (client, endpoint.Id(), await client.CreateBotAsync());
    }

    private static async Task SendAsync(HttpClient client, string conversation, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await client.SendAsync(conversation, $"Question {i}");
        }
    }

    private static async Task<List<JsonNode>> UsageEventsAsync(HttpClient client)
    {
        var approaching = (await (await client.GetAsync($"/v1/events?type={Approaching}")).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray();
        var reached = (await (await client.GetAsync($"/v1/events?type={Reached}")).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray();
        return [.. approaching.Concat(reached).Select(e => e!)];
    }

    private List<JsonNode> Delivered() => [.. _receiver.Requests.Select(r => JsonNode.Parse(r.Body)!)];

    [Fact]
    public async Task Messages_CrossingEightyThenOneHundredPercent_OneEventEachToWebhooksAndEmail_AgainNextMonth()
    {
        var (client, endpointId, bot) = await WorkspaceAsync();
        var conversation = (await client.StartConversationAsync(bot)).Id("conversation.id");

        await SendAsync(client, conversation, 7);
        Assert.Equal(0, await _app.RecordAlertsAsync());
        Assert.Empty(await UsageEventsAsync(client));

        await SendAsync(client, conversation, 1);
        var approaching = Assert.Single(await _receiver.WaitForAsync(1));
        var body = JsonNode.Parse(approaching.Body)!;
        Assert.Equal(Approaching, (string?)body["type"]);
        Assert.Equal("messages", (string?)body["data"]!["metric"]);
        Assert.Equal("2026-03", (string?)body["data"]!["period"]);
        Assert.Equal(80, (int)body["data"]!["threshold_percent"]!);
        Assert.Equal(8, (long)body["data"]!["value"]!);
        Assert.Equal(UsageLimitApp.Messages, (long)body["data"]!["limit"]!);
        Assert.Equal(80.0, (double)body["data"]!["percent_used"]!);
        Assert.True((bool)body["data"]!["enforced"]!);
        Assert.Equal("small", (string?)body["data"]!["plan"]);
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), (DateTimeOffset)body["data"]!["resets_at"]!);
        var email = await _smtp.WaitForMessageAsync();
        Assert.Contains("To: owner@shop.example", email, StringComparison.Ordinal);
        Assert.Contains("Subject: Plan limit at 80%: messages", email, StringComparison.Ordinal);
        Assert.Contains("Used: 8 of 10 (plan small)", email, StringComparison.Ordinal);

        await SendAsync(client, conversation, 1);
        Assert.Equal(0, await _app.RecordAlertsAsync());
        Assert.Single(await UsageEventsAsync(client));

        await SendAsync(client, conversation, 1);
        await _receiver.WaitForAsync(2);
        var reached = Delivered().Single(e => (string?)e["type"] == Reached);
        Assert.Equal(Reached, (string?)reached["type"]);
        Assert.Equal(100, (int)reached["data"]!["threshold_percent"]!);
        Assert.Equal(10, (long)reached["data"]!["value"]!);
        var emails = await _smtp.WaitForMessagesAsync(2);
        Assert.Contains(emails, e => e.Contains("Subject: Plan limit reached: messages", StringComparison.Ordinal)
            && e.Contains("429 quota_exceeded", StringComparison.Ordinal));

        // Past the limit: the turn is refused, other usage goes on, and nothing more is announced this month.
        await (await client.PostJsonAsync($"/v1/conversations/{conversation}/messages", new { text = "One more?" }))
            .ProblemAsync(HttpStatusCode.TooManyRequests, "quota_exceeded");
        await client.StartConversationAsync(bot);
        Assert.Equal(0, await _app.RecordAlertsAsync());
        Assert.Equal(2, (await UsageEventsAsync(client)).Count);
        var deliveries = (await (await client.GetAsync($"/v1/webhook-endpoints/{endpointId}/deliveries")).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray();
        Assert.Equal(2, deliveries.Count);

        // A new month starts afresh.
        _app.Time.SetUtcNow(new DateTimeOffset(2026, 4, 1, 0, 0, 5, TimeSpan.Zero));
        var april = (await client.StartConversationAsync(bot)).Id("conversation.id");
        await SendAsync(client, april, 8);
        await _receiver.WaitForAsync(3);
        var next = Delivered().Single(e => (string?)e["data"]!["period"] == "2026-04");
        Assert.Equal(Approaching, (string?)next["type"]);
        Assert.Equal(8, (long)next["data"]!["value"]!);
        Assert.Equal(3, (await _smtp.WaitForMessagesAsync(3)).Count);
        Assert.Equal(3, (await UsageEventsAsync(client)).Count);
    }

    [Fact]
    public async Task Messages_TwentyTurnsInParallelAcrossBothThresholds_ExactlyOneEventEach()
    {
        var (client, _, bot) = await WorkspaceAsync();
        var conversations = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            conversations.Add((await client.StartConversationAsync(bot)).Id("conversation.id"));
        }

        var turns = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            client.PostJsonAsync($"/v1/conversations/{conversations[i % conversations.Count]}/messages", new { text = $"Question {i}" })));

        Assert.Equal(UsageLimitApp.Messages, turns.Count(t => t.StatusCode == HttpStatusCode.OK));
        await _receiver.WaitForAsync(2);
        await _app.RecordAlertsAsync();
        var events = await UsageEventsAsync(client);
        Assert.Equal([Approaching, Reached], events.Select(e => (string)e["type"]!).Order(StringComparer.Ordinal));
        Assert.Equal(2, Delivered().Count);
        Assert.Equal(2, (await _smtp.WaitForMessagesAsync(2)).Count);
    }

    [Fact]
    public async Task Messages_LimitLoweredMidMonth_NextCountedUseAlertsOnce()
    {
        var (client, _, bot) = await WorkspaceAsync();
        var conversation = (await client.StartConversationAsync(bot)).Id("conversation.id");
        await SendAsync(client, conversation, 8);
        await _receiver.WaitForAsync(1);

        // Later in March the plan is lowered to nine messages: the ninth is its 100 %, and 80 % was announced already.
        _app.Time.Advance(TimeSpan.FromDays(5));
        _app.SetMessageLimit(9);
        await SendAsync(client, conversation, 1);

        await _receiver.WaitForAsync(2);
        var reached = Delivered().Single(e => (string?)e["type"] == Reached);
        Assert.Equal(9, (long)reached["data"]!["value"]!);
        Assert.Equal(9, (long)reached["data"]!["limit"]!);
        Assert.Equal(0, await _app.RecordAlertsAsync());
        Assert.Equal([Approaching, Reached], (await UsageEventsAsync(client)).Select(e => (string)e["type"]!).Order(StringComparer.Ordinal));
        Assert.Equal(2, Delivered().Count);
    }

    [Fact]
    public async Task Messages_PastAThresholdThisNodeAlerted_AlertNotInsertedAgain()
    {
        var (client, _, bot) = await WorkspaceAsync();
        var conversation = (await client.StartConversationAsync(bot)).Id("conversation.id");
        await SendAsync(client, conversation, 8);
        await _receiver.WaitForAsync(1);

        // The meter knows the 80 % alert is recorded, so the ninth message (90 %) does not insert it again: removing
        // the row shows that no insert was tried, since one would bring it back.
        await _app.DbAsync(db => db.UsageLimitAlerts.IgnoreQueryFilters().ExecuteDeleteAsync());
        await SendAsync(client, conversation, 1);

        Assert.Equal(9, await UsageTests.ValueAsync(client, "messages"));
        Assert.Equal(0, await _app.DbAsync(db => db.UsageLimitAlerts.IgnoreQueryFilters().CountAsync()));
        Assert.Equal(0, await _app.RecordAlertsAsync());
        Assert.Single(await UsageEventsAsync(client));
    }

    [Fact]
    public async Task Messages_LimitLoweredThenTwoTurnsInParallelAcrossBothThresholds_OneEventEach()
    {
        var (client, _, bot) = await WorkspaceAsync();
        var first = (await client.StartConversationAsync(bot)).Id("conversation.id");
        var second = (await client.StartConversationAsync(bot)).Id("conversation.id");
        await SendAsync(client, first, 7);
        Assert.Equal(0, await _app.RecordAlertsAsync());

        // Seven of nine is under 80 %; the two turns make it eight (80 %) and nine (100 %), in either order.
        _app.SetMessageLimit(9);
        var turns = await Task.WhenAll(
            client.PostJsonAsync($"/v1/conversations/{first}/messages", new { text = "One" }),
            client.PostJsonAsync($"/v1/conversations/{second}/messages", new { text = "Two" }));

        Assert.All(turns, t => Assert.Equal(HttpStatusCode.OK, t.StatusCode));
        await _receiver.WaitForAsync(2);
        Assert.Equal(0, await _app.RecordAlertsAsync());
        Assert.Equal([Approaching, Reached], (await UsageEventsAsync(client)).Select(e => (string)e["type"]!).Order(StringComparer.Ordinal));
        Assert.Equal(2, Delivered().Count);
    }

    [Fact]
    public async Task Messages_RetriedTurnThatCrossedTheThreshold_NoSecondEvent()
    {
        var (client, _, bot) = await WorkspaceAsync();
        var conversation = (await client.StartConversationAsync(bot)).Id("conversation.id");
        await SendAsync(client, conversation, 7);

        var first = await client.PostJsonAsync($"/v1/conversations/{conversation}/messages", new { text = "The eighth" }, "crossing-turn");
        await first.JsonAsync(HttpStatusCode.OK);
        await _receiver.WaitForAsync(1);
        var retried = await client.PostJsonAsync($"/v1/conversations/{conversation}/messages", new { text = "The eighth" }, "crossing-turn");
        await retried.JsonAsync(HttpStatusCode.OK);

        Assert.Equal(0, await _app.RecordAlertsAsync());
        Assert.Single(await UsageEventsAsync(client));
        Assert.Equal(8, await UsageTests.ValueAsync(client, "messages"));
    }
}
