using Parley.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Parley.Browser.Tests.Widget;

/// <summary>axe-core finds no serious or critical violation on the demo page, whatever state the widget is in.</summary>
[Collection(BrowserCollection.Name)]
public sealed class WidgetAxeTests(BrowserFixture fixture)
{
    [Fact]
    public async Task DemoPage_WidgetClosedWithUnreadGreeting_NoSeriousViolations()
    {
        await using var context = await fixture.Browser.NewContextAsync();
        var widget = await WidgetPage.OpenAsync(context, fixture.Server.Url + "/");
        await Expect(widget.Launcher).ToHaveAccessibleNameAsync("Chat with us (1 unread)");

        await Axe.AssertNoSeriousViolationsAsync(widget.Page);
    }

    [Fact]
    public async Task DemoPage_WidgetOpen_NoSeriousViolations()
    {
        await using var context = await fixture.Browser.NewContextAsync();
        var widget = await WidgetPage.OpenAsync(context, fixture.Server.Url + "/");
        await widget.OpenChatAsync();

        await Axe.AssertNoSeriousViolationsAsync(widget.Page);
    }

    [Fact]
    public async Task DemoPage_MidConversationWithQuickRepliesAndLinks_NoSeriousViolations()
    {
        await using var context = await fixture.Browser.NewContextAsync();
        var widget = await WidgetPage.OpenAsync(context, fixture.Server.Url + "/");
        await widget.OpenChatAsync();
        await widget.SendAsync(ScriptedResponder.MenuRequest);
        await Expect(widget.QuickReplies).ToHaveCountAsync(2);
        await widget.QuickReplies.First.ClickAsync();
        await Expect(widget.Bubbles("bot").Last).ToContainTextAsync("Monday to Friday");
        await widget.SendAsync(ScriptedResponder.MenuRequest);
        await Expect(widget.QuickReplies).ToHaveCountAsync(2);

        await Axe.AssertNoSeriousViolationsAsync(widget.Page);
    }

    [Fact]
    public async Task DemoPage_ClosedAfterAReply_NoSeriousViolations()
    {
        await using var context = await fixture.Browser.NewContextAsync();
        var widget = await WidgetPage.OpenAsync(context, fixture.Server.Url + "/");
        await widget.OpenChatAsync();
        await widget.SendAsync(ScriptedResponder.MenuRequest);
        await Expect(widget.QuickReplies).ToHaveCountAsync(2);
        await widget.Page.Keyboard.PressAsync("Escape");
        await Expect(widget.Panel).ToBeHiddenAsync();

        await Axe.AssertNoSeriousViolationsAsync(widget.Page);
    }
}
