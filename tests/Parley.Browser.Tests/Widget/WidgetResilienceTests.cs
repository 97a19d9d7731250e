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
            await Expect(widget.Status).ToContainTextAsync("offline");
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
}
