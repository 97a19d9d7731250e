using Parley.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Parley.Browser.Tests.Widget;

/// <summary>The bot's greeting opens the conversation on screen, even when the visitor writes before the session is open.</summary>
[Collection(BrowserCollection.Name)]
public sealed class WidgetGreetingOrderTests(BrowserFixture fixture)
{
    private const string Greeting = "Hi! I'm the Parley demo bot. How can I help you today?";
    private const string Fallback = "Thanks for your message! I can't answer that myself yet, so a member of the team will follow up.";

    [Fact]
    public async Task FirstQuestion_WrittenBeforeTheSessionOpens_ShownBelowTheGreeting()
    {
        await using var context = await fixture.Browser.NewContextAsync();
        var widget = await WidgetPage.OpenAsync(context, fixture.Server.Url + "/");
        await Expect(widget.Launcher).ToBeVisibleAsync();
        // Hold the session back until the question is on screen, as a slow network or a busy server would.
        var questionShown = new TaskCompletionSource();
        await widget.Page.RouteAsync("**/v1/widget/sessions", async route =>
        {
            await questionShown.Task.WaitAsync(TimeSpan.FromSeconds(15));
            await route.ContinueAsync();
        });
        var question = "Are you open on Saturdays? " + Guid.NewGuid().ToString("N")[..6];

        await widget.Launcher.ClickAsync();
        await widget.SendAsync(question);
        await Expect(widget.Page.Locator(".row.user.pending")).ToHaveCountAsync(1);
        questionShown.SetResult();

        await Expect(widget.Page.Locator(".row.user.pending")).ToHaveCountAsync(0);
        await Expect(widget.Bubbles("bot")).ToHaveCountAsync(2);
        await Expect(widget.Page.Locator(".log .row .bubble")).ToHaveTextAsync([Greeting, question, Fallback]);

        await widget.Page.ReloadAsync();
        await widget.OpenChatAsync();
        await Expect(widget.Page.Locator(".log .row .bubble")).ToHaveTextAsync([Greeting, question, Fallback]);
    }
}
