using Parley.Engine.Knowledge;
using Parley.Engine.Responders;
using Parley.Engine.Turns;

namespace Parley.Engine.Tests.Knowledge;

public sealed class KnowledgeAnswererTests
{
    private sealed class FixedRetriever(bool hasKnowledge, params KnowledgePassage[] passages) : IKnowledgeRetriever
    {
        public Task<KnowledgeSearch> SearchAsync(string botId, string query, int limit, IReadOnlyCollection<string>? sourceIds, CancellationToken cancellationToken) =>
            Task.FromResult(new KnowledgeSearch(hasKnowledge, PassageRanker.Rank(query, passages, limit)));
    }

    private static readonly BotProfile Bot = new("bot_1", "Shop", null, null, "Someone will answer soon.");

    private static readonly KnowledgePassage Returns = new("ks_1", "Returns", null, ["Returns"],
        "We love our customers. Unused items can be returned within 30 days for a full refund. Bikes must not have been ridden. Ask at the till.", 1);

    [Fact]
    public async Task RespondAsync_CoveredQuestion_QuotesSentenceAndCites()
    {
        var reply = await new KnowledgeAnswerer(new FixedRetriever(true, Returns))
            .RespondAsync(new ResponderRequest(Bot, [], "How many days do I have to return items?"), default);
        Assert.StartsWith("Unused items can be returned within 30 days", reply.Text, StringComparison.Ordinal);
        Assert.Equal("ks_1", Assert.Single(reply.Citations!).SourceId);
        Assert.False(reply.Unanswered);
    }

    [Fact]
    public async Task RespondAsync_UnknownSubject_FallbackWithHandoff()
    {
        var reply = await new KnowledgeAnswerer(new FixedRetriever(true, Returns))
            .RespondAsync(new ResponderRequest(Bot, [], "Can I return a motorcycle?"), default);
        Assert.Equal(Bot.FallbackText, reply.Text);
        Assert.Equal(KnowledgeAnswerer.HandoffValue, Assert.Single(reply.QuickReplies).Value);
        Assert.True(reply.Unanswered);
    }

    [Fact]
    public async Task RespondAsync_NoKnowledge_PlainFallback()
    {
        var reply = await new KnowledgeAnswerer(new FixedRetriever(false))
            .RespondAsync(new ResponderRequest(Bot, [], "Anything?"), default);
        Assert.Equal(Bot.FallbackText, reply.Text);
        Assert.Empty(reply.QuickReplies);
        Assert.False(reply.Unanswered);
    }

    private sealed class ThrowingRetriever : IKnowledgeRetriever
    {
        public Task<KnowledgeSearch> SearchAsync(string botId, string query, int limit, IReadOnlyCollection<string>? sourceIds, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("A bot without knowledge must not be searched.");
    }

    [Fact]
    public async Task RespondAsync_BotWithoutSources_FallbackWithoutSearching()
    {
        var reply = await new KnowledgeAnswerer(new ThrowingRetriever())
            .RespondAsync(new ResponderRequest(Bot with { HasKnowledge = false }, [], "Anything?"), default);
        Assert.Equal(Bot.FallbackText, reply.Text);
        Assert.Empty(reply.QuickReplies);
    }
}
