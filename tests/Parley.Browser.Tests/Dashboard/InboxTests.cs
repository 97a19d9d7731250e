using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Parley.Browser.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Parley.Browser.Tests.Dashboard;

/// <summary>A person staffs handoffs from the dashboard while a visitor talks in the widget, on one server.</summary>
[Collection(BrowserCollection.Name)]
public sealed class InboxTests : IClassFixture<InboxTests.StaffedServer>
{
    public const string AgentEmail = "ada@shop.example";
    public const string ViewerEmail = "vic@shop.example";
    private readonly BrowserFixture _fixture;
    private readonly StaffedServer _staffed;
    private readonly ITestOutputHelper _output;

    public InboxTests(BrowserFixture fixture, StaffedServer staffed, ITestOutputHelper output)
    {
        (_fixture, _staffed, _output) = (fixture, staffed, output);
        SetDefaultExpectTimeout(30_000);
    }

    /// <summary>A server with an owner and an agent (Ada), both made through the API.</summary>
    public sealed class StaffedServer : IAsyncLifetime
    {
        public ParleyServer Server { get; } = new();

        public async Task InitializeAsync()
        {
            Server.Start();
            await Dashboard.CreateOwnerAsync(Server);
            using var owner = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(Server.Url) };
            var session = await ReadAsync(await owner.PostAsJsonAsync("/v1/auth/sign-in", new JsonObject { ["email"] = Dashboard.OwnerEmail, ["password"] = Dashboard.Password }));
            owner.DefaultRequestHeaders.Add("X-CSRF-Token", (string)session["csrf_token"]!);
            await JoinAsync(owner, AgentEmail, "agent", "Ada Agent");
            await JoinAsync(owner, ViewerEmail, "viewer", "Vic Viewer");
        }

        private async Task JoinAsync(HttpClient owner, string email, string role, string name)
        {
            var invitation = await ReadAsync(await owner.PostAsJsonAsync("/v1/invitations", new JsonObject { ["email"] = email, ["role"] = role }));
            var url = (string)invitation["url"]!;
            var token = Uri.UnescapeDataString(url[(url.IndexOf("#token=", StringComparison.Ordinal) + 7)..]);
            using var anonymous = new HttpClient { BaseAddress = new Uri(Server.Url) };
            await ReadAsync(await anonymous.PostAsJsonAsync("/v1/auth/invitations/accept",
                new JsonObject { ["token"] = token, ["password"] = Dashboard.Password, ["name"] = name }));
        }

