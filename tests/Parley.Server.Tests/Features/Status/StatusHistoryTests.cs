using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Server.Features.Status;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Status;

/// <summary>The status history on a fake clock: minute samples, incidents from a component made to fail, pruning.</summary>
public sealed class StatusHistoryTests(ClockedStatusApp app) : IClassFixture<ClockedStatusApp>
{
    private const int Components = 6;

    private StatusHistorySampler Sampler => app.Services.GetRequiredService<StatusHistorySampler>();

    private Task<int> SamplesAtAsync(DateTimeOffset minute) => app.DbAsync(db => db.StatusSamples.CountAsync(s => s.Minute == minute));

    [Fact]
    public async Task EmailServerDown_SampledEachMinute_IncidentWithStartEndAndDuration()
    {
        var client = app.Client();
        await (await client.PatchJsonAsync("/v1/workspace", new { notification_emails = new[] { "team@shop.example" } })).JsonAsync(HttpStatusCode.OK);
        var conversationId = (await client.StartConversationAsync(await client.CreateBotAsync()))["conversation"]!.Id();
        await client.SendAsync(conversationId, "Please let me speak to a human");
        // The handoff email is tried at once and refused: nothing listens on the SMTP port.
        await Eventually.TrueAsync(() => app.DbAsync(db => db.EmailNotifications.IgnoreQueryFilters().AnyAsync(n => n.Attempts > 0)), "The email was not tried.");

        var samples = new List<(DateTimeOffset Minute, string Status)>();
        async Task<string> NextMinuteAsync()
        {
            app.Time.Advance(TimeSpan.FromMinutes(1));
            var now = app.Time.GetUtcNow();
            var due = await app.DbAsync(db => db.EmailNotifications.IgnoreQueryFilters().AnyAsync(n => n.Status == "pending" && n.NextAttemptAt <= now));
            if (due)
            {
                // The dispatcher polls every few (real) seconds: let it try before the minute is sampled.
                await Eventually.TrueAsync(() => app.DbAsync(db => db.EmailNotifications.IgnoreQueryFilters()
                    .AllAsync(n => n.Status != "pending" || n.NextAttemptAt > now)), "The due email was not retried.");
            }
            await Sampler.SampleAsync(now, CancellationToken.None);
            var minute = StatusHistorySampler.StartOfMinute(now);
            var status = await app.DbAsync(db => db.StatusSamples.Where(s => s.Component == "email" && s.Minute == minute).Select(s => s.Status).SingleAsync());
            samples.Add((minute, status));
            return status;
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("degraded", await NextMinuteAsync());
        }
        using var smtp = await SmtpTestServer.StartAsync(app.SmtpPort);
        // Back up: the retry comes due within the schedule's first waits (5 s, then 5 min); every minute is sampled meanwhile.
        while (await NextMinuteAsync() != "operational")
        {
            Assert.True(samples.Count < 12, "The email component did not recover: " + string.Join(", ", samples));
        }
        Assert.Contains("Subject: A visitor is waiting for a person", await smtp.WaitForMessageAsync(), StringComparison.Ordinal);

        var start = samples[0].Minute;
        var end = samples[^1].Minute;
        var degraded = samples.Count(s => s.Status == "degraded");
        Assert.Equal(samples.Count - 1, degraded);
        var request = new HttpRequestMessage(HttpMethod.Get, "/status");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var history = (await (await app.Client(null).SendAsync(request)).JsonAsync(HttpStatusCode.OK))["history"]!;

        Assert.Equal(90, (int)history["window_days"]!);
        Assert.Equal("2026-03-02", (string?)history["to"]);
        Assert.Equal("2025-12-03", (string?)history["from"]);
        var incident = Assert.Single(history["incidents"]!.AsArray(), i => (string?)i!["component"] == "email")!;
        Assert.Equal("degraded", (string?)incident["status"]);
        Assert.Equal(start, (DateTimeOffset)incident["started_at"]!);
        Assert.Equal(end, (DateTimeOffset)incident["ended_at"]!);
        Assert.Equal((long)(end - start).TotalSeconds, (long)incident["duration_seconds"]!);
        Assert.True((long)incident["duration_seconds"]! >= 180);
        Assert.False((bool)incident["ongoing"]!);
        Assert.DoesNotContain(history["incidents"]!.AsArray(), i => (string?)i!["component"] != "email");

        var email = history["components"]!.AsArray().Single(c => (string?)c!["name"] == "email")!;
        var days = email["days"]!.AsArray();
        Assert.Equal(90, days.Count);
        var today = days[^1]!;
        Assert.Equal("2026-03-02", (string?)today["date"]);
        var storedToday = await app.DbAsync(db => db.StatusSamples.Where(s => s.Component == "email" && s.Day == new DateOnly(2026, 3, 2))
            .GroupBy(s => s.Status).Select(g => new { Status = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Status, g => g.Count));
        Assert.Equal(degraded, (int)today["degraded_minutes"]!);
        Assert.Equal(storedToday.GetValueOrDefault("operational"), (int)today["operational_minutes"]!);
        Assert.Equal(0, (int)today["down_minutes"]!);
        var sampled = storedToday.Values.Sum();
        Assert.Equal(Math.Round(storedToday.GetValueOrDefault("operational") * 100.0 / sampled, 2), (double)today["uptime_percent"]!);
        Assert.Null(days[0]!["uptime_percent"]);
        var database = history["components"]!.AsArray().Single(c => (string?)c!["name"] == "database")!;
        Assert.Equal(100.0, (double)database["uptime_percent"]!);

        var html = await (await app.Client(null).GetAsync("/status")).Content.ReadAsStringAsync();
        Assert.Contains("Uptime, last 90 days", html, StringComparison.Ordinal);
        Assert.Contains(
            $"<tr><td>Email notifications</td><td>degraded</td><td>{start:yyyy-MM-dd HH:mm}</td><td>{end:yyyy-MM-dd HH:mm}</td><td>{(int)(end - start).TotalMinutes} min</td></tr>",
            html, StringComparison.Ordinal);
        // Each bar says what it shows in text, not by colour alone.
        Assert.Contains($"2026-03-02: {(double)today["uptime_percent"]!:0.##} % operational, degraded {degraded} min</span>", html, StringComparison.Ordinal);
        Assert.Contains("2025-12-03: no samples</span>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SamplesOlderThan90Days_DeletedAtTheNextSample()
    {
        // A minute ahead of the clock: no other test here has sampled it.
        var now = StatusHistorySampler.StartOfMinute(app.Time.GetUtcNow()).AddMinutes(1);
        var tooOld = now.AddDays(-90).AddMinutes(-1);
        var oldest = now.AddDays(-90);
        var recent = now.AddDays(-80);
        Assert.Equal(Components, await Sampler.SampleAsync(tooOld, CancellationToken.None));
        Assert.Equal(Components, await Sampler.SampleAsync(oldest, CancellationToken.None));
        Assert.Equal(Components, await Sampler.SampleAsync(recent, CancellationToken.None));

        Assert.Equal(Components, await Sampler.SampleAsync(now, CancellationToken.None));

        Assert.Equal(0, await SamplesAtAsync(tooOld));
        Assert.Equal(Components, await SamplesAtAsync(oldest));
        Assert.Equal(Components, await SamplesAtAsync(recent));
    }

    [Fact]
    public async Task MinuteSampledAlready_LeavesThePruningToTheNodeThatWroteIt()
    {
        var minute = StatusHistorySampler.StartOfMinute(app.Time.GetUtcNow()).AddMinutes(5);
        Assert.Equal(Components, await Sampler.SampleAsync(minute, CancellationToken.None));
        var expired = minute.AddDays(-100);
        Assert.Equal(Components, await Sampler.SampleAsync(expired, CancellationToken.None));

        Assert.Equal(0, await Sampler.SampleAsync(minute.AddSeconds(30), CancellationToken.None));
        Assert.Equal(Components, await SamplesAtAsync(expired));

        Assert.Equal(Components, await Sampler.SampleAsync(minute.AddMinutes(1), CancellationToken.None));
        Assert.Equal(0, await SamplesAtAsync(expired));
    }

    [Fact]
    public async Task SameMinuteSampledTwice_OneSamplePerComponent()
    {
        var minute = StatusHistorySampler.StartOfMinute(app.Time.GetUtcNow().AddDays(-2));

        var first = await Sampler.SampleAsync(minute.AddSeconds(5), CancellationToken.None);
        var second = await Sampler.SampleAsync(minute.AddSeconds(50), CancellationToken.None);

        Assert.Equal(Components, first);
        Assert.Equal(0, second);
        Assert.Equal(Components, await SamplesAtAsync(minute));
    }
}

/// <summary>The sampler running on its own: it samples at the start of each minute of the (fake) clock, not before.</summary>
public sealed class StatusSamplerTests(SamplingStatusApp app) : IClassFixture<SamplingStatusApp>
{
    [Fact]
    public async Task ClockReachesTheNextMinute_EveryComponentSampledOnce()
    {
        var first = StatusHistorySampler.StartOfMinute(ClockedStatusApp.Start);
        Assert.Equal(0, await app.DbAsync(db => db.StatusSamples.CountAsync()));

        app.Time.Advance(TimeSpan.FromMinutes(1));

        var deadline = DateTime.UtcNow.AddSeconds(20);
        var minute = first.AddMinutes(1);
        while (await app.DbAsync(db => db.StatusSamples.CountAsync(s => s.Minute == minute)) < 6)
        {
            Assert.True(DateTime.UtcNow < deadline, "The sampler did not sample when the clock reached the minute.");
            await Task.Delay(50);
        }
        var samples = await app.DbAsync(db => db.StatusSamples.AsNoTracking().ToListAsync());
        Assert.All(samples, s => Assert.Equal(minute, s.Minute));
        Assert.Equal(["api", "database", "email", "knowledge_ingestion", "model_providers", "webhook_delivery"], samples.Select(s => s.Component).Order());
        Assert.Equal("operational", samples.Single(s => s.Component == "database").Status);
    }
}

/// <summary>Two nodes on one database sample the same minutes at the same time: one sample per minute and component is kept.</summary>
public sealed class StatusHistoryAcrossNodesTests
{
    [Fact]
    public async Task TwoNodesSampleTheSameMinutes_OneSampleEach()
    {
        await using var nodes = await TwoNodes.StartAsync(new ParleyApp().With("Parley:Status:HistorySampler", "false"));
        var a = nodes.A.Services.GetRequiredService<StatusHistorySampler>();
        var b = nodes.B.Services.GetRequiredService<StatusHistorySampler>();
        // Yesterday's minutes: apart from those node B's own sampler writes today.
        var first = StatusHistorySampler.StartOfMinute(DateTimeOffset.UtcNow.AddDays(-1));

        for (var i = 0; i < 5; i++)
        {
            var at = first.AddMinutes(i).AddSeconds(1);
            var written = await Task.WhenAll(a.SampleAsync(at, CancellationToken.None), b.SampleAsync(at, CancellationToken.None));
            Assert.Equal(6, written.Sum());
        }

        var perMinute = await nodes.A.DbAsync(db => db.StatusSamples.Where(s => s.Minute >= first && s.Minute < first.AddMinutes(5))
            .GroupBy(s => s.Minute).Select(g => g.Count()).ToListAsync());
        Assert.Equal([6, 6, 6, 6, 6], perMinute);
    }
}
