using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Ids;
using Parley.Engine.Turns;
using Microsoft.Extensions.Time.Testing;
using Parley.Server.Features.Analytics;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Analytics;

/// <summary>Days pass on a fake clock: figures land on their UTC day, the worker rolls days up, reads agree before and after.</summary>
public sealed class AnalyticsRollupTests(ClockedAnalyticsApp app) : IClassFixture<ClockedAnalyticsApp>
{
    private const string Returns = "# Returns\nUnused items can be returned within 30 days for a full refund.\n\n## Bikes\nBicycles can be returned within 14 days if not ridden.";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static string Rows(IEnumerable<AnalyticsDailyRollup> rows) =>
        JsonSerializer.Serialize(rows.OrderBy(r => r.Day).ThenBy(r => r.BotId, StringComparer.Ordinal)
            .Select(r => new { r.Day, r.BotId, r.ConversationsStarted, r.EngagedConversations, r.VisitorMessages, r.BotMessages, r.AgentMessages,
                r.QuestionsAnswered, r.QuestionsUnanswered, r.HandoffsRequested, r.HandoffsAnswered, r.HandoffWaitSecondsTotal, r.HandoffWaitSeconds,
                r.ConversationsClosed, r.LeadsCaptured, r.BookingsMade, r.GuardrailFlags, r.Tokens, r.StageLatency }), Json);

