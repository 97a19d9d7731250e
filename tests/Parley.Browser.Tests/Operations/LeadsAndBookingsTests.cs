using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Parley.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Parley.Browser.Tests.Operations;

/// <summary>The leads table and pipeline board, and the bookings week, on one server, over leads and bookings made through the API.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LeadsAndBookingsTests : IClassFixture<LeadsAndBookingsTests.LeadsServer>
{
    private readonly BrowserFixture _fixture;
    private readonly ParleyServer _server;

    public LeadsAndBookingsTests(BrowserFixture fixture, LeadsServer owned)
    {
        (_fixture, _server) = (fixture, owned.Server);
        SetDefaultExpectTimeout(30_000);
    }

    public sealed class LeadsServer : IAsyncLifetime
    {
        public ParleyServer Server { get; } = new();

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

    private static async Task<JsonObject> JsonAsync(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>A visitor's conversation with a question, and the lead captured from it.</summary>
    private static async Task<string> LeadFromConversationAsync(HttpClient api, string botId, string text, JsonObject fields)
    {
        var started = await JsonAsync(await api.PostAsJsonAsync("/v1/conversations", new JsonObject
        {
            ["bot_id"] = botId, ["metadata"] = new JsonObject { ["page_url"] = "https://shop.example/pricing" },
        }));
        var conversationId = (string)started["conversation"]!["id"]!;
        await JsonAsync(await api.PostAsJsonAsync($"/v1/conversations/{conversationId}/messages", new JsonObject { ["text"] = text }));
        var lead = await JsonAsync(await api.PostAsJsonAsync("/v1/leads", new JsonObject { ["conversation_id"] = conversationId, ["fields"] = fields }));
        return (string)lead["id"]!;
    }

    private static async Task<string> LeadStatusAsync(HttpClient api, string leadId) =>
        (string)(await api.GetFromJsonAsync<JsonObject>($"/v1/leads/{leadId}"))!["status"]!;

    [Fact]
    public async Task Leads_FromConversations_TableFiltersCsvScoreRulesAndBoardMovesThroughTheApi()
    {
        using var api = Api();
        var bot = (string)(await JsonAsync(await api.PostAsJsonAsync("/v1/bots", new JsonObject { ["name"] = "Sales desk" })))["id"]!;
        var grace = await LeadFromConversationAsync(api, bot, "What does the pricing look like? I want to book a demo.",
            new JsonObject { ["name"] = "Grace Hopper", ["email"] = "grace@shop.example" });
        await LeadFromConversationAsync(api, bot, "Just looking around.", new JsonObject { ["name"] = "Alan Turing", ["email"] = "alan@shop.example" });

        await using var context = await _fixture.Browser.NewContextAsync(new() { AcceptDownloads = true });
        var page = await context.NewPageAsync();
        await Dashboard.Dashboard.SignInAsync(page, _server);
        await Dashboard.Dashboard.Nav(page, "Leads").ClickAsync();
        await Expect(Dashboard.Dashboard.Heading(page, "Leads")).ToBeVisibleAsync();
        var table = page.GetByTestId("lead-table");
        await Expect(table.Locator($"tr[data-lead-id={grace}]")).ToContainTextAsync("grace@shop.example");
        await Expect(table.Locator("tbody tr")).ToHaveCountAsync(2);

        // The score comes with the rules that produced it.
        await table.Locator($"tr[data-lead-id={grace}]").GetByRole(AriaRole.Button, new() { Name = "Details" }).ClickAsync();
        var rules = page.GetByTestId("score-rules");
        await Expect(rules).ToContainTextAsync("intent_keywords");
        await Expect(rules).ToContainTextAsync("the page URL contains /pricing");
        await Axe.AssertNoSeriousViolationsAsync(page, "leads table with a lead's details");

        // Filtered to one address, the table and the CSV hold that lead only.
        await page.GetByLabel("Email (exact)").FillAsync("grace@shop.example");
        await Expect(table.Locator("tbody tr")).ToHaveCountAsync(1);
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download CSV" }).ClickAsync());
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.StartsWith("id,bot_id,conversation_id,contact_id,name,email", csv, StringComparison.Ordinal);
        Assert.Contains("grace@shop.example", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("alan@shop.example", csv, StringComparison.Ordinal);
        Assert.Equal(2, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);

        // On the board, a drag to the next stage is saved; a drag the pipeline forbids comes back with the API's reason.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Pipeline" }).ClickAsync();
        var card = page.Locator($".lead-card[data-lead-id={grace}]");
        await Expect(page.Locator("[data-status=new]").Locator(card)).ToBeVisibleAsync();
        await card.DragToAsync(page.Locator("[data-status=contacted] .lead-zone"));
        await Expect(page.Locator("[data-status=contacted]").Locator(card)).ToBeVisibleAsync();
        await Eventually.EqualAsync("contacted", () => LeadStatusAsync(api, grace));

        await card.DragToAsync(page.Locator("[data-status=won] .lead-zone"));
        await Expect(page.GetByTestId("board-message")).ToContainTextAsync("A contacted lead cannot become won");
        await Expect(page.Locator("[data-status=contacted]").Locator(card)).ToBeVisibleAsync();
        await Expect(page.Locator("[data-status=won] .lead-card")).ToHaveCountAsync(0);
        Assert.Equal("contacted", await LeadStatusAsync(api, grace));
        await Axe.AssertNoSeriousViolationsAsync(page, "leads pipeline board with a refused move");
        await Dashboard.Dashboard.ScreenshotAsync(page, "30-leads-board");
    }

    [Fact]
    public async Task Bookings_MadeThroughTheApi_OnTheirDayInTheBotsZone_InviteServedAndCancelSaved()
    {
        using var api = Api();
        var days = new[] { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" };
        var weeklyHours = new JsonObject();
        foreach (var day in days)
        {
            weeklyHours[day] = new JsonArray(new JsonObject { ["start"] = "08:00", ["end"] = "18:00" });
        }
        var bot = (string)(await JsonAsync(await api.PostAsJsonAsync("/v1/bots", new JsonObject { ["name"] = "Clinic" })))["id"]!;
        await JsonAsync(await api.PatchAsJsonAsync($"/v1/bots/{bot}", new JsonObject
        {
            ["booking"] = new JsonObject
            {
                ["time_zone"] = "Europe/Berlin", ["weekly_hours"] = weeklyHours, ["slot_minutes"] = 60, ["minimum_notice_minutes"] = 0, ["horizon_days"] = 30,
            },
        }));
        // 10:00 in Berlin, two days from now: its day and week are the bot's, whatever the test machine's zone.
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var localDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, berlin).DateTime).AddDays(2);
        var localStart = localDay.ToDateTime(new TimeOnly(10, 0));
        var start = new DateTimeOffset(localStart, berlin.GetUtcOffset(localStart));
        var booking = await JsonAsync(await api.PostAsJsonAsync("/v1/bookings", new JsonObject
        {
            ["bot_id"] = bot, ["start"] = start.ToString("O", CultureInfo.InvariantCulture), ["name"] = "Ada Lovelace", ["email"] = "ada@shop.example",
        }));
        var bookingId = (string)booking["id"]!;

        await using var context = await _fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await Dashboard.Dashboard.SignInAsync(page, _server);
        await Dashboard.Dashboard.Nav(page, "Bookings").ClickAsync();
        await Expect(Dashboard.Dashboard.Heading(page, "Bookings")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("week-title")).ToContainTextAsync("Europe/Berlin");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, berlin).DateTime);
        if (localDay.AddDays(-(((int)localDay.DayOfWeek + 6) % 7)) != today.AddDays(-(((int)today.DayOfWeek + 6) % 7)))
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Next week" }).ClickAsync();
        }
        var chip = page.Locator($"[data-day='{localDay:yyyy-MM-dd}'] [data-booking-id={bookingId}]");
        await Expect(chip).ToContainTextAsync("10:00–11:00");
        await Expect(chip).ToContainTextAsync("Ada Lovelace");
        await Axe.AssertNoSeriousViolationsAsync(page, "bookings week");

        await chip.ClickAsync();
        var details = page.GetByTestId("booking-details");
        await Expect(details).ToContainTextAsync("ada@shop.example");
        await Expect(details).ToContainTextAsync("(Europe/Berlin)");
        await Axe.AssertNoSeriousViolationsAsync(page, "booking details");

        // The invite link serves the calendar event with the cookie the dashboard signed in with.
        var href = await page.GetByRole(AriaRole.Link, new() { Name = "Download the calendar invite (.ics)" }).GetAttributeAsync("href");
        var invite = await context.APIRequest.GetAsync(_server.Url + href);
        Assert.Equal(200, invite.Status);
        Assert.StartsWith("text/calendar", invite.Headers["content-type"], StringComparison.Ordinal);
        var ics = await invite.TextAsync();
        Assert.Contains("BEGIN:VEVENT", ics, StringComparison.Ordinal);
        Assert.Contains("TZID=Europe/Berlin", ics, StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel booking" }).ClickAsync();
        await page.GetByLabel("Reason (optional)").FillAsync("Visitor called to cancel");
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, cancel the booking" }).ClickAsync();
        await Expect(page.GetByTestId("booking-status")).ToHaveTextAsync("cancelled");
        var saved = await api.GetFromJsonAsync<JsonObject>($"/v1/bookings/{bookingId}");
        Assert.Equal("cancelled", (string?)saved!["status"]);
        Assert.Equal("Visitor called to cancel", (string?)saved["cancel_reason"]);
        await page.Locator(".mud-dialog-actions").GetByRole(AriaRole.Button, new() { Name = "Close", Exact = true }).ClickAsync();
        await Expect(details).ToHaveCountAsync(0);
        await Expect(chip).ToContainTextAsync("(cancelled)");
        await Dashboard.Dashboard.ScreenshotAsync(page, "31-bookings-week");
    }
}
