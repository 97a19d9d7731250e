using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Analytics;

/// <summary>Latency per stage over time and the grouped unanswered questions, from real turns.</summary>
public sealed class LatencyAndKnowledgeGapsTests(AnalyticsApp app) : IClassFixture<AnalyticsApp>
{
    private static readonly string[] Stages = ["capture", "authenticate", "route", "generate", "side_effects", "return", "total"];

    private const string OpeningHours = "We are open Monday to Friday from 9:00 to 17:00.";

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Each question in a conversation of its own, so no run of unanswered turns hands the visitor over.</summary>
    private static async Task AskAsync(HttpClient client, string botId, params string[] questions)
    {
        foreach (var question in questions)
        {
            var conversation = (await client.StartConversationAsync(botId))["conversation"]!.Id();
            await client.SendAsync(conversation, question);
        }
    }

    [Fact]
    public async Task Latency_RealTurns_EveryStagePerDayMatchingTheSummaryAndTheSlowestStageNamed()
    {
        var (_, key) = await app.CreateWorkspaceAsync();
        var owner = app.Client(key);
        var bot = await owner.CreateBotAsync(greeting: null);
        await AskAsync(owner, bot, "Hello there", "What do you sell?", "Where are you?");
        var from = Today.AddDays(-2);
        var path = $"/v1/analytics/latency?bot_id={bot}&from={Iso(from)}&to={Iso(Today)}";

        // The last two stages' timings are written just after each turn: read once all three replies have them.
        var latency = await (await owner.GetAsync(path)).JsonAsync(HttpStatusCode.OK);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((long)latency["overall"]!["return"]!["count"]! < 3)
        {
            Assert.True(DateTime.UtcNow < deadline, "The replies' timings were not all stored: " + latency.ToJsonString());
            await Task.Delay(20);
            latency = await (await owner.GetAsync(path)).JsonAsync(HttpStatusCode.OK);
        }

        Assert.Equal("day", (string?)latency["interval"]);
        Assert.Equal(bot, (string?)latency["bot_id"]);
        Assert.Equal(Stages, latency["stages"]!.AsArray().Select(s => (string)s!));
        var points = latency["data"]!.AsArray();
        Assert.Equal([Iso(from), Iso(from.AddDays(1)), Iso(Today)], points.Select(p => (string)p!["date"]!));
        foreach (var empty in points.Take(2))
        {
            Assert.Equal(Stages, empty!["stages"]!.AsObject().Select(s => s.Key));
            Assert.All(empty["stages"]!.AsObject(), s => Assert.Equal(0, (long)s.Value!["count"]!));
            Assert.All(empty["stages"]!.AsObject(), s => Assert.Null(s.Value!["p95"]));
        }
        var today = points[2]!["stages"]!;
        foreach (var stage in Stages)
        {
            Assert.Equal(3, (long)today[stage]!["count"]!);
            Assert.True((double)today[stage]!["p95"]! >= (double)today[stage]!["p50"]!);
        }

        // The same histograms as the summary: the range's figures agree stage by stage.
        var summary = await (await owner.GetAsync($"/v1/analytics/summary?bot_id={bot}&from={Iso(from)}&to={Iso(Today)}")).JsonAsync(HttpStatusCode.OK);
        var overall = latency["overall"]!;
        foreach (var (stage, distribution) in summary["latency_ms"]!.AsObject())
        {
            Assert.Equal((long)distribution!["count"]!, (long)overall[stage]!["count"]!);
            Assert.Equal((double?)distribution["p50"], (double?)overall[stage]!["p50"]);
            Assert.Equal((double?)distribution["p95"], (double?)overall[stage]!["p95"]);
        }

        var slowest = latency["slowest_stage"]!;
        var highest = Stages[..^1].Where(s => overall[s]!["p95"] is not null).MaxBy(s => (double)overall[s]!["p95"]!);
        Assert.Equal(highest, (string?)slowest["stage"]);
        Assert.Equal((double)overall[highest!]!["p95"]!, (double)slowest["p95"]!);
        Assert.Equal((double)overall[highest!]!["p50"]!, (double)slowest["p50"]!);
    }

