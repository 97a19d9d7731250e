using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Parley.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Parley.Browser.Tests.Dashboard;

/// <summary>Steps the dashboard tests share: the setup link, an owner made through the API, signing in with the form.</summary>
public static class Dashboard
{
    public const string OwnerEmail = "owner@shop.example";
    public const string Password = "correct horse battery staple";

    /// <summary>The path and fragment of the setup link the server wrote (the server listens on two addresses).</summary>
    public static async Task<string> SetupPathAsync(ParleyServer server)
    {
        var file = Path.Combine(server.DataDirectory, "setup-url.txt");
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!File.Exists(file) || new FileInfo(file).Length == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The server wrote no setup link.");
            await Task.Delay(50);
        }
        var url = (await File.ReadAllTextAsync(file)).Trim();
        return url[url.IndexOf("/app/", StringComparison.Ordinal)..];
    }

    /// <summary>Creates the owner through the API with the setup link's token.</summary>
    public static async Task CreateOwnerAsync(ParleyServer server)
    {
        var path = await SetupPathAsync(server);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        var token = Uri.UnescapeDataString(path[(path.IndexOf("#token=", StringComparison.Ordinal) + 7)..]);
        var response = await http.PostAsJsonAsync("/v1/auth/setup", new JsonObject
        {
            ["setup_token"] = token, ["email"] = OwnerEmail, ["password"] = Password, ["name"] = "Olivia Owner",
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task SignInAsync(IPage page, ParleyServer server, string email = OwnerEmail, string password = Password)
    {
        await page.GotoAsync(server.Url + "/app/login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(Heading(page, "Getting started")).ToBeVisibleAsync();
    }

    /// <summary>
    /// Opens a dashboard address in the running app, as a link in it does. A GotoAsync loads and starts the whole app
    /// again, seconds each time; tests keep it for what they test: an address typed, followed from outside, or reloaded.
    /// </summary>
    public static Task OpenAsync(IPage page, string path) => page.EvaluateAsync("path => Blazor.navigateTo(path)", path);

    public static ILocator Heading(IPage page, string name) => page.GetByRole(AriaRole.Heading, new() { Name = name, Level = 1 });

    public static ILocator Nav(IPage page, string name) =>
        page.GetByRole(AriaRole.Navigation, new() { Name = "Dashboard" }).GetByRole(AriaRole.Link, new() { Name = name, Exact = true });

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        // A full-page capture draws the fixed app bar where the page is scrolled to, so it starts from the top.
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshots.PathFor("dashboard-" + name), FullPage = true, Animations = ScreenshotAnimations.Disabled });
    }
}
