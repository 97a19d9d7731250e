using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Parley.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Parley.Browser.Tests.Widget;

[Collection(BrowserCollection.Name)]
public sealed class WidgetConversationTests(BrowserFixture fixture) : IAsyncLifetime
{
    private const string Greeting = "Hi! I'm the Parley demo bot. How can I help you today?";
    private const string Fallback = "Thanks for your message! I can't answer that myself yet, so a member of the team will follow up.";
    private IBrowserContext _context = null!;

    public async Task InitializeAsync() => _context = await fixture.Browser.NewContextAsync();

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public async Task DemoPage_AskAQuestion_ReplyStreamsIn()
    {
        var widget = await WidgetPage.OpenAsync(_context, fixture.Server.Url + "/");
        await Expect(widget.Launcher).ToBeVisibleAsync();
        await Expect(widget.Launcher).ToHaveAccessibleNameAsync("Chat with us (1 unread)");
        await widget.ScreenshotAsync("01-demo-page-closed");

        await widget.OpenChatAsync();
        await Expect(widget.Bubbles("bot").First).ToHaveTextAsync(Greeting);
        await Expect(widget.Page.Locator(".panel header")).ToContainTextAsync("Parley Demo");
        await Expect(widget.Input).ToBeFocusedAsync();
        await widget.ScreenshotAsync("02-open-with-greeting");

        // Record each piece of the reply as the widget draws it.
        await widget.InWidgetAsync<bool>("""
            root => {
              window.__parley.pieces = [];
              new MutationObserver(records => records.forEach(r => {
                if (r.target.classList && r.target.classList.contains('bubble') && r.target.closest('.row.bot') && r.addedNodes.length)
                  window.__parley.pieces.push([...r.addedNodes].map(n => n.textContent).join(''));
              })).observe(root.querySelector('.log'), { childList: true, subtree: true });
              return true;
            }
            """);
        var question = "Do you deliver on Sundays? " + Guid.NewGuid().ToString("N")[..6];
        var streamed = widget.Page.WaitForResponseAsync(r => r.Request.Method == "POST" && r.Url.EndsWith("/messages", StringComparison.Ordinal));
        await widget.SendAsync(question);

        var response = await streamed;
        Assert.StartsWith("text/event-stream", await response.HeaderValueAsync("content-type"), StringComparison.Ordinal);
        Assert.Contains("generate;dur=", await response.HeaderValueAsync("server-timing") ?? "", StringComparison.Ordinal);
        await Expect(widget.Bubbles("user").Last).ToHaveTextAsync(question);
        await Expect(widget.Bubbles("bot").Last).ToHaveTextAsync(Fallback);
        var pieces = await widget.Page.EvaluateAsync<string[]>("() => window.__parley.pieces");
        Assert.True(pieces.Distinct().Count() >= 3, "The reply was drawn at once, not piece by piece: " + string.Join(" | ", pieces));
        Assert.All(pieces, piece => Assert.StartsWith(piece, Fallback, StringComparison.Ordinal));
        await Expect(widget.Page.Locator(".row.user.pending")).ToHaveCountAsync(0);
        await widget.ScreenshotAsync("03-conversation");

        Assert.Equal(1, await fixture.Server.CountMessagesAsync(question));
        Assert.Empty(await widget.ViolationsAsync());
        Assert.Equal("rgb(79, 70, 229)", await widget.Launcher.EvaluateAsync<string>("el => getComputedStyle(el).backgroundColor"));
    }

    [Fact]
    public async Task QuickReply_Pressed_SendsItsValueAndShowsItsLabel()
    {
        var widget = await WidgetPage.OpenAsync(_context, fixture.Server.Url + "/");
        await widget.OpenChatAsync();
        await widget.SendAsync(ScriptedResponder.MenuRequest);

        await Expect(widget.Bubbles("bot").Last).ToHaveTextAsync(ScriptedResponder.MenuReply);
        await Expect(widget.QuickReplies).ToHaveTextAsync([ScriptedResponder.Hours.Label, ScriptedResponder.Pricing.Label]);
        await Expect(widget.Page.GetByRole(AriaRole.Group, new() { Name = "Suggested replies" })).ToBeVisibleAsync();
        await widget.ScreenshotAsync("04-quick-replies");

        await widget.QuickReplies.First.ClickAsync();

        await Expect(widget.Bubbles("user").Last).ToHaveTextAsync(ScriptedResponder.Hours.Label);
        await Expect(widget.Bubbles("bot").Last).ToContainTextAsync("Monday to Friday");
        await Expect(widget.QuickReplies).ToHaveCountAsync(0);
        // The reply's Markdown is drawn as elements: bold, a line break and a safe link.
        var reply = widget.Page.Locator(".row.bot").Last;
        await Expect(reply.Locator("strong")).ToHaveTextAsync("Monday to Friday");
        await Expect(reply.Locator("br")).ToHaveCountAsync(1);
        var link = reply.Locator("a");
        await Expect(link).ToHaveTextAsync("our opening hours");
        await Expect(link).ToHaveAttributeAsync("href", "https://example.com/hours");
        await Expect(link).ToHaveAttributeAsync("rel", "noopener noreferrer");
        await Expect(link).ToHaveAttributeAsync("target", "_blank");
        await widget.ScreenshotAsync("05-markdown-reply");
    }

