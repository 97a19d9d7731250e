using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Parley.Data;
using Parley.Data.Knowledge;
using Parley.Data.Tenancy;
using Parley.Engine.Knowledge;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Knowledge;

/// <summary>
/// What a SQLite search leaves out on a large knowledge base, shown at a small scale with small limits: very common
/// words stop picking candidates, and at most the newest matches are scored. PostgreSQL ranks with its own index.
/// </summary>
public sealed class KnowledgeSearchLimitsTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private const int Sources = 30;

    /// <summary>Thirty one-chunk sources, all about prices; one also about parking, added seventh.</summary>
    private async Task<(string WorkspaceId, string BotId, List<string> SourceIds)> PriceListBotAsync()
    {
        var client = app.Client();
        var botId = await client.CreateBotAsync();
        var sourceIds = new List<string>();
        for (var i = 0; i < Sources; i++)
        {
            var extra = i == 6 ? " Customers park free behind the shop while they wait." : "";
            var content = $"# Price list {i}\nThe price of service number {i} is {10 + i} euros.{extra}";
            var source = await (await client.PostJsonAsync($"/v1/bots/{botId}/knowledge", new { type = "markdown", title = $"Prices {i}", content }))
                .JsonAsync(HttpStatusCode.Created);
            sourceIds.Add(source.Id());
        }
        var workspaceId = await app.DbAsync(db => Task.FromResult(db.Bots.IgnoreQueryFilters().Single(b => b.Id == botId).WorkspaceId));
        return (workspaceId, botId, sourceIds);
    }

    private async Task<KnowledgeSearch> SearchAsync(string workspaceId, string botId, string query, int limit, KnowledgeSearchLimits limits)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var workspace = scope.ServiceProvider.GetRequiredService<WorkspaceScope>();
        workspace.Enter(workspaceId);
        var index = new KnowledgeIndex(
            scope.ServiceProvider.GetRequiredService<ParleyDbContext>(), workspace, new IndexTermCounts(TimeProvider.System), limits);
        return await index.SearchAsync(botId, query, limit, CancellationToken.None);
    }

    [Fact]
    public async Task Search_CommonWordOverBudget_OnlyRarerWordPicksCandidates()
    {
        if (ParleyApp.PostgresServer is not null)
        {
            return;
        }
        var (workspaceId, botId, sourceIds) = await PriceListBotAsync();

        var exhaustive = await SearchAsync(workspaceId, botId, "price of parking", 5, KnowledgeSearchLimits.Exhaustive);
        var budgeted = await SearchAsync(workspaceId, botId, "price of parking", 5, new KnowledgeSearchLimits(MatchBudget: 10, ScanLimit: 1_000));

        Assert.Equal(5, exhaustive.Passages.Count);
        Assert.Equal(sourceIds[6], exhaustive.Passages[0].SourceId);
        // "price" is in all 30 chunks, more than the budget of 10: only "park" picks, and one chunk has it.
        Assert.Equal([sourceIds[6]], budgeted.Passages.Select(p => p.SourceId));
    }

    [Fact]
    public async Task Search_BotWithinBudget_EveryWordPicksCandidates()
    {
        if (ParleyApp.PostgresServer is not null)
        {
            return;
        }
        var (workspaceId, botId, _) = await PriceListBotAsync();

        var exhaustive = await SearchAsync(workspaceId, botId, "price of parking", 5, KnowledgeSearchLimits.Exhaustive);
        var withinBudget = await SearchAsync(workspaceId, botId, "price of parking", 5, new KnowledgeSearchLimits(MatchBudget: Sources, ScanLimit: 1_000));

        Assert.Equal(exhaustive.Passages.Select(p => p.SourceId), withinBudget.Passages.Select(p => p.SourceId));
    }

    [Fact]
    public async Task Search_MoreMatchesThanScanLimit_NewestMatchesScored()
    {
        if (ParleyApp.PostgresServer is not null)
        {
            return;
        }
        var (workspaceId, botId, sourceIds) = await PriceListBotAsync();

        var found = await SearchAsync(workspaceId, botId, "price", 10, new KnowledgeSearchLimits(MatchBudget: 1_000, ScanLimit: 4));

        Assert.Equal(4, found.Passages.Count);
        Assert.All(found.Passages, p => Assert.Contains(p.SourceId, sourceIds[^4..]));
    }

    [Fact]
    public async Task TermCounts_ReadFromIndexAndReusedUntilTheyExpire()
    {
        if (ParleyApp.PostgresServer is not null)
        {
            return;
        }
        var client = app.Client();
        var botId = await client.CreateBotAsync();
        var workspaceId = await app.DbAsync(db => Task.FromResult(db.Bots.IgnoreQueryFilters().Single(b => b.Id == botId).WorkspaceId));
        var word = "zq" + string.Concat(Guid.NewGuid().ToString("N").Where(char.IsAsciiLetter).Take(8)) + "x";
        var term = Assert.Single(SearchTerms.Analyze(word));
        async Task AddAsync(string content) =>
            await (await client.PostJsonAsync($"/v1/bots/{botId}/knowledge", new { type = "text", title = "Note", content }))
                .JsonAsync(HttpStatusCode.Created);
        await AddAsync($"Ask for the {word} at the desk.");
        await AddAsync($"The {word} is free on Sundays.");
        await AddAsync("Nothing about it here.");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var counts = new IndexTermCounts(time);
        var botToken = IndexTermCounts.BotToken(botId);
        Task<IReadOnlyDictionary<string, long>> CountAsync() => app.DbAsync(
            db => counts.ChunksAsync(db, [IndexTermCounts.AllChunks, botToken, term, term + "never"], CancellationToken.None), workspaceId);

        var first = await CountAsync();
        Assert.Equal(3, first[botToken]);
        Assert.Equal(2, first[term]);
        Assert.Equal(0, first[term + "never"]);
        Assert.True(first[IndexTermCounts.AllChunks] >= 3);

        await AddAsync($"Return the {word} by noon.");
        Assert.Equal(2, (await CountAsync())[term]);
        time.Advance(IndexTermCounts.Lifetime + TimeSpan.FromSeconds(1));
        var renewed = await CountAsync();
        Assert.Equal(3, renewed[term]);
        Assert.Equal(4, renewed[botToken]);
    }
}
