using System.Net;
using System.Text.Json.Nodes;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Usage;

/// <summary>Every workspace on a small plan: five conversations and five messages a month.</summary>
public sealed class SmallPlanApp : ParleyApp
{
    public const int Conversations = 5;
    public const int Messages = 5;

    public SmallPlanApp()
    {
        With("Parley:Plans:DefaultPlan", "small");
        With("Parley:Plans:Definitions:small:ConversationsStarted", Conversations.ToString(System.Globalization.CultureInfo.InvariantCulture));
        With("Parley:Plans:Definitions:small:Messages", Messages.ToString(System.Globalization.CultureInfo.InvariantCulture));
        With("Parley:Plans:Definitions:small:AiTokens", "100000");
    }
}

public sealed class QuotaTests(SmallPlanApp app) : IClassFixture<SmallPlanApp>
{
    private const string Site = "https://shop.example";

    private async Task<HttpClient> WorkspaceAsync() => app.Client((await app.CreateWorkspaceAsync("Quota " + Guid.NewGuid().ToString("N")[..6])).Key);

    private static void AssertQuotaProblem(HttpResponseMessage response, JsonNode problem, string what)
    {
        var detail = (string)problem["detail"]!;
        Assert.Contains(what, detail, StringComparison.Ordinal);
        var next = new DateTimeOffset(DateTimeOffset.UtcNow.Year, DateTimeOffset.UtcNow.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
        Assert.Contains($"resets at {next:yyyy-MM-dd}T00:00:00Z", detail, StringComparison.Ordinal);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), next - DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task SendMessage_AtTheMessageLimit_429QuotaExceededAndNothingWritten()
    {
        var client = await WorkspaceAsync();
        var bot = await client.CreateBotAsync();
        var conversation = (await client.StartConversationAsync(bot)).Id("conversation.id");
        for (var i = 0; i < SmallPlanApp.Messages; i++)
        {
            await client.SendAsync(conversation, $"Question {i}");
        }
        await app.UsageAlertEventsRecordedAsync();
        var before = await app.RowCountsAsync();

        var response = await client.PostJsonAsync($"/v1/conversations/{conversation}/messages", new { text = "One more?" }, "over-the-limit");
        var problem = await response.ProblemAsync(HttpStatusCode.TooManyRequests, "quota_exceeded");

        AssertQuotaProblem(response, problem, "5 messages");
        Assert.Equal(before, await app.RowCountsAsync());
        var metrics = await UsageTests.MetricsAsync(client);
        Assert.Equal(5, (long)metrics["messages"]["value"]!);
        Assert.Equal(5, (long)metrics["messages"]["limit"]!);
        Assert.Equal(100.0, (double)metrics["messages"]["percent_used"]!);
        Assert.True((bool)metrics["messages"]["enforced"]!);
        Assert.False((bool)metrics["webhook_deliveries"]["enforced"]!);
        Assert.Equal(20.0, (double)metrics["conversations_started"]["percent_used"]!);
    }

    [Fact]
    public async Task StartConversation_AtTheConversationLimit_429AndNothingWritten_ForTheApiAndTheWidget()
    {
        var client = await WorkspaceAsync();
        var bot = await client.CreateBotAsync();
        var key = await (await client.PostJsonAsync("/v1/api-keys", new { name = "site", kind = "publishable", bot_id = bot, allowed_origins = new[] { Site } }))
            .JsonAsync(HttpStatusCode.Created);
        var widget = app.Client((string)key["publishable_key"]!);
        widget.DefaultRequestHeaders.Add("Origin", Site);
        // A visitor who already has a conversation keeps it whatever the quota.
        var session = await (await widget.PostJsonAsync("/v1/widget/sessions", new { })).JsonAsync(HttpStatusCode.OK);
        for (var i = 1; i < SmallPlanApp.Conversations; i++)
        {
            await client.StartConversationAsync(bot);
        }
        await app.UsageAlertEventsRecordedAsync();
        var before = await app.RowCountsAsync();

        var api = await client.PostJsonAsync("/v1/conversations", new { bot_id = bot, contact = new { external_id = "new-visitor" } });
        var apiProblem = await api.ProblemAsync(HttpStatusCode.TooManyRequests, "quota_exceeded");
        AssertQuotaProblem(api, apiProblem, "5 conversations");
        var opened = await widget.PostJsonAsync("/v1/widget/sessions", new { });
        await opened.ProblemAsync(HttpStatusCode.TooManyRequests, "quota_exceeded");
        var resumed = await (await widget.PostJsonAsync("/v1/widget/sessions", new { session_token = (string)session["session_token"]! }))
            .JsonAsync(HttpStatusCode.OK);

        Assert.True((bool)resumed["resumed"]!);
        Assert.Equal(before, await app.RowCountsAsync());
        Assert.Equal(5, await UsageTests.ValueAsync(client, "conversations_started"));
    }

    [Fact]
    public async Task SendMessage_TwentyInParallelNearTheLimit_ExactlyTheLimitAnswered()
    {
        var client = await WorkspaceAsync();
        var bot = await client.CreateBotAsync();
        var conversations = new List<string>();
        for (var i = 0; i < SmallPlanApp.Conversations; i++)
        {
            conversations.Add((await client.StartConversationAsync(bot)).Id("conversation.id"));
        }

        var turns = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            client.PostJsonAsync($"/v1/conversations/{conversations[i % conversations.Count]}/messages", new { text = $"Question {i}" })));

        Assert.Equal(SmallPlanApp.Messages, turns.Count(t => t.StatusCode == HttpStatusCode.OK));
        foreach (var refused in turns.Where(t => t.StatusCode != HttpStatusCode.OK))
        {
            await refused.ProblemAsync(HttpStatusCode.TooManyRequests, "quota_exceeded");
        }
        Assert.Equal(SmallPlanApp.Messages, await UsageTests.ValueAsync(client, "messages"));
        var stored = 0;
        foreach (var conversation in conversations)
        {
            var transcript = await (await client.GetAsync($"/v1/conversations/{conversation}/messages")).JsonAsync(HttpStatusCode.OK);
            stored += transcript["data"]!.AsArray().Count(m => (string?)m!["role"] == "user");
        }
        Assert.Equal(SmallPlanApp.Messages, stored);
    }

    [Fact]
    public async Task GetUsage_ShowsThePlanAndItsLimits()
    {
        var client = await WorkspaceAsync();
        var usage = await (await client.GetAsync("/v1/usage")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("small", (string?)usage["plan"]);
        var metrics = usage["metrics"]!.AsArray().ToDictionary(m => (string)m!["metric"]!, m => m!);
        Assert.Equal(5, (long)metrics["conversations_started"]["limit"]!);
        Assert.Equal(100000, (long)metrics["ai_tokens"]["limit"]!);
        Assert.Equal(0.0, (double)metrics["ai_tokens"]["percent_used"]!);
        Assert.Null(metrics["emails_sent"]["limit"]);
    }
}