    [Fact]
    public async Task FirstVisit_BrowsingWithoutOpening_NoConversationUntilTheChatOpens()
    {
        Task<(int Contacts, int Conversations)> CountAsync() => fixture.Server.DbAsync(async db =>
            (await db.Contacts.IgnoreQueryFilters().CountAsync(), await db.Conversations.IgnoreQueryFilters().CountAsync()));
        var before = await CountAsync();

        var widget = await WidgetPage.OpenAsync(_context, fixture.Server.Url + "/");
        await Expect(widget.Launcher).ToHaveAccessibleNameAsync("Chat with us (1 unread)");
        await widget.Page.GotoAsync(fixture.Server.Url + "/?page=2");
        await Expect(widget.Launcher).ToHaveAccessibleNameAsync("Chat with us (1 unread)");
        Assert.Equal(before, await CountAsync());

        await widget.OpenChatAsync();
        await Expect(widget.Bubbles("bot")).ToHaveTextAsync([Greeting]);
        Assert.Equal((before.Contacts + 1, before.Conversations + 1), await CountAsync());
        await widget.SendAsync("Hello after browsing");
        await Expect(widget.Bubbles("bot")).ToHaveCountAsync(2);
        Assert.Equal((before.Contacts + 1, before.Conversations + 1), await CountAsync());
    }

    [Fact]
    public async Task Reload_MidConversation_SameConversationContinues()
    {
        var widget = await WidgetPage.OpenAsync(_context, fixture.Server.Url + "/");
        await widget.OpenChatAsync();
        var first = "Before the reload " + Guid.NewGuid().ToString("N")[..6];
        await widget.SendAsync(first);
        await Expect(widget.Bubbles("bot")).ToHaveCountAsync(2);

        await widget.Page.ReloadAsync();
        await widget.OpenChatAsync();

        await Expect(widget.Bubbles("user")).ToHaveTextAsync([first]);
        await Expect(widget.Bubbles("bot")).ToHaveTextAsync([Greeting, Fallback]);
        var second = "After the reload " + Guid.NewGuid().ToString("N")[..6];
        await widget.SendAsync(second);
        await Expect(widget.Bubbles("bot")).ToHaveCountAsync(3);
        var conversations = (await fixture.Server.MessagesWithTextAsync(first, second)).Select(m => m.ConversationId).Distinct().Count();
        Assert.Equal(1, conversations);
    }

    [Fact]
    public async Task SecondTab_SameVisitor_ShowsAndFollowsTheSameConversation()
    {
        var first = await WidgetPage.OpenAsync(_context, fixture.Server.Url + "/");
        await first.OpenChatAsync();
        var fromFirst = "Sent from the first tab " + Guid.NewGuid().ToString("N")[..6];
        await first.SendAsync(fromFirst);
        await Expect(first.Bubbles("bot")).ToHaveCountAsync(2);

        var second = await WidgetPage.OpenAsync(_context, fixture.Server.Url + "/");
        await second.OpenChatAsync();
        await Expect(second.Bubbles("user")).ToHaveTextAsync([fromFirst]);

        var fromSecond = "Sent from the second tab " + Guid.NewGuid().ToString("N")[..6];
        await second.SendAsync(fromSecond);
        await Expect(second.Bubbles("bot")).ToHaveCountAsync(3);

        // The first tab hears of it through localStorage and reads the new messages.
        await Expect(first.Bubbles("user")).ToHaveTextAsync([fromFirst, fromSecond]);
        await Expect(first.Bubbles("bot")).ToHaveCountAsync(3);
    }

