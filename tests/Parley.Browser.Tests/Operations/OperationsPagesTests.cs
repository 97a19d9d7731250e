using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Parley.Browser.Tests.Dashboard;
using Parley.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Parley.Browser.Tests.Operations;

/// <summary>The operations pages (webhooks and the integration map) on one server, loaded lazily on their first visit.</summary>
[Collection(BrowserCollection.Name)]
public sealed class OperationsPagesTests : IClassFixture<OperationsPagesTests.OperationsServer>
{
    private readonly BrowserFixture _fixture;
    private readonly ParleyServer _server;

    public OperationsPagesTests(BrowserFixture fixture, OperationsServer owned)
    {
        (_fixture, _server) = (fixture, owned.Server);
        SetDefaultExpectTimeout(30_000);
    }

    public sealed class OperationsServer : IAsyncLifetime
    {
        // The receiver is on loopback; the first automatic retry waits an hour, so only the page's retry sends it again.
        public ParleyServer Server { get; } = new ParleyServer()
            .With("Parley:Network:AllowPrivateTargets", "true")
            .With("Parley:Webhooks:RetrySchedule:0", "01:00:00");

        public async Task InitializeAsync()
        {
            Server.Start();
            await Dashboard.Dashboard.CreateOwnerAsync(Server);
        }

        public async Task DisposeAsync()
        {
            await Server.DisposeAsync();
            Server.DeleteData();
        }
    }

    private HttpClient Api()
    {
        var api = new HttpClient { BaseAddress = new Uri(_server.Url) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ParleyServer.OwnerKey);
        return api;
    }

    private static ILocator Hop(IPage page, string text) => page.GetByTestId("hop-row").Filter(new() { HasText = text });

