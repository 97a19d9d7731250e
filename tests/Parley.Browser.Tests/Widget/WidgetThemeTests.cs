using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Parley.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Parley.Browser.Tests.Widget;

[Collection(BrowserCollection.Name)]
public sealed class WidgetThemeTests(BrowserFixture fixture)
{
    [Fact]
    public async Task BotTheme_OnABusinessPageWithHostileCss_ColorsCornerTitleAndLauncherText()
    {
        var api = fixture.Server.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ParleyServer.OwnerKey);
        var bot = await PostAsync(api, "/v1/bots", new
        {
            name = "Ada",
            greeting = "Guten Tag! Wie kann ich helfen?",
            fallback_text = "Danke!",
            theme = new { primary_color = "#0F766E", position = "left", launcher_text = "Fragen?", title = "Ada von Beispiel" },
        });
        var key = await PostAsync(api, "/v1/api-keys", new
        {
            name = "Beispiel GmbH",
            kind = "publishable",
            bot_id = (string)bot["id"]!,
            allowed_origins = new[] { fixture.Server.Url },
        });

        await using var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        // The business's own page, on an origin the key allows, with CSS that would wreck the widget if it could reach it.
        // Everything else comes from the real server.
        await page.RouteAsync(fixture.Server.Url + "/shop", route => route.FulfillAsync(new()
        {
            ContentType = "text/html",
            Body = $$"""
                <!doctype html><html lang="de"><head><title>Beispiel</title>
                <style>* { font: 40px serif !important; color: red !important; } button, textarea { display: none !important; background: red !important; }</style></head>
                <body><h1>Beispiel GmbH</h1>
                <script src="{{fixture.Server.Url}}/widget.js" data-key="{{(string)key["publishable_key"]!}}" async></script></body></html>
                """,
        }));
        await page.GotoAsync(fixture.Server.Url + "/shop");

        var launcher = page.Locator(".launcher");
        await Expect(launcher).ToHaveAccessibleNameAsync("Fragen? (1 ungelesen)");
        Assert.Equal("rgb(15, 118, 110)", await launcher.EvaluateAsync<string>("el => getComputedStyle(el).backgroundColor"));
        Assert.True((await launcher.BoundingBoxAsync())!.X < 100, "The launcher should sit in the left corner.");

        await launcher.ClickAsync();
        await Expect(page.Locator(".panel .title")).ToHaveTextAsync("Ada von Beispiel");
        await Expect(page.Locator(".row.bot .bubble")).ToHaveTextAsync("Guten Tag! Wie kann ich helfen?");
        await Expect(page.Locator(".panel textarea")).ToHaveAttributeAsync("placeholder", "Nachricht schreiben…");
        await Expect(page.Locator(".panel textarea")).ToBeVisibleAsync();
        Assert.Equal("15px", await page.Locator(".panel textarea").EvaluateAsync<string>("el => getComputedStyle(el).fontSize"));
        await page.ScreenshotAsync(new() { Path = Screenshots.PathFor("13-custom-theme"), Animations = ScreenshotAnimations.Disabled });
    }

    private static async Task<JsonNode> PostAsync(HttpClient api, string path, object body)
    {
        var response = await api.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!;
    }
}
