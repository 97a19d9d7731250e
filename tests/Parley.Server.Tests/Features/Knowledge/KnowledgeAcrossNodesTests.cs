using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Data.Knowledge;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Knowledge;

/// <summary>A bot's vectors held in one node's memory are dropped when its knowledge changes through another node.</summary>
public sealed class KnowledgeAcrossNodesTests
{
    private const string Returns = "# Returns\nUnused items can be returned within 30 days for a full refund.";
    private const string Hours = "# Hours\nWe open at nine every weekday and close at six.";

    [Fact]
    public async Task KnowledgeAddedThroughNodeA_NodeBDropsTheBotsVectors()
    {
        if (ParleyApp.PostgresServer is null)
        {
            return; // one SQLite file has one node
        }
        await using var nodes = await TwoNodes.StartAsync();
        var a = nodes.A.Client();
        var b = nodes.B.Client();
        var bot = await a.CreateBotAsync();
        await (await a.PostJsonAsync($"/v1/bots/{bot}/knowledge", new { type = "markdown", title = "Returns", content = Returns }))
            .JsonAsync(HttpStatusCode.Created);
        // Every chunk has its vector first, so what node B loads is final until the knowledge changes.
        await Eventually.TrueAsync(() => nodes.A.DbAsync(async db =>
            await db.KnowledgeChunks.IgnoreQueryFilters().CountAsync(c => c.BotId == bot) is var chunks and > 0
            && await db.KnowledgeChunkVectors.IgnoreQueryFilters().CountAsync(v => v.BotId == bot) >= chunks), "the chunks have their vectors");
        var vectorsOnB = nodes.B.Services.GetRequiredService<KnowledgeVectorCache>();
        await Eventually.TrueAsync(async () =>
        {
            await KnowledgeSourceTests.SearchAsync(b, bot, "can I return it?");
            return vectorsOnB.LoadedBytes > 0;
        }, "node B holds the bot's vectors after searching");

        await (await a.PostJsonAsync($"/v1/bots/{bot}/knowledge", new { type = "markdown", title = "Hours", content = Hours }))
            .JsonAsync(HttpStatusCode.Created);

        await Eventually.TrueAsync(() => Task.FromResult(vectorsOnB.LoadedBytes == 0), "node B dropped the bot's vectors", TimeSpan.FromSeconds(5));
    }
}
