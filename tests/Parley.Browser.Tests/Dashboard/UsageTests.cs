using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Parley.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Parley.Browser.Tests.Dashboard;

/// <summary>The Usage and cost page: this month's usage against the plan, and a projection equal to the API's.</summary>
[Collection(BrowserCollection.Name)]
public sealed class UsageTests : IClassFixture<DashboardTests.OwnedServer>
{
    private readonly BrowserFixture _fixture;
    private readonly DashboardTests.OwnedServer _owned;

    public UsageTests(BrowserFixture fixture, DashboardTests.OwnedServer owned)
    {
        (_fixture, _owned) = (fixture, owned);
        SetDefaultExpectTimeout(30_000);
    }

    private ParleyServer Server => _owned.Server;

    [Fact]
    public async Task UsagePage_EditedRates_ProjectionEqualsTheApis()
    {
        using var api = new HttpClient { BaseAddress = new Uri(Server.Url) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ParleyServer.OwnerKey);
        // One conversation with one visitor message: the trend and the month's counters are the workspace's own.
        var bot = JsonNode.Parse(await (await api.PostAsJsonAsync("/v1/bots", new JsonObject { ["name"] = "Usage shop" })).Content.ReadAsStringAsync())!;
        var started = JsonNode.Parse(await (await api.PostAsJsonAsync("/v1/conversations", new JsonObject { ["bot_id"] = (string)bot["id"]! })).Content.ReadAsStringAsync())!;
        var sent = await api.PostAsJsonAsync($"/v1/conversations/{(string)started["conversation"]!["id"]!}/messages", new JsonObject { ["text"] = "Hello there" });
        Assert.True(sent.IsSuccessStatusCode, await sent.Content.ReadAsStringAsync());

        await using var context = await _fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await Dashboard.SignInAsync(page, Server);
        await Dashboard.Nav(page, "Usage").ClickAsync();
        await Expect(Dashboard.Heading(page, "Usage and cost")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("usage-conversations_started").GetByRole(AriaRole.Cell).First).ToHaveTextAsync("1");
        await Expect(page.GetByTestId("usage-messages").GetByRole(AriaRole.Cell).First).ToHaveTextAsync("1");
        await Expect(page.GetByTestId("projection-trend")).ToBeVisibleAsync();

        await page.GetByLabel("Price per message").FillAsync("0.03");
        await page.GetByLabel("Flat monthly fee").FillAsync("120");
        await page.GetByLabel("Completion tokens, per million").FillAsync("12.5");
        await page.GetByRole(AriaRole.Button, new() { Name = "Update projection" }).ClickAsync();

        var projection = JsonNode.Parse(await api.GetStringAsync("/v1/usage/projection?per_message=0.03&flat_monthly=120&completion_token_price=12.5"))!;
        Assert.Equal(1, (long)projection["basis"]!["conversations"]!);
        foreach (var scenario in projection["scenarios"]!.AsArray())
        {
            var row = page.GetByTestId("projection-" + ((string)scenario!["kind"]! == "trend" ? "trend" : ((long)scenario["conversations"]!).ToString(CultureInfo.InvariantCulture)));
            foreach (var (column, field) in new[] { ("token-cost", "token_cost"), ("per-message-cost", "per_message_cost"), ("per-conversation-cost", "per_conversation_cost"), ("flat-monthly-cost", "flat_monthly_cost") })
            {
                await Expect(row.GetByTestId(column)).ToHaveTextAsync(((double)scenario[field]!).ToString("N2", CultureInfo.InvariantCulture));
            }
        }
        await Expect(page.GetByTestId("projection-50000").GetByTestId("flat-monthly-cost"))
            .Not.ToHaveTextAsync(((double)JsonNode.Parse(await api.GetStringAsync("/v1/usage/projection"))!["scenarios"]![2]!["flat_monthly_cost"]!).ToString("N2", CultureInfo.InvariantCulture));
        await Axe.AssertNoSeriousViolationsAsync(page, "usage and cost");
        await Dashboard.ScreenshotAsync(page, "usage");
    }

    [Fact]
    public async Task UsagePage_ModelAddedAndPriced_SentToTheApiAndShownBack()
    {
        await using var context = await _fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var asked = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/v1/usage/projection", StringComparison.Ordinal))
            {
                asked.Add(Uri.UnescapeDataString(request.Url));
            }
        };
        await Dashboard.SignInAsync(page, Server);
        await Dashboard.Nav(page, "Usage").ClickAsync();
        await Expect(page.GetByTestId("model-prices")).ToBeVisibleAsync();

        await page.GetByLabel("Another model").FillAsync("gpt-4o");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add model" }).ClickAsync();
        await page.GetByLabel("gpt-4o prompt price").FillAsync("2.5");
        await page.GetByLabel("gpt-4o completion price").FillAsync("10");
        await page.GetByRole(AriaRole.Button, new() { Name = "Update projection" }).ClickAsync();

        var row = page.Locator("[data-testid=model-price][data-model='gpt-4o']");
        await Expect(row.GetByTestId("model-token-cost")).ToHaveTextAsync("0.00");
        await Expect(page.GetByLabel("gpt-4o completion price")).ToHaveValueAsync("10");
        Assert.Contains(asked, url => url.Contains("price[gpt-4o]=2.5,10", StringComparison.Ordinal));
        await Axe.AssertNoSeriousViolationsAsync(page, "usage and cost with a model's own prices");
    }
}