    /// <summary>
    /// Waits until the timings of the last two stages, written after each turn off the request path, are stored on the
    /// replies (greetings have none): written
    /// on a later day they would mark the reply's day stale, as they should.
    /// </summary>
    private async Task TimingsStoredAsync(string workspaceId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await app.DbAsync(db => db.Messages.AsNoTracking().Where(m => m.Role == MessageRole.Bot).Select(m => m.Timings).ToListAsync(), workspaceId))
            .Any(t => t is not null && !t.ContainsKey("return")))
        {
            Assert.True(DateTime.UtcNow < deadline, "The turn timings were not stored: " + JsonSerializer.Serialize(
                await app.DbAsync(db => db.Messages.AsNoTracking().Select(m => new { m.Role, m.Timings }).ToListAsync(), workspaceId)));
            await Task.Delay(20);
        }
    }

    private static JsonNode WithoutFreshness(JsonNode summary)
    {
        var copy = summary.DeepClone();
        copy.AsObject().Remove("rolled_up_through");
        return copy;
    }

    [Fact]
    public async Task DaysPass_FiguresOnTheirDay_WorkerRollUpEqualsRecomputationAndReadsAgree()
    {
        // This test owns the clock of its app; it is the only test on it.
        var time = app.Time;
        var (workspaceId, key) = await app.CreateWorkspaceAsync();
        var owner = app.Client(key);
        var bot = await owner.CreateBotAsync();
        await (await owner.PostJsonAsync($"/v1/bots/{bot}/knowledge", new { type = "markdown", title = "Returns", content = Returns })).JsonAsync(HttpStatusCode.Created);

        // Monday: one answered question. Tuesday: one unanswered, and a lead. Wednesday: nothing. Thursday: a new conversation.
        var monday = (await owner.StartConversationAsync(bot))["conversation"]!.Id();
        await owner.SendAsync(monday, "How many days do I have to return a bicycle?");
        await TimingsStoredAsync(workspaceId);
        time.Advance(TimeSpan.FromDays(1));
        var tuesday = (await owner.StartConversationAsync(bot))["conversation"]!.Id();
        await owner.SendAsync(tuesday, "Do you sell motorcycles?");
        await (await owner.PostJsonAsync("/v1/leads", new { conversation_id = tuesday, fields = new { email = "bo@example.com" } })).JsonAsync(HttpStatusCode.Created);
        // Monday's conversation goes on on Tuesday: engaged once, on Monday; the answer counts on Tuesday.
        await owner.SendAsync(monday, "Can unused items be returned?");
        await TimingsStoredAsync(workspaceId);
        time.Advance(TimeSpan.FromDays(2));
        var thursday = (await owner.StartConversationAsync(bot))["conversation"]!.Id();
        await owner.SendAsync(thursday, "Bicycles returned within how many days?");
        await TimingsStoredAsync(workspaceId);

        async Task<JsonNode> GetAsync(string path) => await (await owner.GetAsync(path)).JsonAsync(HttpStatusCode.OK);
        const string Range = "from=2026-02-27&to=2026-03-05";
        var summaryLive = await GetAsync($"/v1/analytics/summary?{Range}");
        var daysLive = await GetAsync($"/v1/analytics/timeseries?metric=conversations_started&{Range}");
        var engagedLive = await GetAsync($"/v1/analytics/timeseries?metric=engaged_conversations&interval=week&{Range}");
        var answerRateLive = await GetAsync($"/v1/analytics/timeseries?metric=answer_rate&{Range}");

        Assert.Null((string?)summaryLive["rolled_up_through"]);
        Assert.Equal(3, (long)summaryLive["totals"]!["conversations_started"]!);
        Assert.Equal(3, (long)summaryLive["totals"]!["engaged_conversations"]!);
        Assert.Equal(4, (long)summaryLive["totals"]!["visitor_messages"]!);
        Assert.Equal(3, (long)summaryLive["totals"]!["questions_answered"]!);
        Assert.Equal(1, (long)summaryLive["totals"]!["questions_unanswered"]!);
        Assert.Equal(1, (long)summaryLive["totals"]!["leads_captured"]!);
        // Friday 27 Feb … Thursday 5 Mar, zero-filled; the future Thursday is there with 0.
        Assert.Equal(
            ["2026-02-27:0", "2026-02-28:0", "2026-03-01:0", "2026-03-02:1", "2026-03-03:1", "2026-03-04:0", "2026-03-05:1"],
            daysLive["data"]!.AsArray().Select(p => $"{(string?)p!["date"]}:{(double?)p["value"]}").ToArray());
        // Weeks start on Monday; the first one is cut to the range.
        Assert.Equal(["2026-02-23:0", "2026-03-02:3"],
            engagedLive["data"]!.AsArray().Select(p => $"{(string?)p!["date"]}:{(double?)p["value"]}").ToArray());
        // No question on a day: no rate.
        Assert.Equal(new double?[] { null, null, null, 1.0, 0.5, null, 1.0 },
            answerRateLive["data"]!.AsArray().Select(p => (double?)p!["value"]).ToArray());

        // The worker rolls up every day that is over: through Wednesday; Thursday stays live.
        var worker = app.Services.GetRequiredService<AnalyticsRollupWorker>();
        var calculator = app.Services.GetRequiredService<AnalyticsCalculator>();
        Assert.Equal(3, await worker.RunOnceAsync(CancellationToken.None));
        var stored = await app.DbAsync(db => db.AnalyticsDailyRollups.AsNoTracking().ToListAsync(), workspaceId);
        Assert.Equal([new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 3)], stored.Select(r => r.Day).Order().ToArray());
        var fresh = await app.DbAsync(db => calculator.ComputeAsync(db, workspaceId, new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 4), null, CancellationToken.None), workspaceId);
        Assert.Equal(Rows(fresh), Rows(stored));

        var summaryRolled = await GetAsync($"/v1/analytics/summary?{Range}");
        Assert.Equal("2026-03-04", (string?)summaryRolled["rolled_up_through"]);
        Assert.Equal(WithoutFreshness(summaryLive).ToJsonString(), WithoutFreshness(summaryRolled).ToJsonString());
        Assert.Equal(daysLive.ToJsonString(), (await GetAsync($"/v1/analytics/timeseries?metric=conversations_started&{Range}")).ToJsonString());
        Assert.Equal(engagedLive.ToJsonString(), (await GetAsync($"/v1/analytics/timeseries?metric=engaged_conversations&interval=week&{Range}")).ToJsonString());

        // Idempotent: a second pass has nothing to do, a forced recomputation writes the same rows.
        Assert.Equal(0, await worker.RunOnceAsync(CancellationToken.None));
        await app.DbAsync(async db =>
        {
            db.AnalyticsRollupStates.Single().RolledUpThrough = new DateOnly(2026, 3, 1);
            return await db.SaveChangesAsync();
        }, workspaceId);
        Assert.Equal(3, await worker.RunOnceAsync(CancellationToken.None));
        Assert.Equal(Rows(stored), Rows(await app.DbAsync(db => db.AnalyticsDailyRollups.AsNoTracking().ToListAsync(), workspaceId)));

        // A late change to a past day (as an import writes) marks it stale: reads include it at once, the worker rewrites the day.
        await app.DbAsync(async db =>
        {
            db.Messages.Add(new Message
            {
                Id = new IdGenerator(new FakeTimeProvider(ClockedAnalyticsApp.Start.AddHours(1))).New(IdPrefix.Message), WorkspaceId = workspaceId, ConversationId = monday, Role = MessageRole.User,
                Text = "late", CreatedAt = ClockedAnalyticsApp.Start.AddHours(1),
            });
            return await db.SaveChangesAsync();
        }, workspaceId);
        Assert.Equal(1, await app.DbAsync(db => db.AnalyticsStaleDays.CountAsync(), workspaceId));
        var afterLate = await GetAsync($"/v1/analytics/summary?{Range}");
        Assert.Equal(5, (long)afterLate["totals"]!["visitor_messages"]!);
        Assert.Equal(1, await worker.RunOnceAsync(CancellationToken.None));
        Assert.Equal(0, await app.DbAsync(db => db.AnalyticsStaleDays.CountAsync(), workspaceId));
        var monday2 = await app.DbAsync(db => db.AnalyticsDailyRollups.AsNoTracking().SingleAsync(r => r.Day == new DateOnly(2026, 3, 2)), workspaceId);
        Assert.Equal(2, monday2.VisitorMessages);
        Assert.Equal(afterLate.ToJsonString(), (await GetAsync($"/v1/analytics/summary?{Range}")).ToJsonString());

        // Thursday is rolled up only once it is over and settled.
        time.SetUtcNow(new DateTimeOffset(2026, 3, 6, 0, 1, 0, TimeSpan.Zero));
        Assert.Equal(0, await worker.RunOnceAsync(CancellationToken.None));
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.True(await worker.RunOnceAsync(CancellationToken.None) >= 1);
        Assert.Equal(new DateOnly(2026, 3, 5), await app.DbAsync(db => db.AnalyticsRollupStates.Select(s => s.RolledUpThrough).SingleAsync(), workspaceId));
        Assert.Equal(afterLate.ToJsonString().Replace("2026-03-04", "2026-03-05", StringComparison.Ordinal),
            (await GetAsync($"/v1/analytics/summary?{Range}")).ToJsonString());
    }
}
