using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Parley.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Parley.Browser.Tests.Widget;

[Collection(BrowserCollection.Name)]
public sealed class WidgetSafetyTests(BrowserFixture fixture) : IAsyncLifetime
{
    private IBrowserContext _context = null!;

    public async Task InitializeAsync() => _context = await fixture.Browser.NewContextAsync();

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Theory]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("<script>alert(2)</script>")]
    [InlineData("[click me](javascript:alert(3)) **<b onmouseover=alert(4)>bold</b>**")]
    public async Task Send_XssPayload_ShownAsTextByVisitorAndBot(string payload)
    {
        var widget = await WidgetPage.OpenAsync(_context, fixture.Server.Url + "/");
        await widget.OpenChatAsync();

        await widget.SendAsync(ScriptedResponder.EchoPrefix + payload);

        await Expect(widget.Bubbles("bot").Last).ToContainTextAsync("You said: ");
        Assert.Equal(ScriptedResponder.EchoPrefix + payload, await widget.Bubbles("user").Last.TextContentAsync());
        var echoed = await widget.Bubbles("bot").Last.TextContentAsync() ?? "";
        Assert.Contains(payload.Replace("**", "", StringComparison.Ordinal), echoed.Replace("**", "", StringComparison.Ordinal), StringComparison.Ordinal);
        // Nothing the visitor or the bot wrote became an element other than the Markdown subset, nor a javascript: link.
        var elements = await widget.InWidgetAsync<string[]>(
            "root => [...root.querySelectorAll('.log .bubble *')].map(e => e.tagName.toLowerCase())");
        Assert.All(elements, tag => Assert.Contains(tag, new[] { "strong", "em", "br", "a" }));
        Assert.Equal(0, await widget.InWidgetAsync<int>("root => root.querySelectorAll('.log a[href^=\"javascript\"], .log img, .log script, .log b').length"));
        await widget.Page.Mouse.MoveAsync(10, 10);
        Assert.Empty(widget.Dialogs);
        Assert.Empty(await widget.ViolationsAsync());
        if (payload.StartsWith("<img", StringComparison.Ordinal))
        {
            await widget.ScreenshotAsync("06-xss-as-text");
        }
    }

    [Fact]
    public async Task Open_OnOriginTheKeyDoesNotAllow_ClearErrorAndNoSession()
    {
        var before = await fixture.Server.DbAsync(db => db.Conversations.IgnoreQueryFilters().CountAsync());
        var widget = await WidgetPage.OpenAsync(_context, fixture.Server.OtherOriginUrl + "/");

        await widget.Launcher.ClickAsync();

        var error = widget.Page.GetByRole(AriaRole.Alert);
        await Expect(error).ToContainTextAsync("This chat isn't enabled on this website");
        await Expect(error).ToContainTextAsync(fixture.Server.OtherOriginUrl);
        await Expect(widget.Input).ToBeDisabledAsync();
        await Expect(widget.Page.Locator(".warn")).ToContainTextAsync("not allowed for the demo key");
        await widget.ScreenshotAsync("07-origin-not-allowed");
        Assert.Equal(before, await fixture.Server.DbAsync(db => db.Conversations.IgnoreQueryFilters().CountAsync()));
    }
}
