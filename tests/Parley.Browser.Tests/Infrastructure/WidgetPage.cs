using Microsoft.Playwright;

namespace Parley.Browser.Tests.Infrastructure;

/// <summary>
/// A browser tab on a page that embeds the widget, with the widget's parts as locators (Playwright's CSS locators see
/// into the open shadow root). It records dialogs and Content-Security-Policy violations, which no page may have.
/// </summary>
public sealed class WidgetPage
{
    private const string Watch = """
        window.__parley = { violations: [] };
        document.addEventListener('securitypolicyviolation', e => window.__parley.violations.push(e.violatedDirective + ' ' + e.blockedURI));
        """;

    private WidgetPage(IPage page)
    {
        Page = page;
        page.Dialog += (_, dialog) =>
        {
            Dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };
    }

    public IPage Page { get; }
    public List<string> Dialogs { get; } = [];

    public ILocator Launcher => Page.Locator(".launcher");
    public ILocator Panel => Page.Locator(".panel");
    public ILocator Input => Page.Locator(".panel textarea");
    public ILocator Status => Page.Locator(".panel .status");
    public ILocator Log => Page.Locator(".panel .log");
    public ILocator QuickReplies => Page.Locator(".choices button");

    /// <summary>The bubbles of one role (<c>user</c>, <c>bot</c>, <c>agent</c>), oldest first.</summary>
    public ILocator Bubbles(string role) => Page.Locator($".row.{role}:not(.typing) .bubble");

    public static async Task<WidgetPage> OpenAsync(IBrowserContext context, string url)
    {
        var page = await context.NewPageAsync();
        await page.AddInitScriptAsync(Watch);
        var widget = new WidgetPage(page);
        await page.GotoAsync(url);
        return widget;
    }

    /// <summary>Opens the chat with the launcher and waits for the conversation (the greeting) to be on screen.</summary>
    public async Task OpenChatAsync()
    {
        await Launcher.ClickAsync();
        await Assertions.Expect(Panel).ToBeVisibleAsync();
        await Assertions.Expect(Bubbles("bot").First).ToBeVisibleAsync();
    }

    public async Task SendAsync(string text)
    {
        await Input.FillAsync(text);
        await Input.PressAsync("Enter");
    }

    public Task<string[]> ViolationsAsync() => Page.EvaluateAsync<string[]>("() => window.__parley.violations");

    /// <summary>Evaluates a function of the widget's shadow root.</summary>
    public Task<T> InWidgetAsync<T>(string function) =>
        Page.EvaluateAsync<T>($"() => ({function})(document.querySelector('[data-parley]').shadowRoot)");

    public Task ScreenshotAsync(string name) => Page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshots.PathFor(name), Animations = ScreenshotAnimations.Disabled });
}

/// <summary>Screenshots of the widget's main states, kept as test artifacts in <c>TestResults/screenshots</c>.</summary>
public static class Screenshots
{
    public static string PathFor(string name)
    {
        var folder = RepositoryFiles.PathOf("TestResults/screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name + ".png");
    }
}

public static class RepositoryFiles
{
    /// <summary>The absolute path of a file given relative to the repository root (where Parley.slnx is).</summary>
    public static string PathOf(string relative)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Parley.slnx")))
        {
            directory = directory.Parent;
        }
        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Parley.slnx not found above the test binaries."), relative);
    }
}