        public static async Task<JsonNode> ReadAsync(HttpResponseMessage response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, text);
            return JsonNode.Parse(text)!;
        }

        public async Task DisposeAsync()
        {
            await Server.DisposeAsync();
            Server.DeleteData();
        }
    }

    private ParleyServer Server => _staffed.Server;

    [Fact]
    public async Task Handoff_AppearsLive_AgentClaimsAndReplies_VisitorSeesReplyLive_ReturnedToBot()
    {
        await using var agentContext = await _fixture.Browser.NewContextAsync();
        var agent = await agentContext.NewPageAsync();
        await Dashboard.SignInAsync(agent, Server, AgentEmail);
        await Dashboard.Nav(agent, "Inbox").ClickAsync();
        await Expect(Dashboard.Heading(agent, "Inbox")).ToBeVisibleAsync();
        await Expect(agent.GetByTestId("waiting-empty")).ToBeVisibleAsync();
        await Axe.AssertNoSeriousViolationsAsync(agent, "inbox");

        await using var visitorContext = await _fixture.Browser.NewContextAsync();
        var widget = await WidgetPage.OpenAsync(visitorContext, Server.Url + "/");
        await widget.OpenChatAsync();
        var ask = "I want to talk to a person about my order " + Guid.NewGuid().ToString("N")[..6];
        var asked = Stopwatch.StartNew();
        await widget.SendAsync(ask);

        // No reload: the inbox stream brings the handoff, and the tab title says so.
        var waiting = agent.GetByTestId("waiting").Locator("tbody tr");
        await Expect(waiting).ToHaveCountAsync(1);
        _output.WriteLine($"visitor message to agent's inbox: {asked.ElapsedMilliseconds} ms");
        await Expect(agent).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("New handoff"));
        await Expect(widget.Status).ToHaveTextAsync("Waiting for a person…");
        await Axe.AssertNoSeriousViolationsAsync(agent, "inbox with a handoff");
        await Dashboard.ScreenshotAsync(agent, "11-inbox");

        await waiting.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(Dashboard.Heading(agent, "Conversation")).ToBeVisibleAsync();
        await Expect(agent.GetByTestId("transcript")).ToContainTextAsync(ask);
        await Expect(agent.GetByTestId("status")).ToHaveTextAsync("Waiting for a person");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Claim" }).ClickAsync();
        await Expect(agent.GetByTestId("status")).ToHaveTextAsync("With you");

        var reply = "Hello, Ada here from the team. " + Guid.NewGuid().ToString("N")[..6];
        await agent.GetByLabel("Reply to the visitor").FillAsync(reply);
        var replied = Stopwatch.StartNew();
        await agent.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(widget.Bubbles("agent").Last).ToHaveTextAsync(reply);
        _output.WriteLine($"agent reply to visitor's widget: {replied.ElapsedMilliseconds} ms");
        await Expect(widget.Status).ToHaveTextAsync("You're chatting with a person");

        // The visitor's answer reaches the agent's screen live.
        var answer = "Thanks! Order 1042 " + Guid.NewGuid().ToString("N")[..6];
        await widget.SendAsync(answer);
        await Expect(agent.GetByTestId("transcript").Locator("[data-role=user]").Last).ToContainTextAsync(answer);
        await Expect(agent.GetByTestId("transcript").Locator("[data-role=agent]").Last).ToContainTextAsync("Ada Agent");
        await Axe.AssertNoSeriousViolationsAsync(agent, "conversation");
        await Dashboard.ScreenshotAsync(agent, "12-conversation");

        await agent.GetByRole(AriaRole.Button, new() { Name = "Return to bot" }).ClickAsync();
        await Expect(agent.GetByTestId("status")).ToHaveTextAsync("With the bot");
        await Expect(widget.Log).ToContainTextAsync("You're back with our assistant");

        await Dashboard.Nav(agent, "Conversations").ClickAsync();
        await Expect(Dashboard.Heading(agent, "Conversations")).ToBeVisibleAsync();
        await Expect(agent.Locator("tbody tr")).Not.ToHaveCountAsync(0);
        await Axe.AssertNoSeriousViolationsAsync(agent, "conversations");
    }

    [Fact]
    public async Task CannedResponseAndNote_AdminDefinesReply_AgentInsertsIt_NoteNeverReachesTheWidget()
    {
        // The owner keeps a canned response in the settings.
        await using var ownerContext = await _fixture.Browser.NewContextAsync();
        var owner = await ownerContext.NewPageAsync();
        await Dashboard.SignInAsync(owner, Server);
        await Dashboard.OpenAsync(owner, "/app/settings/canned-responses");
        await Expect(Dashboard.Heading(owner, "Canned responses")).ToBeVisibleAsync();
        var cannedText = "We open at nine every weekday " + Guid.NewGuid().ToString("N")[..6];
        await owner.GetByLabel("Shortcut").FillAsync("opening");
        await owner.GetByLabel("Text", new() { Exact = true }).FillAsync(cannedText);
        await owner.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        await Expect(owner.Locator("tbody")).ToContainTextAsync("/opening");
        await owner.GetByLabel("Shortcut").FillAsync("opening");
        await owner.GetByLabel("Text", new() { Exact = true }).FillAsync("A second one with the same shortcut");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Alert)).ToContainTextAsync("already has a canned response");
        await Axe.AssertNoSeriousViolationsAsync(owner, "canned responses");

        // The agent turns on new-handoff alerts; the browser's notifications are stood in for, and the tab is in the background.
        await using var agentContext = await _fixture.Browser.NewContextAsync();
        await agentContext.AddInitScriptAsync("""
            window.__notifications = [];
            window.Notification = class { static permission = 'granted'; static requestPermission() { return Promise.resolve('granted'); }
              constructor(title, options) { window.__notifications.push(title + ': ' + options.body); } };
            Object.defineProperty(document, 'visibilityState', { get: () => 'hidden' });
            """);
        var agent = await agentContext.NewPageAsync();
        await Dashboard.SignInAsync(agent, Server, AgentEmail);
        await Dashboard.Nav(agent, "Inbox").ClickAsync();
        await agent.GetByLabel("Sound and desktop notification on a new handoff").ClickAsync();
        await Expect(agent.GetByLabel("Sound and desktop notification on a new handoff")).ToBeCheckedAsync();

        await using var visitorContext = await _fixture.Browser.NewContextAsync();
        var widget = await WidgetPage.OpenAsync(visitorContext, Server.Url + "/");
        await widget.OpenChatAsync();
        await widget.SendAsync("Can I talk to a person about opening hours?");
        await Expect(widget.Status).ToHaveTextAsync("Waiting for a person…");

        var waiting = agent.GetByTestId("waiting").Locator("tbody tr");
        await Expect(waiting).ToHaveCountAsync(1);
        await Eventually.EqualAsync("New handoff: A visitor is waiting for a person.",
            () => agent.EvaluateAsync<string>("() => window.__notifications.join('|')"));
        await waiting.GetByRole(AriaRole.Link).ClickAsync();
        await agent.GetByRole(AriaRole.Button, new() { Name = "Claim" }).ClickAsync();
        await Expect(agent.GetByTestId("status")).ToHaveTextAsync("With you");

        // Typing both ways, live: the agent sees the visitor typing, the visitor sees the agent typing.
        await widget.Input.PressSequentiallyAsync("I also wanted to ask");
        await Expect(agent.GetByTestId("visitor-typing")).ToHaveTextAsync("The visitor is typing…");
        await agent.GetByLabel("Reply to the visitor").PressSequentiallyAsync("Let me check");
        await Expect(widget.Page.Locator(".row.agent.typing")).ToBeVisibleAsync();
        await Expect(widget.Page.Locator(".row.agent.typing")).ToContainTextAsync("Ada Agent is typing");
        await agent.GetByLabel("Reply to the visitor").FillAsync("");
        await widget.Input.FillAsync("");

        // An internal note, for the team only.
        var note = "Regular customer, be generous " + Guid.NewGuid().ToString("N")[..6];
        await agent.GetByLabel("Add a note for your team").FillAsync(note);
        await agent.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();
        await Expect(agent.GetByTestId("notes")).ToContainTextAsync(note);
        await Expect(agent.GetByTestId("notes")).ToContainTextAsync("Ada Agent");

        // "/" offers the canned responses; choosing one fills the reply box, which sends it as the agent's message.
        await agent.GetByLabel("Reply to the visitor").PressSequentiallyAsync("/open");
        var suggestion = agent.GetByTestId("canned-suggestions").GetByText("/opening");
        await Expect(suggestion).ToBeVisibleAsync();
        await Axe.AssertNoSeriousViolationsAsync(agent, "conversation with notes and canned responses");
        await suggestion.ClickAsync();
        await Expect(agent.GetByLabel("Reply to the visitor")).ToHaveValueAsync(cannedText);
        await agent.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(widget.Bubbles("agent").Last).ToHaveTextAsync(cannedText);

        // The visitor's next message arrives after the note: the widget had every chance to show it, and did not.
        await widget.SendAsync("Thanks!");
        await Expect(agent.GetByTestId("transcript").Locator("[data-role=user]").Last).ToContainTextAsync("Thanks!");
        await Expect(widget.Log).Not.ToContainTextAsync(note);
        Assert.DoesNotContain(note, await widget.Page.ContentAsync(), StringComparison.Ordinal);

        await agent.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Expect(agent.GetByTestId("status")).ToHaveTextAsync("Closed");
    }

    [Fact]
    public async Task ContactPanel_AgentSeesEmail_ViewerDoesNot()
    {
        using var api = new HttpClient { BaseAddress = new Uri(Server.Url) };
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ParleyServer.OwnerKey);
        var bots = await StaffedServer.ReadAsync(await api.GetAsync("/v1/bots"));
        var started = await StaffedServer.ReadAsync(await api.PostAsJsonAsync("/v1/conversations", new JsonObject
        {
            ["bot_id"] = (string)bots["data"]![0]!["id"]!, ["contact"] = new JsonObject { ["email"] = "pat@visitor.example", ["name"] = "Pat" },
        }));
        var path = "/app/conversations/" + (string)started["conversation"]!["id"]!;

        await using var agentContext = await _fixture.Browser.NewContextAsync();
        var agent = await agentContext.NewPageAsync();
        await Dashboard.SignInAsync(agent, Server, AgentEmail);
        await Dashboard.OpenAsync(agent, path);
        await Expect(agent.GetByTestId("contact")).ToContainTextAsync("pat@visitor.example");

        await using var viewerContext = await _fixture.Browser.NewContextAsync();
        var viewer = await viewerContext.NewPageAsync();
        await Dashboard.SignInAsync(viewer, Server, ViewerEmail);
        await Dashboard.OpenAsync(viewer, path);
        await Expect(viewer.GetByTestId("contact")).ToContainTextAsync("hidden for your role");
        await Expect(viewer.GetByTestId("contact")).Not.ToContainTextAsync("pat@visitor.example");
        await Expect(viewer.GetByRole(AriaRole.Button, new() { Name = "Close" })).ToHaveCountAsync(0);
        Assert.DoesNotContain("pat@visitor.example", await viewer.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContactPanel_AgentDownloadsThenErasesAfterConfirming_ViewerGetsNeither()
    {
        using var api = new HttpClient { BaseAddress = new Uri(Server.Url) };
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ParleyServer.OwnerKey);
        var bots = await StaffedServer.ReadAsync(await api.GetAsync("/v1/bots"));
        var started = await StaffedServer.ReadAsync(await api.PostAsJsonAsync("/v1/conversations", new JsonObject
        {
            ["bot_id"] = (string)bots["data"]![0]!["id"]!,
            ["contact"] = new JsonObject { ["email"] = "robin@visitor.example", ["name"] = "Robin Rights", ["phone"] = "+44 20 7946 0123" },
        }));
        var contactId = (string)started["conversation"]!["contact_id"]!;
        var path = "/app/conversations/" + (string)started["conversation"]!["id"]!;
        async Task<JsonNode> ContactAsync() => await StaffedServer.ReadAsync(await api.GetAsync($"/v1/contacts/{contactId}"));

        await using var viewerContext = await _fixture.Browser.NewContextAsync();
        var viewer = await viewerContext.NewPageAsync();
        await Dashboard.SignInAsync(viewer, Server, ViewerEmail);
        await Dashboard.OpenAsync(viewer, path);
        await Expect(viewer.GetByTestId("contact")).ToContainTextAsync("hidden for your role");
        await Expect(viewer.GetByRole(AriaRole.Link, new() { Name = "Download this contact's data" })).ToHaveCountAsync(0);
        await Expect(viewer.GetByRole(AriaRole.Button, new() { Name = "Erase this contact" })).ToHaveCountAsync(0);

        await using var agentContext = await _fixture.Browser.NewContextAsync(new() { AcceptDownloads = true });
        var agent = await agentContext.NewPageAsync();
        await Dashboard.SignInAsync(agent, Server, AgentEmail);
        await Dashboard.OpenAsync(agent, path);
        await Expect(agent.GetByTestId("contact")).ToContainTextAsync("robin@visitor.example");
        await Axe.AssertNoSeriousViolationsAsync(agent, "conversation with the contact's rights");

        var download = await agent.RunAndWaitForDownloadAsync(() => agent.GetByRole(AriaRole.Link, new() { Name = "Download this contact's data" }).ClickAsync());
        var exported = JsonNode.Parse(await File.ReadAllTextAsync(await download.PathAsync()))!;
        Assert.Equal(contactId, (string?)exported["contact"]!["id"]);
        Assert.Equal("robin@visitor.example", (string?)exported["contact"]!["email"]);
        Assert.Equal((string)started["conversation"]!["id"]!, (string?)exported["conversations"]![0]!["id"]);

        // Erasure asks first, naming what goes; cancelling keeps everything.
        var erase = agent.GetByRole(AriaRole.Button, new() { Name = "Erase this contact" });
        await erase.ClickAsync();
        var dialog = agent.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("Erase Robin Rights?");
        await Expect(dialog).ToContainTextAsync("name, email, phone");
        await Axe.AssertNoSeriousViolationsAsync(agent, "erase contact confirmation");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        Assert.Equal("robin@visitor.example", (string?)(await ContactAsync())["email"]);

        await erase.ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Erase", Exact = true }).ClickAsync();
        await Expect(agent.GetByTestId("contact-rights").GetByRole(AriaRole.Status)).ToContainTextAsync("Erased");
        await Expect(agent.GetByTestId("contact")).Not.ToContainTextAsync("robin@visitor.example");
        var erased = await ContactAsync();
        Assert.False((bool)erased["pii_hidden"]!);
        Assert.Null(erased["email"]);
        Assert.Null(erased["name"]);
        Assert.Null(erased["phone"]);
        Assert.DoesNotContain("robin@visitor.example", await api.GetStringAsync($"/v1/contacts/{contactId}/export"), StringComparison.Ordinal);
    }
}
