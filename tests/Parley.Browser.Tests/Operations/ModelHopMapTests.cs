using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Parley.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Parley.Browser.Tests.Operations;

/// <summary>The integration map's bot → model provider hops, on a server of their own so no webhook hop shares the map.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ModelHopMapTests : IClassFixture<ModelHopMapTests.ModelServer>
{
    private readonly BrowserFixture _fixture;
    private readonly ParleyServer _server;

    public ModelHopMapTests(BrowserFixture fixture, ModelServer owned)
    {
        (_fixture, _server) = (fixture, owned.Server);
        SetDefaultExpectTimeout(30_000);
    }

    public sealed class ModelServer : IAsyncLifetime
    {
        // The real model responder, not the scripted stand-in: the hop is drawn from its calls.
        public ParleyServer Server { get; } = new ParleyServer { ScriptedAnswers = false }
            .With("Parley:Network:AllowPrivateTargets", "true")
            .With("Parley:Models:AttemptTimeout", "00:00:01")
            .With("Parley:Models:RetryDelay", "00:00:00.050")
            .With("Parley:Models:CallTallyFlushInterval", "00:00:00.100");

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

    [Fact]
    public async Task ModelHop_ProviderNotAnswering_DrawnFailingFromTheBot()
    {
        using var api = new HttpClient { BaseAddress = new Uri(_server.Url) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ParleyServer.OwnerKey);
        // Nothing listens on port 9 of loopback: every call is refused.
        var provider = await ReadAsync(await api.PostAsJsonAsync("/v1/model-providers", new JsonObject
        {
            ["name"] = "Local model", ["kind"] = "openai", ["base_url"] = "http://127.0.0.1:9/v1", ["default_model"] = "tiny",
        }));
        var bot = await ReadAsync(await api.PostAsJsonAsync("/v1/bots", new JsonObject
        {
            ["name"] = "Front desk", ["model"] = new JsonObject { ["provider"] = (string)provider["id"]! },
        }));
        var conversation = await ReadAsync(await api.PostAsJsonAsync("/v1/conversations", new JsonObject { ["bot_id"] = (string)bot["id"]! }));
        var turn = await api.PostAsJsonAsync($"/v1/conversations/{(string)conversation["conversation"]!["id"]!}/messages", new JsonObject { ["text"] = "Hello?" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, turn.StatusCode);
        await Eventually.EqualAsync<string?>("failing", async () =>
            (string?)(await ReadAsync(await api.GetAsync("/v1/integrations/health")))["hops"]!.AsArray().FirstOrDefault(h => (string?)h!["kind"] == "model")?["state"]);

        await using var context = await _fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await Dashboard.Dashboard.SignInAsync(page, _server);
        await Dashboard.Dashboard.Nav(page, "Webhooks").ClickAsync();
        var row = page.GetByTestId("hop-row").Filter(new() { HasText = "Front desk → Local model" });
        await Expect(row).ToHaveAttributeAsync("data-state", "failing");
        await Expect(row).ToContainTextAsync("(model)");
        await Expect(page.Locator("[data-testid=hop][data-state=failing] .edge-label")).ToHaveTextAsync("failing");
        await Expect(page.GetByTestId("integration-map")).ToContainTextAsync("Model: Local model");
        await Axe.AssertNoSeriousViolationsAsync(page, "integration map with a failing model hop");
    }

    private static async Task<JsonNode> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!;
    }
}
