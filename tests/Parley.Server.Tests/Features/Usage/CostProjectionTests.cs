using System.Net;
using System.Text.Json.Nodes;
using Parley.Client;
using Parley.Server.Tests.Features.ModelProviders;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Usage;

/// <summary><c>GET /v1/usage/projection</c> over real turns answered by a model that reports its tokens.</summary>
public sealed class CostProjectionTests(ModelApp app) : IClassFixture<ModelApp>, IAsyncLifetime
{
    private FakeModelServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeModelServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static double Money(double amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    private static JsonNode Scenario(JsonNode projection, string kind, long conversations) =>
        projection["scenarios"]!.AsArray().Single(s => (string?)s!["kind"] == kind && (long)s["conversations"]! == conversations)!;

    [Fact]
    public async Task NoConversations_DefaultProfileAndRates()
    {
        var (_, key) = await app.CreateWorkspaceAsync("New shop");

        var projection = await (await app.Client(key).GetAsync("/v1/usage/projection")).JsonAsync(HttpStatusCode.OK);

        var basis = projection["basis"]!;
        Assert.True((bool)basis["defaults"]!);
        Assert.Equal(0, (long)basis["conversations"]!);
        Assert.Equal(4.0, (double)basis["messages_per_conversation"]!);
        Assert.Equal(6000.0, (double)basis["prompt_tokens_per_conversation"]!);
        Assert.Equal(800.0, (double)basis["completion_tokens_per_conversation"]!);
        Assert.Equal(JsonNode.Parse("""{"per_message":0.01,"per_conversation":0.25,"flat_monthly":49,"prompt_token_price":0.15,"completion_token_price":0.6}""")!.ToJsonString(),
            projection["rates"]!.ToJsonString());
        Assert.Equal(["volume", "volume", "volume", "trend"], projection["scenarios"]!.AsArray().Select(s => (string)s!["kind"]!));
        // 500 conversations: 2,000 messages, 3 M prompt and 0.4 M completion tokens at 0.15 and 0.60 a million.
        var month = Scenario(projection, "volume", 500);
        Assert.Equal(2000, (long)month["messages"]!);
        Assert.Equal(3_000_000, (long)month["prompt_tokens"]!);
        Assert.Equal(400_000, (long)month["completion_tokens"]!);
        Assert.Equal(0.69, (double)month["token_cost"]!);
        Assert.Equal(20.69, (double)month["per_message_cost"]!);
        Assert.Equal(125.69, (double)month["per_conversation_cost"]!);
        Assert.Equal(49.69, (double)month["flat_monthly_cost"]!);
        Assert.Equal(6.9, (double)Scenario(projection, "volume", 5000)["token_cost"]!);
        Assert.Equal(69.0, (double)Scenario(projection, "volume", 50000)["token_cost"]!);
        var trend = Scenario(projection, "trend", 0);
        Assert.Equal(0.0, (double)trend["per_message_cost"]!);
        Assert.Equal(49.0, (double)trend["flat_monthly_cost"]!);
    }

    [Fact]
    public async Task RealTurns_AverageConversationFromTheWorkspacesData()
    {
        var (_, key) = await app.CreateWorkspaceAsync("Cycle Hub");
        var client = app.Client(key);
        var provider = (await (await client.PostJsonAsync("/v1/model-providers", new { name = "openai", kind = "openai", base_url = _server.OpenAiBaseUrl, api_key = "test-key-1234" }))
            .JsonAsync(HttpStatusCode.Created)).Id();
        var bot = (await (await client.PostJsonAsync("/v1/bots", new { name = "Cycle Hub", model = new { provider, name = "test-model-1" } }))
            .JsonAsync(HttpStatusCode.Created)).Id();
        var turns = new List<JsonNode>();
        var first = (await client.StartConversationAsync(bot)).Id("conversation.id");
        turns.Add(await client.SendAsync(first, "Hello"));
        turns.Add(await client.SendAsync(first, "Do you repair bikes?"));
        var second = (await client.StartConversationAsync(bot)).Id("conversation.id");
        turns.Add(await client.SendAsync(second, "Are you open on Sunday?"));
        var prompt = turns.Sum(t => (long)t["messages"]![0]!["usage"]!["prompt_tokens"]!);
        var completion = turns.Sum(t => (long)t["messages"]![0]!["usage"]!["completion_tokens"]!);

        var projection = await (await client.GetAsync("/v1/usage/projection?per_message=0.02&per_conversation=0.4&flat_monthly=99&prompt_token_price=2.5&completion_token_price=10"))
            .JsonAsync(HttpStatusCode.OK);

        var basis = projection["basis"]!;
        Assert.False((bool)basis["defaults"]!);
        Assert.Equal(2, (long)basis["conversations"]!);
        Assert.Equal(3, (long)basis["messages"]!);
        Assert.Equal(prompt, (long)basis["prompt_tokens"]!);
        Assert.Equal(completion, (long)basis["completion_tokens"]!);
        Assert.Equal(1.5, (double)basis["messages_per_conversation"]!);
        Assert.Equal(Math.Round(prompt / 2.0, 2), (double)basis["prompt_tokens_per_conversation"]!);
        Assert.Equal(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-29).ToString("yyyy-MM-dd"), (string?)basis["from"]);

        var month = Scenario(projection, "volume", 5000);
        var monthPrompt = (long)Math.Round(5000 * (prompt / 2.0), MidpointRounding.AwayFromZero);
        var monthCompletion = (long)Math.Round(5000 * (completion / 2.0), MidpointRounding.AwayFromZero);
        var tokenCost = (monthPrompt * 2.5 + monthCompletion * 10) / 1_000_000;
        Assert.Equal(7500, (long)month["messages"]!);
        Assert.Equal(monthPrompt, (long)month["prompt_tokens"]!);
        Assert.Equal(monthCompletion, (long)month["completion_tokens"]!);
        Assert.Equal(Money(tokenCost), (double)month["token_cost"]!);
        Assert.Equal(Money(7500 * 0.02 + tokenCost), (double)month["per_message_cost"]!);
        Assert.Equal(Money(5000 * 0.4 + tokenCost), (double)month["per_conversation_cost"]!);
        Assert.Equal(Money(99 + tokenCost), (double)month["flat_monthly_cost"]!);
        var trend = Scenario(projection, "trend", 2);
        Assert.Equal(3, (long)trend["messages"]!);
        Assert.Equal(Money(2 * 0.4 + (prompt * 2.5 + completion * 10) / 1_000_000), (double)trend["per_conversation_cost"]!);

        // The typed client reads the same figures.
        var typed = await new ParleyClient(client).GetCostProjectionAsync(new CostRatesRequest(0.02, 0.4, 99, 2.5, 10));
        Assert.Equal((double)month["per_message_cost"]!, typed.Scenarios.Single(s => s.Kind == "volume" && s.Conversations == 5000).PerMessageCost);
        Assert.Equal(prompt, typed.Basis.PromptTokens);
        Assert.Equal(99, typed.Rates.FlatMonthly);
    }