    [Fact]
    public async Task JavaScriptApi_OpenIdentifyClose_EventsFireAndContactIsUpdated()
    {
        var widget = await WidgetPage.OpenAsync(_context, fixture.Server.Url + "/");
        await Expect(widget.Launcher).ToBeVisibleAsync();
        await widget.Page.EvaluateAsync("""
            () => {
              window.__parley.events = [];
              ['open', 'close', 'message', 'lead'].forEach(name => Parley.on(name, detail =>
                window.__parley.events.push(name === 'message' ? name + ':' + detail.role : name)));
            }
            """);
        var email = $"visitor-{Guid.NewGuid():N}@example.com";

        await widget.Page.EvaluateAsync("() => Parley.open()");
        await Expect(widget.Panel).ToBeVisibleAsync();
        // A first visit starts its conversation when the chat opens: the greeting arrives as a message.
        await Expect(widget.Bubbles("bot")).ToHaveCountAsync(1);
        await widget.Page.EvaluateAsync("email => Parley.identify({ email, name: 'Ada Visitor' })", email);
        await widget.SendAsync("Hello after identify");
        // The reply's bubble is drawn while the turn's stream is still open; the turn's 'message' events fire when it
        // ends, the visitor's message first. Closing on the bubble alone would race them.
        await widget.Page.WaitForFunctionAsync("() => window.__parley.events.filter(name => name.startsWith('message')).length === 3");
        await Expect(widget.Bubbles("bot")).ToHaveCountAsync(2);
        await widget.Page.EvaluateAsync("() => Parley.close()");
        await Expect(widget.Panel).ToBeHiddenAsync();

        var events = await widget.Page.EvaluateAsync<string[]>("() => window.__parley.events");
        var blank = await _context.NewPageAsync(); // the same origin without the widget
        await blank.RouteAsync(fixture.Server.Url + "/blank", route => route.FulfillAsync(new() { ContentType = "text/html", Body = "<!doctype html><title>blank</title>" }));
        await blank.GotoAsync(fixture.Server.Url + "/blank");
        var pageGlobals = await blank.EvaluateAsync<string[]>("() => Object.getOwnPropertyNames(window)");
        var widgetGlobals = await widget.Page.EvaluateAsync<string[]>("() => Object.getOwnPropertyNames(window)");
        Assert.Equal(["Parley", "__parley"], widgetGlobals.Except(pageGlobals).Order(StringComparer.Ordinal));
        Assert.Equal(["open", "message:bot", "lead", "message:user", "message:bot", "close"], events);
        var contacts = await fixture.Server.DbAsync(db => Task.FromResult(
            // Emails are encrypted at rest: a contact is found by email through its blind index.
            db.Contacts.IgnoreQueryFilters().Where(c => c.EmailIndex == db.Cipher!.EmailIndex(email)).Select(c => c.Name).ToList()));
        Assert.Equal(["Ada Visitor"], contacts);
        var identified = (await fixture.Server.MessagesWithTextAsync("Hello after identify")).Select(m => m.ConversationId).ToList();
        var conversationContact = await fixture.Server.DbAsync(db => Task.FromResult(
            db.Conversations.IgnoreQueryFilters().Where(c => identified.Contains(c.Id))
                .Join(db.Contacts.IgnoreQueryFilters(), c => c.ContactId, c => c.Id, (_, c) => c.Email).ToList()));
        Assert.Contains(email, conversationContact);
    }

    [Fact]
    public async Task Metadata_LandedWithUtmThenOpenedChatOnAnotherPage_LandingUtmKept()
    {
        var widget = await WidgetPage.OpenAsync(_context, fixture.Server.Url + "/?utm_source=ads&utm_medium=cpc");
        await Expect(widget.Launcher).ToHaveAccessibleNameAsync("Chat with us (1 unread)");
        await widget.Page.GotoAsync(fixture.Server.Url + "/?page=pricing");
        await widget.OpenChatAsync();
        var text = "Landed from an ad " + Guid.NewGuid().ToString("N")[..6];
        await widget.SendAsync(text);
        await Expect(widget.Bubbles("bot")).ToHaveCountAsync(2);

        var conversationId = (await fixture.Server.MessagesWithTextAsync(text)).Single().ConversationId;
        var conversation = await fixture.Server.DbAsync(db => db.Conversations.IgnoreQueryFilters().SingleAsync(c => c.Id == conversationId));
        Assert.Equal(fixture.Server.Url + "/?page=pricing", conversation.PageUrl);
        Assert.Equal("ads", conversation.Utm["utm_source"]);
        Assert.Equal("cpc", conversation.Utm["utm_medium"]);
    }

    [Fact]
    public async Task Metadata_PageWithUtmThenNavigationAndLocale_StoredOnTheConversation()
    {
        var widget = await WidgetPage.OpenAsync(_context, fixture.Server.Url + "/?utm_source=newsletter&utm_campaign=spring");
        await widget.OpenChatAsync();
        var text = "Where am I? " + Guid.NewGuid().ToString("N")[..6];
        await widget.SendAsync(text);
        await Expect(widget.Bubbles("bot")).ToHaveCountAsync(2);
        var conversationId = (await fixture.Server.MessagesWithTextAsync(text)).Single().ConversationId;
        var landed = await fixture.Server.DbAsync(db => db.Conversations.IgnoreQueryFilters().SingleAsync(c => c.Id == conversationId));
        Assert.Equal(fixture.Server.Url + "/?utm_source=newsletter&utm_campaign=spring", landed.PageUrl);
        Assert.Equal("newsletter", landed.Utm["utm_source"]);
        Assert.Equal("spring", landed.Utm["utm_campaign"]);
        Assert.Equal("en", landed.Locale); // the page's own language (html lang) comes first

        // A single-page app moves on and the visitor switches language: the next message carries both.
        await widget.Page.EvaluateAsync("() => { history.pushState(null, '', '/pricing?plan=team'); Parley.setLocale('fr-FR'); }");
        await Expect(widget.Input).ToHaveAttributeAsync("placeholder", "Écrivez un message…");
        await widget.SendAsync("Et maintenant ?");
        await Expect(widget.Bubbles("bot")).ToHaveCountAsync(3);

        var moved = await fixture.Server.DbAsync(db => db.Conversations.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Id == conversationId));
        Assert.Equal(fixture.Server.Url + "/pricing?plan=team", moved.PageUrl);
        Assert.Equal("fr-FR", moved.Locale);
    }
}
