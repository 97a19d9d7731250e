using Microsoft.Playwright;
using Parley.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Parley.Browser.Tests.Dashboard;

/// <summary>A server of its own, on an empty database: the first owner arrives through the setup link.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardFirstRunTests(BrowserFixture fixture) : IAsyncLifetime
{
    private readonly ParleyServer _server = new();

    public Task InitializeAsync()
    {
        _server.Start();
        SetDefaultExpectTimeout(30_000);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _server.DeleteData();
    }

    [Fact]
    public async Task SetupLink_OwnerCreatedThenSignsOutAndBackIn()
    {
        await using var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(_server.Url + await Dashboard.SetupPathAsync(_server));
        await Expect(Dashboard.Heading(page, "Welcome to Parley")).ToBeVisibleAsync();
        await Axe.AssertNoSeriousViolationsAsync(page, "setup");
        await Dashboard.ScreenshotAsync(page, "01-setup");

        await page.GetByLabel("Your name").FillAsync("Olivia Owner");
        await page.GetByLabel("Email").FillAsync(Dashboard.OwnerEmail);
        await page.GetByLabel("Password").FillAsync("short");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page.GetByText("Passwords must be at least 10 characters.")).ToBeVisibleAsync();

        await page.GetByLabel("Password").FillAsync(Dashboard.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(Dashboard.Heading(page, "Getting started")).ToBeVisibleAsync();
        await Expect(page.GetByText("Create a bot (done)")).ToBeAttachedAsync();
        await Expect(page.GetByText("Invite a teammate (to do)")).ToBeAttachedAsync();
        await Axe.AssertNoSeriousViolationsAsync(page, "getting started");
        await Dashboard.ScreenshotAsync(page, "02-getting-started");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(Dashboard.Heading(page, "Sign in to Parley")).ToBeVisibleAsync();
        await Axe.AssertNoSeriousViolationsAsync(page, "sign in");
        await Dashboard.ScreenshotAsync(page, "03-sign-in");

        await page.GetByLabel("Email").FillAsync(Dashboard.OwnerEmail);
        await page.GetByLabel("Password").FillAsync("not the password at all");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "The email or password is not right." })).ToBeVisibleAsync();

        await page.GetByLabel("Password").FillAsync(Dashboard.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(Dashboard.Heading(page, "Getting started")).ToBeVisibleAsync();

        // The home page opened by its address, with and without the trailing slash (a bookmark, a reload).
        foreach (var address in new[] { "/app/", "/app" })
        {
            var response = await page.GotoAsync(_server.Url + address);
            Assert.Equal(200, response!.Status);
            Assert.Equal(_server.Url + "/app/", page.Url);
            await Expect(Dashboard.Heading(page, "Getting started")).ToBeVisibleAsync();
        }
    }
}
