using Microsoft.EntityFrameworkCore;
using Parley.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Parley.Browser.Tests.Widget;

[Collection(BrowserCollection.Name)]
public sealed class WidgetResilienceTests(BrowserFixture fixture)
{
    [Fact]
    public async Task ServerRestart_MessageTypedWhileDown_QueuedAndStoredOnce()
    {
        var server = new ParleyServer().Start();
        try
        {
            await using var context = await fixture.Browser.NewContextAsync();
            var widget = await WidgetPage.OpenAsync(context, server.Url + "/");
            await widget.OpenChatAsync();
            await widget.SendAsync("Before the restart");
            await Expect(widget.Bubbles("bot")).ToHaveCountAsync(2);

            await server.DisposeAsync();
            var queued = "Typed while the server was down " + Guid.NewGuid().ToString("N")[..6];
            await widget.SendAsync(queued);
            await Expect(widget.Page.Locator(".row.user.pending")).ToHaveTextAsync(queued + "Sending…");
            await Expect(widget.Status).ToContainTextAsync("Can't reach the chat right now");
            await widget.ScreenshotAsync("11-offline-queued");

            server = new ParleyServer(server.DataDirectory, server.Port).Start();

            await Expect(widget.Bubbles("bot")).ToHaveCountAsync(3, new() { Timeout = 30_000 });
            await Expect(widget.Page.Locator(".row.user.pending")).ToHaveCountAsync(0);
            await Expect(widget.Status).ToBeEmptyAsync();
            await Expect(widget.Bubbles("user")).ToHaveTextAsync(["Before the restart", queued]);
            Assert.Equal(1, await server.CountMessagesAsync(queued));

            // A reload reads the transcript from the server: the message is there once.
            await widget.Page.ReloadAsync();
            await widget.OpenChatAsync();
            await Expect(widget.Bubbles("user")).ToHaveTextAsync(["Before the restart", queued]);
        }
        finally
        {
            await server.DisposeAsync();
            server.DeleteData();
        }
    }

    [Fact]
    public async Task Offline_MessagesTyped_SentInOrderOnceBackOnline()
    {
        await using var context = await fixture.Browser.NewContextAsync();
        var widget = await WidgetPage.OpenAsync(context, fixture.Server.Url + "/");
        await widget.OpenChatAsync();
        var first = "Offline one " + Guid.NewGuid().ToString("N")[..6];
        var second = "Offline two " + Guid.NewGuid().ToString("N")[..6];

        await context.SetOfflineAsync(true);
        await widget.SendAsync(first);
        await widget.SendAsync(second);
        await Expect(widget.Status).ToContainTextAsync("You're offline");
        await Expect(widget.Page.Locator(".row.user.pending")).ToHaveCountAsync(2);
        await context.SetOfflineAsync(false);

        await Expect(widget.Bubbles("bot")).ToHaveCountAsync(3);
        await Expect(widget.Bubbles("user")).ToHaveTextAsync([first, second]);
        await Expect(widget.Status).ToBeEmptyAsync();
        Assert.Equal((1, 1), (await fixture.Server.CountMessagesAsync(first), await fixture.Server.CountMessagesAsync(second)));
        var order = (await fixture.Server.MessagesWithTextAsync(first, second)).Select(m => m.Text).ToList();
        Assert.Equal([first, second], order);
    }

    [Fact]
    public async Task StreamBrokenAfterTheReply_RetryReplaysTheTurn_StoredOnceAndEventsInOrder()
    {
        await using var context = await fixture.Browser.NewContextAsync();
        var widget = await WidgetPage.OpenAsync(context, fixture.Server.Url + "/");
        await widget.OpenChatAsync();
        await widget.Page.EvaluateAsync("""
            () => {
              window.__parley.events = [];
              Parley.on('message', message => window.__parley.events.push(message.role));
            }
            """);
        // The first send reaches the server and its turn commits, but the stream is cut after the reply, before its end.
        var cut = 0;
        await context.RouteAsync("**/v1/conversations/*/messages", async route =>
        {
            if (route.Request.Method != "POST" || Interlocked.Increment(ref cut) > 1)
            {
                await route.ContinueAsync();
                return;
            }
            var response = await route.FetchAsync();
            var stream = await response.TextAsync();
            await route.FulfillAsync(new() { Response = response, Body = stream[..stream.IndexOf("event: done", StringComparison.Ordinal)] });
        });
        var text = "Cut off " + Guid.NewGuid().ToString("N")[..6];

        await widget.SendAsync(text);

        await Expect(widget.Bubbles("bot")).ToHaveCountAsync(2);
        await Expect(widget.Page.Locator(".row.user.pending")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        await widget.Page.WaitForFunctionAsync("() => window.__parley.events.length === 2");
        Assert.Equal(["user", "bot"], await widget.Page.EvaluateAsync<string[]>("() => window.__parley.events"));
        Assert.True(cut >= 2, "the widget sent the message again after the broken stream");
        Assert.Equal(1, await fixture.Server.CountMessagesAsync(text));
        await Expect(widget.Bubbles("bot")).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task RateLimited_MessageOverTheLimit_FriendlyNoticeAndKeptQueued()
    {
        var server = new ParleyServer().With("Parley:RateLimits:WidgetMessagesPerMinute", "1").Start();
        try
        {
            await using var context = await fixture.Browser.NewContextAsync();
            var widget = await WidgetPage.OpenAsync(context, server.Url + "/");
            await widget.OpenChatAsync();
            await widget.SendAsync("The one message a minute");
            await Expect(widget.Bubbles("bot")).ToHaveCountAsync(2);

            await widget.SendAsync("One too many");

            await Expect(widget.Status).ToContainTextAsync("The chat is busy. Trying again in");
            await Expect(widget.Page.Locator(".row.user.pending")).ToHaveTextAsync("One too manySending…");
            Assert.Equal(0, await server.CountMessagesAsync("One too many"));
            await widget.ScreenshotAsync("12-rate-limited");
        }
        finally
        {
            await server.DisposeAsync();
            server.DeleteData();
        }
    }
}
