using Microsoft.Playwright;
using Parley.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Parley.Browser.Tests.Widget;

/// <summary>The API reference at /docs shows Parley's API, and no buttons for services Parley does not offer.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ApiReferenceTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Docs_Loaded_ShowsTheApiWithoutThirdPartyServiceButtons()
    {
        await using var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(fixture.Server.Url + "/docs");

        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Open Group - Conversations" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await page.ScreenshotAsync(new() { Path = Screenshots.PathFor("11-api-reference") });

        foreach (var label in new[] { "Ask AI", "Generate SDK", "Deploy", "Developer Tools", "Configure", "Share", "MCP" })
        {
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = label })).ToHaveCountAsync(0);
        }
    }
}
