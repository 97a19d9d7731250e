using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using OtpNet;
using Parley.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Parley.Browser.Tests.Dashboard;

/// <summary>Two-factor sign-in, a bot's full settings with its live widget preview, and the assignment rules, on one server.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardSettingsTests : IClassFixture<DashboardTests.OwnedServer>
{
    private readonly BrowserFixture _fixture;
    private readonly DashboardTests.OwnedServer _owned;

    public DashboardSettingsTests(BrowserFixture fixture, DashboardTests.OwnedServer owned)
    {
        (_fixture, _owned) = (fixture, owned);
        SetDefaultExpectTimeout(30_000);
    }

    private ParleyServer Server => _owned.Server;

    [Fact]
    public async Task TwoFactor_EnrolledInBrowser_SignInAsksForTheCode()
    {
        const string email = "careful@shop.example";
        await JoinThroughApiAsync(email, "admin");
        await using var context = await _fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await Dashboard.SignInAsync(page, Server, email);
        await Dashboard.Nav(page, "Settings").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Two-factor sign-in" }).ClickAsync();
        await Expect(Dashboard.Heading(page, "Two-factor sign-in")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Set up an authenticator app" }).ClickAsync();
        await Expect(page.GetByAltText("QR code of the authenticator link")).ToBeVisibleAsync();
        var key = await page.GetByTestId("shared-key").TextContentAsync() ?? "";
        await Axe.AssertNoSeriousViolationsAsync(page, "two-factor set-up");
        await Dashboard.ScreenshotAsync(page, "11-two-factor");

        await page.GetByLabel("Code from the app").FillAsync("000000" == CodeOf(key) ? "111111" : "000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on" }).ClickAsync();
        await Expect(page.GetByText("That code is not right")).ToBeVisibleAsync();
        await page.GetByLabel("Code from the app").FillAsync(CodeOf(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your recovery codes" })).ToBeVisibleAsync();
        Assert.Equal(10, (await page.GetByLabel("Recovery codes").TextContentAsync() ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        await using var later = await _fixture.Browser.NewContextAsync();
        var signIn = await later.NewPageAsync();
        await signIn.GotoAsync(Server.Url + "/app/login");
        await signIn.GetByLabel("Email").FillAsync(email);
        await signIn.GetByLabel("Password").FillAsync(Dashboard.Password);
        await signIn.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(signIn.GetByRole(AriaRole.Alert).Filter(new() { HasText = "authenticator" })).ToBeVisibleAsync();
        await Axe.AssertNoSeriousViolationsAsync(signIn, "sign-in code");
        // The code that turned it on was used: a sign-in takes a code of a later step.
        await signIn.GetByLabel("Authenticator code").FillAsync(CodeOf(key, stepsAhead: 1));
        await signIn.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(Dashboard.Heading(signIn, "Getting started")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task BotSettings_SectionsShowFieldErrorsAndThePreviewRunsTheRealWidget()
    {
        using var api = Api();
        var bot = JsonNode.Parse(await (await api.PostAsJsonAsync("/v1/bots", new JsonObject
        {
            ["name"] = "Preview shop", ["greeting"] = "Hello from the preview!",
        })).Content.ReadAsStringAsync())!;
        var botId = (string)bot["id"]!;
        await using var context = await _fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await Dashboard.SignInAsync(page, Server);
        await Dashboard.OpenAsync(page, $"/app/bots/{botId}");
        await Expect(Dashboard.Heading(page, "Preview shop")).ToBeVisibleAsync();

        await page.GetByLabel("Longest reply (characters)").FillAsync("5");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save guardrails" }).ClickAsync();
        await Expect(page.GetByText("max_length must be a whole number from 20 to 4000")).ToBeVisibleAsync();
        await page.GetByLabel("Longest reply (characters)").FillAsync("500");
        await page.GetByLabel("Blocked terms").FillAsync("competitor, discount code");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save guardrails" }).ClickAsync();
        await Eventually.EqualAsync(true, async () => (await BotAsync(api, botId))["guardrails"]?["output"]?["max_length"]?.GetValue<int>() == 500);

        await page.GetByLabel("Time zone", new() { Exact = true }).FillAsync("Mars/Olympus_Mons");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save business hours" }).ClickAsync();
        await Expect(page.GetByText("is not a known IANA time zone")).ToBeVisibleAsync();

        await page.GetByLabel("Handoff phrases").FillAsync("refund, speak to a human");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save escalation" }).ClickAsync();
        await Eventually.EqualAsync(true, async () => (await BotAsync(api, botId))["escalation"]?["keywords"]?.AsArray().Count == 2);

        await page.GetByRole(AriaRole.Button, new() { Name = "Show live preview" }).ClickAsync();
        var preview = page.FrameLocator("iframe[title='Live preview of the chat widget']");
        await Expect(preview.GetByText("Hello from the preview!")).ToBeVisibleAsync();
        await Axe.AssertNoSeriousViolationsAsync(page, "bot settings with preview");
        await Dashboard.ScreenshotAsync(page, "12-bot-settings-preview");
    }

    [Fact]
    public async Task AssignmentRules_AdminSavesThem_KeptAfterReload_AndABadValueShowsTheApiFieldError()
    {
        const string email = "dispatcher@shop.example";
        await JoinThroughApiAsync(email, "admin");
        using var api = Api();
        await using var context = await _fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await Dashboard.SignInAsync(page, Server, email);
        await Dashboard.Nav(page, "Settings").ClickAsync();
        var section = page.GetByTestId("assignment-rules");
        var capacity = section.GetByLabel("Open conversations per agent");
        var reassign = section.GetByLabel("Reassign after minutes without a reply");
        var autoAssign = section.GetByLabel("Assign new handoffs automatically");
        var save = section.GetByRole(AriaRole.Button, new() { Name = "Save assignment rules" });
        await Expect(capacity).ToBeEnabledAsync();

        await capacity.FillAsync("0");
        await save.ClickAsync();
        await Expect(section.GetByText("capacity must be 1 to 100 open conversations per agent")).ToBeVisibleAsync();
        Assert.Null((int?)JsonNode.Parse(await api.GetStringAsync("/v1/workspace/assignment-rules"))!["capacity"]);

        await capacity.FillAsync("4");
        await autoAssign.ClickAsync();
        await Expect(autoAssign).ToBeCheckedAsync();
        await reassign.FillAsync("20");
        await save.ClickAsync();
        await Expect(section.GetByText("Assignment rules saved.")).ToBeVisibleAsync();
        await Expect(section.GetByText("capacity must be")).ToHaveCountAsync(0);
        var stored = JsonNode.Parse(await api.GetStringAsync("/v1/workspace/assignment-rules"))!;
        Assert.Equal(4, (int?)stored["capacity"]);
        Assert.True((bool)stored["auto_assign"]!);
        Assert.Equal(20, (int?)stored["reassign_after_minutes"]);

        await page.ReloadAsync();
        await Expect(capacity).ToHaveValueAsync("4");
        await Expect(reassign).ToHaveValueAsync("20");
        await Expect(autoAssign).ToBeCheckedAsync();
        await Axe.AssertNoSeriousViolationsAsync(page, "assignment settings");
    }

    private HttpClient Api()
    {
        var http = new HttpClient { BaseAddress = new Uri(Server.Url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ParleyServer.OwnerKey);
        return http;
    }

    private static async Task<JsonNode> BotAsync(HttpClient api, string botId) =>
        JsonNode.Parse(await api.GetStringAsync($"/v1/bots/{botId}"))!;

    /// <summary>Invites <paramref name="email"/> with the owner's key and accepts the invitation, all through the API.</summary>
    private async Task JoinThroughApiAsync(string email, string role)
    {
        using var api = Api();
        var invitation = JsonNode.Parse(await (await api.PostAsJsonAsync("/v1/invitations", new JsonObject { ["email"] = email, ["role"] = role }))
            .Content.ReadAsStringAsync())!;
        var url = (string)invitation["url"]!;
        using var anonymous = new HttpClient { BaseAddress = new Uri(Server.Url) };
        var accepted = await anonymous.PostAsJsonAsync("/v1/auth/invitations/accept", new JsonObject
        {
            ["token"] = Uri.UnescapeDataString(url[(url.IndexOf("#token=", StringComparison.Ordinal) + 7)..]), ["password"] = Dashboard.Password,
        });
        Assert.True(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync());
    }

    /// <summary>What an authenticator app shows for the key on the page (RFC 6238: 30-second steps, 6 digits), now or some steps ahead.</summary>
    private static string CodeOf(string sharedKey, int stepsAhead = 0) =>
        new Totp(Base32Encoding.ToBytes(sharedKey.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant()))
            .ComputeTotp(DateTime.UtcNow.AddSeconds(30 * stepsAhead));
}
