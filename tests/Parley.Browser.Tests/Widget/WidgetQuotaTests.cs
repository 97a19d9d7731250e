using Microsoft.EntityFrameworkCore;
using Parley.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Parley.Browser.Tests.Widget;

[Collection(BrowserCollection.Name)]
public sealed class WidgetQuotaTests(BrowserFixture fixture)
{
    // A quota's Retry-After is the month's end; the widget looks again after five minutes at most.
    private const string Busy = "The chat is busy. Trying again in 300 s…";

    [Fact]
    public async Task MessageQuotaUsedUp_NextMessage_BusyNoticeAndKeptQueued()
    {
        var server = new ParleyServer()
            .With("Parley:Plans:DefaultPlan", "tiny")
            .With("Parley:Plans:Definitions:tiny:Messages", "1")
            .Start();
        try
        {
            await using var context = await fixture.Browser.NewContextAsync();
            var widget = await WidgetPage.OpenAsync(context, server.Url + "/");
            await widget.OpenChatAsync();
            await widget.SendAsync("The month's one message");
            await Expect(widget.Bubbles("bot")).ToHaveCountAsync(2);

            await widget.SendAsync("One past the plan");

            await Expect(widget.Status).ToHaveTextAsync(Busy);
            await Expect(widget.Page.Locator(".row.user.pending")).ToHaveTextAsync("One past the planSending…");
            await Expect(widget.Input).ToBeEnabledAsync();
            Assert.Equal(0, await server.CountMessagesAsync("One past the plan"));
            Assert.Empty(await widget.ViolationsAsync());
            await widget.ScreenshotAsync("14-quota-paused");
        }
        finally
        {
            await server.DisposeAsync();
            server.DeleteData();
        }
    }

    [Fact]
    public async Task ConversationQuotaUsedUp_NewVisitor_LauncherOpensOnTheNotice()
    {
        var server = new ParleyServer()
            .With("Parley:Plans:DefaultPlan", "none")
            .With("Parley:Plans:Definitions:none:ConversationsStarted", "0")
            .Start();
        try
        {
            await using var context = await fixture.Browser.NewContextAsync();
            var widget = await WidgetPage.OpenAsync(context, server.Url + "/");
            await widget.Launcher.ClickAsync();

            await Expect(widget.Panel).ToBeVisibleAsync();
            await Expect(widget.Status).ToHaveTextAsync(Busy);
            Assert.Equal(0, await server.DbAsync(db => db.Conversations.IgnoreQueryFilters().CountAsync()));
        }
        finally
        {
            await server.DisposeAsync();
            server.DeleteData();
        }
    }
}
