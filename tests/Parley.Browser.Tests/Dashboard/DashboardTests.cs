using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Parley.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Parley.Browser.Tests.Dashboard;

/// <summary>The dashboard's pages on one server whose owner was set up through the API.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardTests : IClassFixture<DashboardTests.OwnedServer>
{
    private readonly BrowserFixture _fixture;
    private readonly OwnedServer _owned;

    public DashboardTests(BrowserFixture fixture, OwnedServer owned)
    {
        (_fixture, _owned) = (fixture, owned);
        SetDefaultExpectTimeout(30_000);
    }

    public sealed class OwnedServer : IAsyncLifetime
    {
        public ParleyServer Server { get; } = new();

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
    public async Task Agent_InvitedFromTeamPage_SignsInAndCannotOpenApiKeys()
    {
        await using var ownerContext = await _fixture.Browser.NewContextAsync();
        var owner = await ownerContext.NewPageAsync();
        await Dashboard.SignInAsync(owner, Server);
        await Dashboard.Nav(owner, "Team").ClickAsync();
        await Expect(Dashboard.Heading(owner, "Team")).ToBeVisibleAsync();
        await owner.GetByLabel("Their email").FillAsync("agent@shop.example");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Invite" }).ClickAsync();
        var link = await owner.GetByTestId("invitation-link").TextContentAsync() ?? "";
        Assert.Contains("/app/invitation#token=", link, StringComparison.Ordinal);
        await Axe.AssertNoSeriousViolationsAsync(owner, "team");
        await Dashboard.ScreenshotAsync(owner, "07-team");

        await using var agentContext = await _fixture.Browser.NewContextAsync();
        var agent = await agentContext.NewPageAsync();
        await agent.GotoAsync(Server.Url + link[link.IndexOf("/app/", StringComparison.Ordinal)..]);
        await Expect(Dashboard.Heading(agent, "Join your team on Parley")).ToBeVisibleAsync();
        await Axe.AssertNoSeriousViolationsAsync(agent, "invitation");
        await agent.GetByLabel("Your name").FillAsync("Ana Agent");
        await agent.GetByLabel("Password").FillAsync(Dashboard.Password);
        await agent.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(Dashboard.Heading(agent, "Getting started")).ToBeVisibleAsync();
        await Expect(agent.GetByText("Ana Agent (agent)")).ToBeVisibleAsync();

        await Dashboard.Nav(agent, "API keys").ClickAsync();
        await Expect(agent.GetByText("Your role cannot see API keys.")).ToBeVisibleAsync();
        var status = await agent.EvaluateAsync<int>("async () => (await fetch('/v1/api-keys')).status");
        Assert.Equal(403, status);

        await using var again = await _fixture.Browser.NewContextAsync();
        await Dashboard.SignInAsync(await again.NewPageAsync(), Server, "agent@shop.example");
    }

    [Fact]
    public async Task Bot_CreatedInBrowser_FieldErrorsShownNameEscapedSnippetCopied()
    {
        await using var context = await _fixture.Browser.NewContextAsync(new BrowserNewContextOptions { Permissions = ["clipboard-read", "clipboard-write"] });
        var page = await context.NewPageAsync();
        await Dashboard.SignInAsync(page, Server);
        await Dashboard.Nav(page, "Bots").ClickAsync();
        await Expect(Dashboard.Heading(page, "Bots")).ToBeVisibleAsync();
        await Axe.AssertNoSeriousViolationsAsync(page, "bots");
        await Dashboard.ScreenshotAsync(page, "04-bots");

        const string name = "<img src=x onerror=window.pwned=1> Shop";
        await page.GetByLabel("Bot name").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create bot" }).ClickAsync();
        await Expect(Dashboard.Heading(page, name)).ToBeVisibleAsync();
        Assert.False(await page.EvaluateAsync<bool>("() => window.pwned === 1"));

        await page.GetByLabel("Widget colour").FillAsync("reddish");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page.GetByText("primary_color", new() { Exact = false })).ToBeVisibleAsync();
        await page.GetByLabel("Widget colour").FillAsync("#0A7A3B");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Saved." })).ToBeVisibleAsync();

        await page.GetByLabel("Allowed origins").FillAsync("https://shop.example");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create widget key" }).ClickAsync();
        var snippet = page.GetByTestId("embed-snippet");
        await Expect(snippet).ToContainTextAsync("data-key=\"pk_");
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy snippet" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copied" })).ToBeVisibleAsync();
        Assert.Equal(await snippet.TextContentAsync(), await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await Axe.AssertNoSeriousViolationsAsync(page, "bot settings");
        await Dashboard.ScreenshotAsync(page, "05-bot-settings");
    }

    [Fact]
    public async Task OtherPages_Owner_NoSeriousAccessibilityViolations()
    {
        await using var context = await _fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await Dashboard.SignInAsync(page, Server);
        foreach (var (link, heading, shot) in new[]
        {
            ("Knowledge", "Knowledge", "06-knowledge"), ("API keys", "API keys", "08-api-keys"), ("Settings", "Settings", "09-settings"),
        })
        {
            await Dashboard.Nav(page, link).ClickAsync();
            await Expect(Dashboard.Heading(page, heading)).ToBeVisibleAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await Axe.AssertNoSeriousViolationsAsync(page, heading);
            await Dashboard.ScreenshotAsync(page, shot);
        }
        foreach (var name in new[] { "Bots", "Knowledge", "Flows", "Inbox", "Conversations", "Leads", "Bookings", "Webhooks", "Analytics", "Usage", "Data", "API keys", "Team", "Settings" })
        {
            await Expect(Dashboard.Nav(page, name)).ToBeVisibleAsync();
        }
    }

    [Fact]
    public async Task Dashboard_NotSignedIn_SentToSignIn()
    {
        await using var context = await _fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(Server.Url + "/app/bots");
        await Expect(Dashboard.Heading(page, "Sign in to Parley")).ToBeVisibleAsync();
        Assert.Contains("return=bots", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Conversations_FilteredInTheAddressBar_ListAndCsvExportHoldTheSameConversations()
    {
        using var api = new HttpClient { BaseAddress = new Uri(Server.Url) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ParleyServer.OwnerKey);
        async Task<JsonNode> PostAsync(string path, JsonObject body)
        {
            var response = await api.PostAsJsonAsync(path, body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, text);
            return JsonNode.Parse(text)!;
        }
        var botId = (string)(await PostAsync("/v1/bots", new JsonObject { ["name"] = "Filter shop" }))["id"]!;
        async Task<string> StartAsync(string externalId) =>
            (string)(await PostAsync("/v1/conversations", new JsonObject { ["bot_id"] = botId, ["contact"] = new JsonObject { ["external_id"] = externalId } }))["conversation"]!["id"]!;
        var withLead = await StartAsync("acme-42");
        await PostAsync("/v1/leads", new JsonObject { ["conversation_id"] = withLead, ["fields"] = new JsonObject { ["email"] = "ada@acme.example", ["company"] = "Acme Ltd" } });
        var handedOver = await StartAsync("acme-43");
        await PostAsync($"/v1/conversations/{handedOver}/handoff", new JsonObject());
        var plain = await StartAsync("globex-7");

        await using var context = await _fixture.Browser.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = true });
        var page = await context.NewPageAsync();
        await Dashboard.SignInAsync(page, Server);
        await Dashboard.OpenAsync(page, $"/app/conversations?bot={botId}");
        await Expect(Dashboard.Heading(page, "Conversations")).ToBeVisibleAsync();
        var rows = page.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Open conversation ") });
        await Expect(rows).ToHaveCountAsync(3);

        // Typed and picked filters narrow the list as the API does, and land in the address.
        await page.GetByLabel("Search").FillAsync("acme");
        await page.GetByLabel("Search").PressAsync("Enter");
        await Expect(rows).ToHaveCountAsync(2);
        await page.GetByLabel("Lead", new() { Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "No" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToHaveAccessibleNameAsync("Open conversation " + handedOver);
        Assert.Contains("q=acme", page.Url, StringComparison.Ordinal);
        Assert.Contains("lead=no", page.Url, StringComparison.Ordinal);
        await Axe.AssertNoSeriousViolationsAsync(page, "conversations");

        // A reload keeps the filtered view.
        await page.ReloadAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(page.GetByLabel("Search")).ToHaveValueAsync("acme");

        await page.GotoAsync($"{Server.Url}/app/conversations?bot={botId}&q=acme");
        await Expect(rows).ToHaveCountAsync(2);
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Export CSV" }).ClickAsync());
        var csv = await File.ReadAllLinesAsync(await download.PathAsync());
        Assert.StartsWith("id,", csv[0], StringComparison.Ordinal);
        Assert.Equal([withLead, handedOver], csv.Skip(1).Where(line => line.Length > 0).Select(line => line.Split(',')[0]));
        Assert.DoesNotContain(plain, string.Join('\n', csv), StringComparison.Ordinal);
    }
}
