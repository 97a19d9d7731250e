using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Usage;

public sealed class UsageTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    /// <summary>A client of a fresh workspace, so its counters start at zero whatever other tests did.</summary>
    private async Task<(HttpClient Client, string WorkspaceId)> WorkspaceAsync()
    {
        var (workspaceId, key) = await app.CreateWorkspaceAsync("Usage " + Guid.NewGuid().ToString("N")[..6]);
        return (app.Client(key), workspaceId);
    }

    internal static async Task<Dictionary<string, JsonNode>> MetricsAsync(HttpClient client, string? period = null)
    {
        var usage = await (await client.GetAsync("/v1/usage" + (period is null ? "" : "?period=" + period))).JsonAsync(HttpStatusCode.OK);
        return usage["metrics"]!.AsArray().ToDictionary(m => (string)m!["metric"]!, m => m!);
    }

    internal static async Task<long> ValueAsync(HttpClient client, string metric) => (long)(await MetricsAsync(client))[metric]["value"]!;

    [Fact]
    public async Task GetUsage_AfterTurns_ExactCountersForTheCurrentMonth()
    {
        var (client, _) = await WorkspaceAsync();
        var bot = await client.CreateBotAsync();
        var first = (await client.StartConversationAsync(bot)).Id("conversation.id");
        var second = (await client.StartConversationAsync(bot)).Id("conversation.id");
        await client.SendAsync(first, "Do you deliver?");
        await client.SendAsync(first, "On Sundays?");
        await client.SendAsync(second, "Hello");

        var usage = await (await client.GetAsync("/v1/usage")).JsonAsync(HttpStatusCode.OK);

        var now = DateTimeOffset.UtcNow;
        Assert.Equal($"{now:yyyy-MM}", (string?)usage["period"]);
        Assert.Equal(new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero), (DateTimeOffset)usage["period_start"]!);
        Assert.Equal(new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1), (DateTimeOffset)usage["period_end"]!);
        Assert.Equal("unlimited", (string?)usage["plan"]);
        var metrics = usage["metrics"]!.AsArray().ToDictionary(m => (string)m!["metric"]!, m => m!);
        Assert.Equal(
            ["conversations_started", "messages", "bot_replies_model", "bot_replies_answerer", "ai_tokens", "webhook_deliveries", "emails_sent", "knowledge_storage_bytes"],
            metrics.Keys);
        Assert.Equal(2, (long)metrics["conversations_started"]["value"]!);
        Assert.Equal(3, (long)metrics["messages"]["value"]!);
        Assert.Equal(3, (long)metrics["bot_replies_answerer"]["value"]!);
        Assert.Equal(0, (long)metrics["bot_replies_model"]["value"]!);
        Assert.Equal(0, (long)metrics["ai_tokens"]["value"]!);
        Assert.Null(metrics["messages"]["limit"]);
        Assert.Null(metrics["messages"]["percent_used"]);
        Assert.Equal("counter", (string?)metrics["messages"]["kind"]);
        Assert.Equal("gauge", (string?)metrics["knowledge_storage_bytes"]["kind"]);
    }

    [Fact]
    public async Task GetUsage_KnowledgeStorage_IsTheBytesOfTheSourcesNow()
    {
        var (client, _) = await WorkspaceAsync();
        var bot = await client.CreateBotAsync();
        const string text = "Opening hours: Monday to Friday, 9 to 5. Caf\u00e9 closed on Sundays.";
        var source = await (await client.PostJsonAsync($"/v1/bots/{bot}/knowledge", new { type = "text", title = "Hours", content = text }))
            .JsonAsync(HttpStatusCode.Created);
        var stored = await app.DbAsync(db => db.KnowledgeSources.IgnoreQueryFilters().Where(s => s.Id == source.Id("id")).Select(s => s.ContentLength).SingleAsync());

        Assert.True(stored > 0);
        Assert.Equal(stored, await ValueAsync(client, "knowledge_storage_bytes"));

        (await client.DeleteAsync($"/v1/bots/{bot}/knowledge/{source.Id()}")).EnsureSuccessStatusCode();
        Assert.Equal(0, await ValueAsync(client, "knowledge_storage_bytes"));
    }

    [Fact]
    public async Task Turns_RepeatedWithTheSameIdempotencyKey_CountedOnce()
    {
        var (client, _) = await WorkspaceAsync();
        var bot = await client.CreateBotAsync();
        var start = await client.PostJsonAsync("/v1/conversations", new { bot_id = bot }, idempotencyKey: "start-1");
        var conversation = (await start.JsonAsync(HttpStatusCode.Created)).Id("conversation.id");
        var replay = await client.PostJsonAsync("/v1/conversations", new { bot_id = bot }, idempotencyKey: "start-1");
        Assert.Equal(conversation, (await replay.JsonAsync(HttpStatusCode.Created)).Id("conversation.id"));

        var first = await (await client.PostJsonAsync($"/v1/conversations/{conversation}/messages", new { text = "Hi" }, "turn-1")).JsonAsync(HttpStatusCode.OK);
        // Sequential and concurrent repeats both answer with the first response and write nothing.
        var repeats = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            client.PostJsonAsync($"/v1/conversations/{conversation}/messages", new { text = "Hi" }, "turn-1")));
        foreach (var repeat in repeats)
        {
            Assert.Equal(first.Id("user_message.id"), (await repeat.JsonAsync(HttpStatusCode.OK)).Id("user_message.id"));
        }

        var metrics = await MetricsAsync(client);
        Assert.Equal(1, (long)metrics["conversations_started"]["value"]!);
        Assert.Equal(1, (long)metrics["messages"]["value"]!);
        Assert.Equal(1, (long)metrics["bot_replies_answerer"]["value"]!);
    }

    [Fact]
    public async Task Turns_FiftyInParallel_ExactTotals()
    {
        var (client, _) = await WorkspaceAsync();
        var bot = await client.CreateBotAsync();
        var starts = await Task.WhenAll(Enumerable.Range(0, 25).Select(_ => client.PostJsonAsync("/v1/conversations", new { bot_id = bot })));
        var conversations = new List<string>();
        foreach (var start in starts)
        {
            conversations.Add((await start.JsonAsync(HttpStatusCode.Created)).Id("conversation.id"));
        }

        // Two turns on each conversation at once: counters and conversations are both contended.
        var turns = await Task.WhenAll(conversations.Concat(conversations).Select((c, i) =>
            client.PostJsonAsync($"/v1/conversations/{c}/messages", new { text = $"Question {i}" })));
        Assert.All(turns, t => Assert.Equal(HttpStatusCode.OK, t.StatusCode));

        var metrics = await MetricsAsync(client);
        Assert.Equal(25, (long)metrics["conversations_started"]["value"]!);
        Assert.Equal(50, (long)metrics["messages"]["value"]!);
        Assert.Equal(50, (long)metrics["bot_replies_answerer"]["value"]!);
    }

    [Fact]
    public async Task Counters_BelongToTheirWorkspace()
    {
        var (client, _) = await WorkspaceAsync();
        var (other, _) = await WorkspaceAsync();
        var bot = await client.CreateBotAsync();
        await client.SendAsync((await client.StartConversationAsync(bot)).Id("conversation.id"), "Hi");

        Assert.Equal(1, await ValueAsync(client, "messages"));
        Assert.Equal(0, await ValueAsync(other, "messages"));
        Assert.Equal(0, await ValueAsync(other, "conversations_started"));
    }

    [Fact]
    public async Task GetUsage_EarlierMonth_ZeroesAndItsOwnBounds()
    {
        var (client, _) = await WorkspaceAsync();
        var usage = await (await client.GetAsync("/v1/usage?period=2024-02")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("2024-02", (string?)usage["period"]);
        Assert.Equal(new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero), (DateTimeOffset)usage["period_start"]!);
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero), (DateTimeOffset)usage["period_end"]!);
        Assert.All(usage["metrics"]!.AsArray(), m => Assert.Equal(0, (long)m!["value"]!));
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("2026-1")]
    [InlineData("november")]
    [InlineData("2026-11-01")]
    [InlineData("1999-12")]
    [InlineData("2999-01")]
    [InlineData("")]
    public async Task GetUsage_BadPeriod_400NamingIt(string period)
    {
        var (client, _) = await WorkspaceAsync();
        var problem = await (await client.GetAsync("/v1/usage?period=" + Uri.EscapeDataString(period))).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.NotNull(problem["errors"]!["period"]);
    }

    [Fact]
    public async Task GetUsage_NextMonth_400()
    {
        var (client, _) = await WorkspaceAsync();
        var next = DateTimeOffset.UtcNow.AddMonths(1);
        await (await client.GetAsync($"/v1/usage?period={next:yyyy-MM}")).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task StreamingExport_UsageCounters_OneLinePerMonthAndMetric()
    {
        var (client, _) = await WorkspaceAsync();
        var bot = await client.CreateBotAsync();
        await client.SendAsync((await client.StartConversationAsync(bot)).Id("conversation.id"), "Hi");

        var lines = (await (await client.GetAsync("/v1/export/usage_counters.ndjson")).Content.ReadAsStringAsync())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var month = $"{DateTimeOffset.UtcNow:yyyy-MM}";
        Assert.Equal(
            [
                $"{{\"period\":\"{month}\",\"metric\":\"bot_replies_answerer\",\"value\":1}}",
                $"{{\"period\":\"{month}\",\"metric\":\"conversations_started\",\"value\":1}}",
                $"{{\"period\":\"{month}\",\"metric\":\"messages\",\"value\":1}}",
            ],
            lines);
        var narrowed = await (await client.GetAsync($"/v1/export/usage_counters.ndjson?bot_id={bot}")).Content.ReadAsStringAsync();
        Assert.Equal("", narrowed.Trim());
    }

    [Fact]
    public async Task Server_DefaultPlanNotDefined_RefusesToStart()
    {
        await using var misconfigured = new ParleyApp().With("Parley:Plans:DefaultPlan", "gold");
        var failure = Assert.ThrowsAny<Exception>(() => misconfigured.Server);
        Assert.Contains("'gold'", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetUsage_NeedsTheUsageReadScope()
    {
        var owner = app.Client();
        var narrow = await (await owner.PostJsonAsync("/v1/api-keys", new { name = "bots only", scopes = new[] { "bots:read" } })).JsonAsync(HttpStatusCode.Created);
        var reader = await (await owner.PostJsonAsync("/v1/api-keys", new { name = "usage", scopes = new[] { "usage:read" } })).JsonAsync(HttpStatusCode.Created);

        await (await app.Client((string)narrow["secret"]!).GetAsync("/v1/usage")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await app.Client((string)reader["secret"]!).GetAsync("/v1/usage")).JsonAsync(HttpStatusCode.OK);
        await (await app.Client(null).GetAsync("/v1/usage")).ProblemAsync(HttpStatusCode.Unauthorized, "missing_api_key");
    }
}