    [Fact]
    public async Task Latency_Weeks_DatedMondaysAndWithoutRepliesNoSlowestStage()
    {
        var (_, key) = await app.CreateWorkspaceAsync();
        var owner = app.Client(key);

        var latency = await (await owner.GetAsync("/v1/analytics/latency?interval=week&from=2026-03-04&to=2026-03-17")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(["2026-03-02", "2026-03-09", "2026-03-16"], latency["data"]!.AsArray().Select(p => (string)p!["date"]!));
        Assert.Null(latency["slowest_stage"]);
        Assert.All(latency["overall"]!.AsObject(), s => Assert.Equal(0, (long)s.Value!["count"]!));
    }

    [Fact]
    public async Task KnowledgeGaps_SimilarQuestionsGrouped_AnsweredByANewKnowledgeTextLeaveTheList()
    {
        var (_, key) = await app.CreateWorkspaceAsync();
        var owner = app.Client(key);
        var bot = await owner.CreateBotAsync(greeting: null);
        var other = await owner.CreateBotAsync("Other", greeting: null);
        // A bot with knowledge says when it finds nothing in it (one without any answers with its fallback text alone).
        foreach (var id in new[] { bot, other })
        {
            await (await owner.PostJsonAsync($"/v1/bots/{id}/knowledge", new { type = "text", title = "Hours", content = OpeningHours })).JsonAsync(HttpStatusCode.Created);
        }
        await AskAsync(owner, bot, "Do you sell gift cards?", "Is there parking nearby?", "do you sell GIFT cards", "Can I buy a gift card?", "Do you sell gift cards?");
        await AskAsync(owner, other, "Do you sell gift cards?");

        var gaps = await (await owner.GetAsync($"/v1/analytics/knowledge-gaps?bot_id={bot}")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(5, (int)gaps["unanswered_questions"]!);
        Assert.Equal(2, (int)gaps["groups"]!);
        var gifts = gaps["data"]![0]!;
        Assert.Equal("Do you sell gift cards?", (string?)gifts["question"]);
        Assert.Equal(4, (int)gifts["count"]!);
        Assert.Equal(bot, (string?)gifts["bot_id"]);
        Assert.Equal(["Do you sell gift cards?", "Can I buy a gift card?"], gifts["wordings"]!.AsArray().Select(w => (string)w!));
        Assert.Equal(4, gifts["conversation_ids"]!.AsArray().Count);
        Assert.True(DateTimeOffset.Parse((string)gifts["first_asked_at"]!, CultureInfo.InvariantCulture) < DateTimeOffset.Parse((string)gifts["last_asked_at"]!, CultureInfo.InvariantCulture));
        Assert.Null(gifts["answered_by_source_id"]);
        Assert.Equal(("Is there parking nearby?", 1), ((string?)gaps["data"]![1]!["question"], (int)gaps["data"]![1]!["count"]!));

        // The workspace as a whole: the other bot's question is a group of its own, never merged across bots.
        var all = await (await owner.GetAsync("/v1/analytics/knowledge-gaps?limit=2")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(6, (int)all["unanswered_questions"]!);
        Assert.Equal(3, (int)all["groups"]!);
        Assert.Equal(2, all["data"]!.AsArray().Count);

        // "Add an answer": a knowledge text titled with the question. The group leaves the list, and is listed as
        // answered on request.
        var source = await (await owner.PostJsonAsync($"/v1/bots/{bot}/knowledge",
            new { type = "text", title = "Do you sell gift cards?", content = "Yes: gift cards from 10 to 200 euros, at the counter and online." })).JsonAsync(HttpStatusCode.Created);
        var open = await (await owner.GetAsync($"/v1/analytics/knowledge-gaps?bot_id={bot}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["Is there parking nearby?"], open["data"]!.AsArray().Select(g => (string)g!["question"]!));
        Assert.Equal(1, (int)open["groups"]!);
        var answered = await (await owner.GetAsync($"/v1/analytics/knowledge-gaps?bot_id={bot}&include_answered=true")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(source.Id(), (string?)answered["data"]![0]!["answered_by_source_id"]);
        var answeredAt = DateTimeOffset.Parse((string)answered["data"]![0]!["answered_at"]!, CultureInfo.InvariantCulture);
        Assert.Equal(DateTimeOffset.Parse((string)source["created_at"]!, CultureInfo.InvariantCulture), answeredAt, TimeSpan.FromMilliseconds(1));
        Assert.Null(answered["data"]![1]!["answered_by_source_id"]);
        // The other bot's gap is not answered by this bot's knowledge.
        var others = await (await owner.GetAsync($"/v1/analytics/knowledge-gaps?bot_id={other}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, (int)others["groups"]!);

        // A range without the questions has none.
        var before = await (await owner.GetAsync($"/v1/analytics/knowledge-gaps?bot_id={bot}&from=2026-01-01&to=2026-01-31")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, (int)before["unanswered_questions"]!);
        Assert.Empty(before["data"]!.AsArray());
    }

    [Theory]
    [InlineData("/v1/analytics/latency?interval=hour", "interval")]
    [InlineData("/v1/analytics/latency?from=2026-03-10&to=2026-03-01", "from")]
    [InlineData("/v1/analytics/latency?to=tomorrow", "to")]
    [InlineData("/v1/analytics/knowledge-gaps?limit=0", "limit")]
    [InlineData("/v1/analytics/knowledge-gaps?limit=101", "limit")]
    [InlineData("/v1/analytics/knowledge-gaps?limit=ten", "limit")]
    [InlineData("/v1/analytics/knowledge-gaps?include_answered=maybe", "include_answered")]
    [InlineData("/v1/analytics/knowledge-gaps?from=2025-01-01&to=2026-03-01", "to")]
    public async Task BadInput_400WithTheFieldAndNothingWritten(string path, string field)
    {
        var before = await app.RowCountsAsync();

        var problem = await (await app.Client().GetAsync(path)).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.NotNull(problem["errors"]![field]);
        Assert.Equal(before, await app.RowCountsAsync());
    }

    [Fact]
    public async Task OtherWorkspacesBot_NotFound_AndScopeNeeded()
    {
        var (_, key) = await app.CreateWorkspaceAsync();
        var foreignBot = await app.Client(key).CreateBotAsync();
        var narrow = await (await app.Client().PostJsonAsync("/v1/api-keys", new { name = "leads only", scopes = new[] { "leads:read" } })).JsonAsync(HttpStatusCode.Created);

        await (await app.Client().GetAsync($"/v1/analytics/latency?bot_id={foreignBot}")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await app.Client().GetAsync($"/v1/analytics/knowledge-gaps?bot_id={foreignBot}")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await app.Client((string)narrow["secret"]!).GetAsync("/v1/analytics/latency")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await app.Client((string)narrow["secret"]!).GetAsync("/v1/analytics/knowledge-gaps")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }
}