    [Fact]
    public async Task Webhook_ReceiverDown_FailingHopOnMapAndHome_HealthyAfterRecoveryAndReplay()
    {
        await using var receiver = new HookReceiver();
        using var api = Api();
        var bot = await (await api.PostAsJsonAsync("/v1/bots", new JsonObject { ["name"] = "Front desk" })).Content.ReadFromJsonAsync<JsonObject>();

        await using var context = await _fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await Dashboard.Dashboard.SignInAsync(page, _server);
        const string OperationsFetched = "() => performance.getEntriesByType('resource').map(r => r.name).filter(n => n.includes('Parley.Dashboard.Operations') && n.includes('.wasm'))";
        const string ClientOperationsFetched = "() => performance.getEntriesByType('resource').map(r => r.name).filter(n => n.includes('Parley.Client.Operations') && n.includes('.wasm'))";
        Assert.Empty(await page.EvaluateAsync<string[]>(OperationsFetched));
        Assert.Empty(await page.EvaluateAsync<string[]>(ClientOperationsFetched));
        await Dashboard.Dashboard.Nav(page, "Webhooks").ClickAsync();
        await Expect(Dashboard.Dashboard.Heading(page, "Webhooks")).ToBeVisibleAsync();
        Assert.NotEmpty(await page.EvaluateAsync<string[]>(OperationsFetched));
        Assert.NotEmpty(await page.EvaluateAsync<string[]>(ClientOperationsFetched));
        await Expect(page.GetByTestId("map-empty")).ToBeVisibleAsync();

        // A bad event type is refused with the API's words, next to the field, and nothing is created.
        await page.GetByLabel("URL").FillAsync(receiver.Url);
        await page.GetByLabel("Events").FillAsync("lead.captured, lead.exploded");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add endpoint" }).ClickAsync();
        await Expect(page.GetByText("Unknown event types: lead.exploded")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("endpoint")).ToHaveCountAsync(0);

        await page.GetByLabel("Events").FillAsync("conversation.started");
        await page.GetByLabel("Description").FillAsync("CRM");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add endpoint" }).ClickAsync();
        await Expect(page.GetByTestId("new-secret")).ToContainTextAsync("whsec_");
        await Expect(Hop(page, "conversation.started → CRM")).ToContainTextAsync("idle");

        // A visitor starts a conversation while the receiver is down: the hop turns failing, in colour and in words.
        await api.PostAsJsonAsync("/v1/conversations", new JsonObject { ["bot_id"] = (string)bot!["id"]! });
        var endpointId = await page.GetByTestId("endpoint").GetAttributeAsync("data-endpoint-id");
        await Eventually.EqualAsync(true, async () =>
            (await api.GetFromJsonAsync<JsonObject>($"/v1/webhook-endpoints/{endpointId}"))!["health"]!["consecutive_failures"]!.GetValue<int>() > 0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
        await Expect(Hop(page, "conversation.started → CRM")).ToHaveAttributeAsync("data-state", "failing");
        await Expect(Hop(page, "conversation.started → CRM")).ToContainTextAsync("Could not connect");
        await Expect(page.Locator("[data-testid=hop][data-state=failing] .edge-label")).ToHaveTextAsync("failing");
        await Expect(page.GetByTestId("endpoint-state")).ToHaveTextAsync("failing");
        await Expect(page.GetByTestId("health-chart").Locator("svg")).ToBeVisibleAsync();
        await Axe.AssertNoSeriousViolationsAsync(page, "webhooks, a failing hop");
        await Dashboard.Dashboard.ScreenshotAsync(page, "20-webhooks-failing");

        await Dashboard.Dashboard.Nav(page, "Getting started").ClickAsync();
        await Expect(page.GetByTestId("failing-hop")).ToContainTextAsync("conversation.started → CRM: failing");
        await Axe.AssertNoSeriousViolationsAsync(page, "home with a failing hop");

        // The receiver comes back; the failed delivery, sent again from its log, reaches it and the hop is healthy.
        await receiver.StartAsync();
        await Dashboard.Dashboard.Nav(page, "Webhooks").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delivery log" }).ClickAsync();
        var delivery = page.GetByTestId("delivery").Filter(new() { HasText = "conversation.started" });
        await delivery.GetByRole(AriaRole.Button, new() { Name = "Attempts" }).ClickAsync();
        await Expect(page.GetByTestId("attempt").First).ToContainTextAsync("Could not connect");
        await delivery.GetByRole(AriaRole.Button, new() { Name = "Retry now" }).ClickAsync();
        await Eventually.EqualAsync(1, () => Task.FromResult(receiver.Received));
        // The receiver counts the request before the server has recorded the attempt's answer: refresh once it has.
        await Eventually.EqualAsync(0, async () =>
            (await api.GetFromJsonAsync<JsonObject>($"/v1/webhook-endpoints/{endpointId}"))!["health"]!["consecutive_failures"]!.GetValue<int>());
        await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
        await Expect(Hop(page, "conversation.started → CRM")).ToHaveAttributeAsync("data-state", "healthy");
        await Expect(page.Locator("[data-testid=hop] .edge-label")).ToHaveTextAsync("healthy");
        await Expect(page.GetByTestId("delivery").First).ToHaveAttributeAsync("data-status", "delivered");
        await Expect(page.GetByTestId("delivery").First.GetByRole(AriaRole.Button, new() { Name = "Replay" })).ToBeVisibleAsync();

        // A test event shows the receiver's own answer.
        await page.GetByRole(AriaRole.Button, new() { Name = "Send test" }).ClickAsync();
        await Expect(page.GetByTestId("test-result")).ToContainTextAsync("the receiver answered 200");
        await Expect(page.GetByTestId("test-result")).ToContainTextAsync(HookReceiver.Answer);

        // Switched off, the endpoint says why and offers to switch it back on.
        await page.GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await Expect(page.GetByTestId("endpoint-state")).ToHaveTextAsync("disabled");
        await page.GetByRole(AriaRole.Button, new() { Name = "Re-enable" }).ClickAsync();
        await Expect(page.GetByTestId("endpoint-state")).ToHaveTextAsync("healthy");
        await Axe.AssertNoSeriousViolationsAsync(page, "webhooks, recovered");

        await Dashboard.Dashboard.Nav(page, "Getting started").ClickAsync();
        await Expect(page.GetByText("Connect a webhook")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("failing-hops")).ToHaveCountAsync(0);
    }
}
