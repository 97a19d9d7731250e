using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Parley.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Parley.Browser.Tests.Operations;

/// <summary>The Analytics page on a server whose bots answer from their knowledge, so unanswered questions are real.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AnalyticsPageTests : IClassFixture<AnalyticsPageTests.AnalyticsServer>
{
    private const string GiftCards = "Do you sell gift cards?";
    private readonly BrowserFixture _fixture;
    private readonly ParleyServer _server;

    public AnalyticsPageTests(BrowserFixture fixture, AnalyticsServer owned)
    {
        (_fixture, _server) = (fixture, owned.Server);
        SetDefaultExpectTimeout(30_000);
    }

    public sealed class AnalyticsServer : IAsyncLifetime
    {
        public ParleyServer Server { get; } = new ParleyServer { ScriptedAnswers = false };

        public async Task InitializeAsync()
        {
            Server.Start();
            await Dashboard.Dashboard.CreateOwnerAsync(Server);
        }

        public async Task DisposeAsync()
        {
            await Server.DisposeAsync();
            Server.DeleteData();
        }
    }

    private HttpClient Api()
    {
        var api = new HttpClient { BaseAddress = new Uri(_server.Url) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ParleyServer.OwnerKey);
        return api;
    }

    /// <summary>As the page writes latency: milliseconds below a second, seconds above.</summary>
    private static string Milliseconds(double value) => value < 1000
        ? value.ToString("0.#", CultureInfo.InvariantCulture) + " ms"
        : (value / 1000).ToString("0.##", CultureInfo.InvariantCulture) + " s";

    private static async Task AskAsync(HttpClient api, string botId, string question)
    {
        var started = await (await api.PostAsJsonAsync("/v1/conversations", new JsonObject { ["bot_id"] = botId })).Content.ReadFromJsonAsync<JsonObject>();
        var sent = await api.PostAsJsonAsync($"/v1/conversations/{(string)started!["conversation"]!["id"]!}/messages", new JsonObject { ["text"] = question });
        Assert.True(sent.IsSuccessStatusCode, await sent.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnalyticsPage_EmptyThenRealTurns_FiguresAndLatencyMatchTheApi_AddAnAnswerCreatesAKnowledgeText()
    {
        using var api = Api();
        await using var context = await _fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await Dashboard.Dashboard.SignInAsync(page, _server);
        await Dashboard.Dashboard.Nav(page, "Analytics").ClickAsync();
        await Expect(Dashboard.Dashboard.Heading(page, "Analytics")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("analytics-empty")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("gaps-empty")).ToBeVisibleAsync();
        await Axe.AssertNoSeriousViolationsAsync(page, "analytics, empty");

        // Real turns: a bot with a little knowledge answers one question and not the other, asked twice.
        var bot = await (await api.PostAsJsonAsync("/v1/bots", new JsonObject { ["name"] = "Front desk" })).Content.ReadFromJsonAsync<JsonObject>();
        var botId = (string)bot!["id"]!;
        var hours = await api.PostAsJsonAsync($"/v1/bots/{botId}/knowledge", new JsonObject
        {
            ["type"] = "text", ["title"] = "Opening hours", ["content"] = "We are open Monday to Friday from 9:00 to 17:00.",
        });
        Assert.True(hours.IsSuccessStatusCode, await hours.Content.ReadAsStringAsync());
        await AskAsync(api, botId, GiftCards);
        await AskAsync(api, botId, "When are you open?");
        await AskAsync(api, botId, "do you sell gift cards");
        // The last two stages' timings are stored just after each turn.
        await Eventually.EqualAsync(3L, async () => (long)(await api.GetFromJsonAsync<JsonObject>("/v1/analytics/latency"))!["overall"]!["return"]!["count"]!);
        var summary = (await api.GetFromJsonAsync<JsonObject>("/v1/analytics/summary"))!;
        var latency = (await api.GetFromJsonAsync<JsonObject>("/v1/analytics/latency"))!;

        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(page.GetByTestId("analytics-empty")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("figure-conversations_started").Locator(".mud-typography-subtitle1"))
            .ToHaveTextAsync(((long)summary["totals"]!["conversations_started"]!).ToString(CultureInfo.InvariantCulture));
        await Expect(page.GetByTestId("figure-engaged_conversations").Locator(".mud-typography-subtitle1")).ToHaveTextAsync("3");
        await Expect(page.GetByTestId("figure-answer_rate").Locator(".mud-typography-subtitle1"))
            .ToHaveTextAsync(((double)summary["rates"]!["answer_rate"]! * 100).ToString("0.#", CultureInfo.InvariantCulture) + " % of 3");
        await Expect(page.GetByTestId("activity-chart").Locator("svg").First).ToBeVisibleAsync();
        await Expect(page.GetByTestId("latency-chart").Locator("svg").First).ToBeVisibleAsync();

        // The slowest stage, named in words, and every stage's figures are the API's.
        var slowest = latency["slowest_stage"]!;
        await Expect(page.GetByTestId("slowest-stage")).ToHaveAttributeAsync("data-stage", (string)slowest["stage"]!);
        await Expect(page.GetByTestId("slowest-stage")).ToContainTextAsync($"is the slowest stage: p95 {Milliseconds((double)slowest["p95"]!)}");
        foreach (var stage in new[] { "generate", "total" })
        {
            var row = page.GetByTestId("latency-" + stage);
            await Expect(row.GetByTestId("p50")).ToHaveTextAsync(Milliseconds((double)latency["overall"]![stage]!["p50"]!));
            await Expect(row.GetByTestId("p95")).ToHaveTextAsync(Milliseconds((double)latency["overall"]![stage]!["p95"]!));
        }

        // The two wordings of one question are one gap; its answer is written from the page.
        var gap = page.GetByTestId("gap").Filter(new() { HasText = "sell gift cards" });
        await Expect(gap.GetByTestId("gap-count")).ToHaveTextAsync("2");
        await Expect(page.GetByTestId("gap")).ToHaveCountAsync(1);
        await Axe.AssertNoSeriousViolationsAsync(page, "analytics with data");
        await Dashboard.Dashboard.ScreenshotAsync(page, "analytics");
        await gap.GetByRole(AriaRole.Button, new() { Name = "Add an answer" }).ClickAsync();
        await Expect(gap.GetByLabel("Question")).ToHaveValueAsync("do you sell gift cards");
        await gap.GetByLabel("Answer").FillAsync("Yes: gift cards from 10 to 200 euros, at the desk.");
        await Axe.AssertNoSeriousViolationsAsync(page, "analytics, adding an answer");
        await gap.GetByRole(AriaRole.Button, new() { Name = "Save answer" }).ClickAsync();
        await Expect(gap).ToHaveAttributeAsync("data-state", "answered");

        var sources = (await api.GetFromJsonAsync<JsonObject>($"/v1/bots/{botId}/knowledge"))!["data"]!.AsArray();
        var added = Assert.Single(sources, s => (string)s!["title"]! == "do you sell gift cards")!;
        Assert.Equal("text", (string?)added["type"]);
        var gaps = (await api.GetFromJsonAsync<JsonObject>($"/v1/analytics/knowledge-gaps?bot_id={botId}"))!;
        Assert.Empty(gaps["data"]!.AsArray());
        var answered = (await api.GetFromJsonAsync<JsonObject>($"/v1/analytics/knowledge-gaps?bot_id={botId}&include_answered=true"))!;
        Assert.Equal((string?)added["id"], (string?)answered["data"]![0]!["answered_by_source_id"]);
    }
}