    [Theory]
    [InlineData("per_message=-0.01", "per_message")]
    [InlineData("per_conversation=abc", "per_conversation")]
    [InlineData("flat_monthly=NaN", "flat_monthly")]
    [InlineData("prompt_token_price=Infinity", "prompt_token_price")]
    [InlineData("completion_token_price=2000000", "completion_token_price")]
    public async Task BadRate_400WithTheField(string query, string field)
    {
        var problem = await (await app.Client().GetAsync("/v1/usage/projection?" + query)).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task SeveralBadRates_EachNamed()
    {
        var problem = await (await app.Client().GetAsync("/v1/usage/projection?per_message=-1&flat_monthly=-5")).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.Equal(["flat_monthly", "per_message"], problem["errors"]!.AsObject().Select(e => e.Key).Order());
    }

    [Fact]
    public async Task ModelPrices_TwoModels_EachModelsTokensAtItsOwnPrice()
    {
        var (_, key) = await app.CreateWorkspaceAsync("Two models");
        var client = app.Client(key);
        var provider = (await (await client.PostJsonAsync("/v1/model-providers", new { name = "openai", kind = "openai", base_url = _server.OpenAiBaseUrl, api_key = "test-key-1234" }))
            .JsonAsync(HttpStatusCode.Created)).Id();
        var tokens = new Dictionary<string, (long Prompt, long Completion)>();
        foreach (var model in new[] { "big-model", "small-model" })
        {
            var bot = (await (await client.PostJsonAsync("/v1/bots", new { name = model, model = new { provider, name = model } })).JsonAsync(HttpStatusCode.Created)).Id();
            var turn = await client.SendAsync((await client.StartConversationAsync(bot)).Id("conversation.id"), "Hello from a visitor who asks a longer question");
            var usage = turn["messages"]![0]!["usage"]!;
            tokens[model] = ((long)usage["prompt_tokens"]!, (long)usage["completion_tokens"]!);
        }

        var projection = await (await client.GetAsync("/v1/usage/projection?prompt_token_price=0.15&completion_token_price=0.6&price[big-model]=2.5,10&price[unused-model]=1,2"))
            .JsonAsync(HttpStatusCode.OK);

        // 50,000 conversations scale both models' tokens alike: each model's share at its own price.
        var scale = 50_000 / 2.0;
        var expected = scale * (tokens["big-model"].Prompt * 2.5 + tokens["big-model"].Completion * 10
            + tokens["small-model"].Prompt * 0.15 + tokens["small-model"].Completion * 0.6) / 1_000_000;
        var actual = (double)Scenario(projection, "volume", 50_000)["token_cost"]!;
        Assert.InRange(actual, Money(expected) - 0.01, Money(expected) + 0.01);
        var atDefaults = scale * (tokens.Values.Sum(t => t.Prompt) * 0.15 + tokens.Values.Sum(t => t.Completion) * 0.6) / 1_000_000;
        Assert.True(actual > atDefaults + 0.01, $"{actual} should exceed {atDefaults}: the big model is dearer.");
        Assert.Equal(0.15, (double)projection["rates"]!["prompt_token_price"]!);

        var rows = projection["model_prices"]!.AsArray();
        Assert.Equal(["big-model", "small-model", "unused-model"], rows.Select(r => (string)r!["model"]!));
        var big = rows[0]!;
        Assert.True((bool)big["own_price"]!);
        Assert.Equal(2.5, (double)big["prompt_token_price"]!);
        Assert.Equal(10.0, (double)big["completion_token_price"]!);
        Assert.Equal(tokens["big-model"].Prompt, (long)big["prompt_tokens"]!);
        Assert.Equal(Money((tokens["big-model"].Prompt * 2.5 + tokens["big-model"].Completion * 10) / 1_000_000), (double)big["token_cost"]!);
        var small = rows[1]!;
        Assert.False((bool)small["own_price"]!);
        Assert.Equal(0.6, (double)small["completion_token_price"]!);
        Assert.Equal(0, (long)rows[2]!["prompt_tokens"]!);

        // The typed client sends the same prices and reads the same figures.
        var typed = await new ParleyClient(client).GetCostProjectionAsync(new CostRatesRequest(PromptTokenPrice: 0.15, CompletionTokenPrice: 0.6,
            ModelPrices: new Dictionary<string, ModelTokenPriceRequest> { ["big-model"] = new(2.5, 10), ["unused-model"] = new(1, 2) }));
        Assert.Equal(actual, typed.Scenarios.Single(s => s.Kind == "volume" && s.Conversations == 50_000).TokenCost);
        Assert.True(typed.ModelPrices.Single(m => m.Model == "big-model").OwnPrice);
    }

    [Theory]
    [InlineData("price[big-model]=2.5", "price[big-model]")]
    [InlineData("price[big-model]=a,b", "price[big-model]")]
    [InlineData("price[big-model]=-1,2", "price[big-model]")]
    [InlineData("price[big-model]=1,2000000", "price[big-model]")]
    [InlineData("price[big-model]=1,2,3", "price[big-model]")]
    [InlineData("price[]=1,2", "price[]")]
    [InlineData("price[big-model=1,2", "price[big-model")]
    public async Task BadModelPrice_400NamingTheParameter(string query, string field)
    {
        var problem = await (await app.Client().GetAsync("/v1/usage/projection?" + query)).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.Equal([field], problem["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task TooManyModelPrices_400()
    {
        var query = string.Join('&', Enumerable.Range(0, 51).Select(i => $"price[model-{i}]=1,2"));

        var problem = await (await app.Client().GetAsync("/v1/usage/projection?" + query)).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.NotNull(problem["errors"]!["price"]);
    }
}
