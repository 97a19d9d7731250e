using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Parley.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Parley.Browser.Tests.Dashboard;

/// <summary>
/// Teaching a bot, trying it, connecting a model and putting the widget on another site, on one server whose bots
/// answer with the real built-in answerer from their knowledge.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardKnowledgeAndModelsTests : IClassFixture<DashboardKnowledgeAndModelsTests.AnsweringServer>
{
    private readonly BrowserFixture _fixture;
    private readonly AnsweringServer _owned;

    public DashboardKnowledgeAndModelsTests(BrowserFixture fixture, AnsweringServer owned)
    {
        (_fixture, _owned) = (fixture, owned);
        SetDefaultExpectTimeout(30_000);
    }

    public sealed class AnsweringServer : IAsyncLifetime
    {
        public ParleyServer Server { get; } = new() { ScriptedAnswers = false };

        public async Task InitializeAsync()
        {
            Server.Start();
            await Dashboard.CreateOwnerAsync(Server);
        }

        public async Task DisposeAsync()
        {
            await Server.DisposeAsync();
            Server.DeleteData();
        }
    }

    private ParleyServer Server => _owned.Server;

    [Fact]
    public async Task Knowledge_TextAndDroppedFile_ReadyThenTryItAnswersWithItsSource()
    {
        var botId = await CreateBotAsync("Bakery helper");
        await using var context = await _fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await Dashboard.SignInAsync(page, Server);
        await Dashboard.Nav(page, "Knowledge").ClickAsync();
        await Expect(Dashboard.Heading(page, "Knowledge")).ToBeVisibleAsync();

        await page.GetByLabel("Title").FillAsync("Opening hours");
        await page.GetByLabel("Text", new() { Exact = true }).FillAsync("The Corner Bakery opens at 7am on weekdays and closes at 6pm. On Sundays we open at 9am.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add text" }).ClickAsync();
        await page.Locator("#knowledge-file").SetInputFilesAsync(new FilePayload
        {
            Name = "delivery.md", MimeType = "text/markdown",
            Buffer = "# Delivery\n\nWe deliver sourdough loaves within five miles of the shop for a fee of three pounds."u8.ToArray(),
        });
        var sources = page.GetByTestId("knowledge-source");
        await Expect(sources.Filter(new() { HasText = "Opening hours" })).ToContainTextAsync("ready");
        await Expect(sources.Filter(new() { HasText = "delivery" })).ToContainTextAsync("ready");

        await page.GetByLabel("Ask the bot").FillAsync("When do you open on Sundays?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ask", Exact = true }).ClickAsync();
        var reply = page.Locator("[data-testid=message][data-role=bot]").Last;
        await Expect(reply).ToContainTextAsync("9am");
        await Expect(reply.GetByRole(AriaRole.List, new() { Name = "Sources" })).ToContainTextAsync("Opening hours");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Axe.AssertNoSeriousViolationsAsync(page, "knowledge with try-it");
        await Dashboard.ScreenshotAsync(page, "06-knowledge");

        // The try-it conversation is a real one, of this bot.
        using var api = Api();
        var conversations = JsonNode.Parse(await api.GetStringAsync($"/v1/conversations?bot_id={botId}"))!["data"]!.AsArray();
        Assert.Single(conversations);
    }

    [Fact]
    public async Task ModelProviders_AddedWithFieldErrorsTestedEditedAssignedAndKeyNeverShown()
    {
        var botId = await CreateBotAsync("Model shop");
        await using var context = await _fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await Dashboard.SignInAsync(page, Server);
        await Dashboard.Nav(page, "Model providers").ClickAsync();
        await Expect(Dashboard.Heading(page, "Model providers")).ToBeVisibleAsync();

        const string key = "sk-live-do-not-show-9876";
        await page.GetByLabel("Provider name").FillAsync("Office model");
        await page.GetByLabel("Base URL").FillAsync("not a url");
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByLabel("Default model").FillAsync("tiny-model");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add provider" }).ClickAsync();
        await Expect(page.GetByText("base_url", new() { Exact = false })).ToBeVisibleAsync();
        Assert.Equal(0, await ProviderCountAsync());

        // A public address that no name server knows: the test reaches nothing, and says so.
        await page.GetByLabel("Base URL").FillAsync("https://models.invalid/v1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add provider" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Office model" });
        await Expect(row).ToContainTextAsync("ends …9876");
        Assert.DoesNotContain(key, await page.ContentAsync(), StringComparison.Ordinal);
        await Expect(page.GetByLabel("API key")).ToHaveValueAsync("");

        await page.GetByRole(AriaRole.Button, new() { Name = "Test Office model" }).ClickAsync();
        await Expect(page.GetByTestId("test-result")).ToContainTextAsync("did not answer (tiny-model)");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Axe.AssertNoSeriousViolationsAsync(page, "model providers");
        await Dashboard.ScreenshotAsync(page, "12-model-providers");

        await page.GetByRole(AriaRole.Button, new() { Name = "Edit Office model" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Edit Office model" })).ToBeVisibleAsync();
        await page.GetByLabel("Default model").FillAsync("bigger-model");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save provider" }).ClickAsync();
        await Expect(row).ToContainTextAsync("bigger-model");
        await Expect(row).ToContainTextAsync("ends …9876");

        await Dashboard.OpenAsync(page, $"/app/bots/{botId}");
        await Expect(Dashboard.Heading(page, "Model shop")).ToBeVisibleAsync();
        await page.GetByLabel("Model provider").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Office model (OpenAI-compatible)" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Saved." })).ToBeVisibleAsync();
        using var api = Api();
        var bot = JsonNode.Parse(await api.GetStringAsync($"/v1/bots/{botId}"))!;
        Assert.StartsWith("mp_", (string)bot["model"]!["provider"]!, StringComparison.Ordinal);

        // In use by the bot: removing it is refused with the API's reason.
        await Dashboard.OpenAsync(page, "/app/model-providers");
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove Office model" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "uses this model provider" })).ToBeVisibleAsync();
        Assert.Equal(1, await ProviderCountAsync());
    }

    [Fact]
    public async Task EmbedSnippet_PastedOnAnotherOrigin_LoadsTheWidgetAndChats()
    {
        await using var site = await PastedSnippetSite.StartAsync();
        var botId = await CreateBotAsync("Corner Bakery", greeting: "Welcome to Corner Bakery!");
        using (var api = Api())
        {
            var added = await api.PostAsJsonAsync($"/v1/bots/{botId}/knowledge", new JsonObject
            {
                ["type"] = "text", ["title"] = "Bread", ["content"] = "Our sourdough loaf costs four pounds and is baked every morning.",
            });
            Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync());
        }
        await using var context = await _fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await Dashboard.SignInAsync(page, Server);
        await Dashboard.OpenAsync(page, $"/app/bots/{botId}");
        await page.GetByLabel("Allowed origins").FillAsync(site.Origin);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create widget key" }).ClickAsync();
        var snippet = page.GetByTestId("embed-snippet");
        await Expect(snippet).ToContainTextAsync("data-key=\"pk_");
        site.Snippet = await snippet.TextContentAsync() ?? "";

        var widget = await WidgetPage.OpenAsync(context, site.Origin + "/");
        await widget.OpenChatAsync();
        await Expect(widget.Bubbles("bot").First).ToContainTextAsync("Welcome to Corner Bakery!");
        await widget.SendAsync("How much is the sourdough loaf?");
        await Expect(widget.Bubbles("bot").Last).ToContainTextAsync("four pounds");
        Assert.Empty(await widget.ViolationsAsync());
        await widget.ScreenshotAsync("dashboard-13-snippet-on-another-site");
    }

    private HttpClient Api()
    {
        var http = new HttpClient { BaseAddress = new Uri(Server.Url) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", ParleyServer.OwnerKey);
        return http;
    }

    private async Task<string> CreateBotAsync(string name, string? greeting = null)
    {
        using var api = Api();
        var created = await api.PostAsJsonAsync("/v1/bots", new JsonObject { ["name"] = name, ["greeting"] = greeting });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        return (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!;
    }

    private async Task<int> ProviderCountAsync()
    {
        using var api = Api();
        return JsonNode.Parse(await api.GetStringAsync("/v1/model-providers"))!["data"]!.AsArray().Count;
    }
}
