using Microsoft.Playwright;
using Parley.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Parley.Browser.Tests.Widget;

[Collection(BrowserCollection.Name)]
public sealed class WidgetAccessibilityTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Keyboard_TabEnterTypeEscape_WorksWithoutMouseAndFocusReturns()
    {
        await using var context = await fixture.Browser.NewContextAsync();
        var widget = await WidgetPage.OpenAsync(context, fixture.Server.Url + "/");
        await Expect(widget.Launcher).ToBeVisibleAsync();

        for (var presses = 0; presses < 20 && !await IsFocusedAsync(widget.Launcher); presses++)
        {
            await widget.Page.Keyboard.PressAsync("Tab");
        }
        await Expect(widget.Launcher).ToBeFocusedAsync();
        await Expect(widget.Launcher).ToHaveAttributeAsync("aria-expanded", "false");
        Assert.NotEqual("none", await widget.Launcher.EvaluateAsync<string>("el => getComputedStyle(el).outlineStyle"));

        await widget.Page.Keyboard.PressAsync("Enter");
        await Expect(widget.Panel).ToBeVisibleAsync();
        await Expect(widget.Launcher).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(widget.Input).ToBeFocusedAsync();
        await Expect(widget.Page.GetByRole(AriaRole.Dialog, new() { Name = "Parley Demo" })).ToBeVisibleAsync();
        await Expect(widget.Page.GetByRole(AriaRole.Log)).ToBeVisibleAsync();

        var text = "Typed with the keyboard only " + Guid.NewGuid().ToString("N")[..6];
        await widget.Page.Keyboard.TypeAsync(text);
        await widget.Page.Keyboard.PressAsync("Enter");
        await Expect(widget.Bubbles("user").Last).ToHaveTextAsync(text);
        await Expect(widget.Bubbles("bot")).ToHaveCountAsync(2);
        await widget.Page.Keyboard.PressAsync("Tab");
        await Expect(widget.Page.GetByRole(AriaRole.Button, new() { Name = "Send" })).ToBeFocusedAsync();
        await widget.ScreenshotAsync("08-keyboard-focus");

        await widget.Page.Keyboard.PressAsync("Escape");
        await Expect(widget.Panel).ToBeHiddenAsync();
        await Expect(widget.Launcher).ToBeFocusedAsync();
        await Expect(widget.Launcher).ToHaveAttributeAsync("aria-expanded", "false");
    }

    [Fact]
    public async Task MobileViewport_Open_PanelFillsTheScreen()
    {
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 375, Height = 667 },
            IsMobile = true,
            HasTouch = true,
            DeviceScaleFactor = 2,
        });
        var widget = await WidgetPage.OpenAsync(context, fixture.Server.Url + "/");
        await widget.ScreenshotAsync("09-mobile-closed");

        await widget.OpenChatAsync();

        // Polled: the panel slides in by a few pixels before it settles.
        await Eventually.EqualAsync((0f, 0f, 375f, 667f), async () =>
        {
            var box = await widget.Panel.BoundingBoxAsync();
            return box is null ? default : (box.X, box.Y, box.Width, box.Height);
        });
        await Expect(widget.Launcher).ToBeHiddenAsync();
        await widget.SendAsync(ScriptedResponder.MenuRequest);
        await Expect(widget.QuickReplies).ToHaveCountAsync(2);
        await widget.ScreenshotAsync("10-mobile-open");

        await widget.Page.GetByRole(AriaRole.Button, new() { Name = "Close chat" }).ClickAsync();
        await Expect(widget.Launcher).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ReducedMotion_Preferred_NoAnimations()
    {
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { ReducedMotion = ReducedMotion.Reduce });
        var widget = await WidgetPage.OpenAsync(context, fixture.Server.Url + "/");
        await widget.OpenChatAsync();

        Assert.Equal("none", await widget.Panel.EvaluateAsync<string>("el => getComputedStyle(el).animationName"));
    }

    private static Task<bool> IsFocusedAsync(ILocator locator) =>
        locator.EvaluateAsync<bool>("el => el.getRootNode().activeElement === el && document.activeElement === el.getRootNode().host");
}
