using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Parley.Server.Tests.Features.Flows;
using Parley.Server.Tests.Infrastructure;
using static Parley.Server.Tests.Features.Flows.FlowApi;

namespace Parley.Server.Tests.Features.Bots;

/// <summary>
/// A turn reads its bot's settings from a cache kept per bot: every change to the bot or its knowledge reaches the
/// next turn, on the node that made it at once and on the others as soon as they hear of it.
/// </summary>
public sealed class BotTurnSettingsTests(BotReadsApp app) : IClassFixture<BotReadsApp>
{
    private static readonly string TwoQuestionFlow = Flow("name",
        [Node("name", "ask", """{"text": "Your name?", "variable": "name"}"""), Node("town", "ask", """{"text": "Your town?", "variable": "town"}"""),
         Node("end", "end", """{"text": "Thanks {{name}} from {{town}}"}""")],
        [Edge("name", "next", "town"), Edge("town", "next", "end")]);

    [Fact]
    public async Task SecondTurn_ReadsNeitherTheBotNorItsPublishedFlow_UntilTheBotChanges()
    {
        var client = app.Client();
        var botId = await client.CreateBotAsync();
        await client.PublishAsync(botId, TwoQuestionFlow);
        var conversation = (await client.StartConversationAsync(botId))["conversation"]!.Id();
        Assert.Equal(["Your town?"], (await client.SendAsync(conversation, "Ada")).Texts());

        app.Reads.Clear();
        Assert.Equal(["Thanks Ada from Leeds"], (await client.SendAsync(conversation, "Leeds")).Texts());
        Assert.DoesNotContain(app.Reads, sql => sql.Contains("FROM \"Bots\"", StringComparison.Ordinal));

        await (await client.PatchJsonAsync($"/v1/bots/{botId}", new { fallback_text = "Changed." })).JsonAsync(HttpStatusCode.OK);
        app.Reads.Clear();
        await client.SendAsync(conversation, "And now?");
        Assert.Contains(app.Reads, sql => sql.Contains("FROM \"Bots\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BotChangedBetweenTurns_NextTurnUsesTheNewSettings()
    {
        var client = app.Client();
        var bot = await (await client.PostJsonAsync("/v1/bots", new
        {
            name = "Cached",
            fallback_text = "First fallback.",
            escalation = new { enabled = false },
        })).JsonAsync(HttpStatusCode.Created);
        var botId = bot.Id();
        var conversation = (await client.StartConversationAsync(botId))["conversation"]!.Id();
        Assert.Equal("First fallback.", Reply(await client.SendAsync(conversation, "Do you sell gift cards?")));

        await (await client.PatchJsonAsync($"/v1/bots/{botId}", new { fallback_text = "Second fallback." })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Second fallback.", Reply(await client.SendAsync(conversation, "Do you sell gift cards?")));

        await (await client.PatchJsonAsync($"/v1/bots/{botId}", new
        {
            guardrails = new { blocked_terms = new { terms = new[] { "voucher" }, action = "refuse", refusal = "Not that word." } },
        })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Not that word.", Reply(await client.SendAsync(conversation, "A voucher then?")));

        // Knowledge added: the bot answers from it at the next turn (it had none, so turns skipped the search).
        await (await client.PostJsonAsync($"/v1/bots/{botId}/knowledge", new
        {
            type = "markdown", title = "Gift cards", content = "# Do you sell gift cards?\nYes, we sell gift cards at the counter, in amounts from $10 to $200.",
        })).JsonAsync(HttpStatusCode.Created);
        Assert.Contains("$10 to $200", Reply(await client.SendAsync(conversation, "Do you sell gift cards?")));

        (await client.DeleteAsync($"/v1/bots/{botId}")).EnsureSuccessStatusCode();
        var refused = await client.PostJsonAsync($"/v1/conversations/{conversation}/messages", new { text = "Still there?" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
    }

    [Fact]
    public async Task BotChangedThroughNodeA_NodeBsNextTurnsUseTheNewSettings()
    {
        if (ParleyApp.PostgresServer is null)
        {
            return; // one SQLite file has one node
        }
        await using var nodes = await TwoNodes.StartAsync();
        var a = nodes.A.Client();
        var b = nodes.B.Client();
        var botId = (await (await a.PostJsonAsync("/v1/bots", new
        {
            name = "Cached", fallback_text = "First fallback.", escalation = new { enabled = false },
        })).JsonAsync(HttpStatusCode.Created)).Id();
        var conversation = (await b.StartConversationAsync(botId))["conversation"]!.Id();
        Assert.Equal("First fallback.", Reply(await b.SendAsync(conversation, "Do you sell gift cards?")));

        await (await a.PatchJsonAsync($"/v1/bots/{botId}", new { fallback_text = "Second fallback." })).JsonAsync(HttpStatusCode.OK);

        await Eventually.TrueAsync(
            async () => Reply(await b.SendAsync(conversation, "Do you sell gift cards?")) == "Second fallback.",
            "node B's turns use the changed fallback", TimeSpan.FromSeconds(5));
    }

    private static string Reply(JsonNode turn) => (string)turn["messages"]![0]!["text"]!;
}

/// <summary>The server with every query's SQL recorded.</summary>
public sealed class BotReadsApp : ParleyApp
{
    public ConcurrentQueue<string> Reads { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IInterceptor>(new ReadRecorder(Reads)));
    }

    private sealed class ReadRecorder(ConcurrentQueue<string> reads) : DbCommandInterceptor
    {
        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            reads.Enqueue(command.CommandText);
            return ValueTask.FromResult(result);
        }
    }
}
