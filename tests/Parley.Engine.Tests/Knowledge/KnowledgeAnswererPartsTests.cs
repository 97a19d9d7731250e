using Parley.Engine.Knowledge;
using Parley.Engine.Responders;
using Parley.Engine.Turns;

namespace Parley.Engine.Tests.Knowledge;

public sealed class KnowledgeAnswererPartsTests
{
    /// <summary>Vectors by topic: kayaks one way, helmets another, everything else a third.</summary>
    private sealed class TopicEmbedder : ITextEmbedder
    {
        public string ModelId => "test";

        public bool IsReady => true;

        public ValueTask<float[]?> EmbedQueryAsync(string question, CancellationToken cancellationToken) => ValueTask.FromResult<float[]?>(Vector(question));

        public ValueTask<float[][]> EmbedPassagesAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
            ValueTask.FromResult(texts.Select(Vector).ToArray());

        private static float[] Vector(string text) =>
            text.Contains("elmet", StringComparison.Ordinal) ? [0, 1, 0] : text.Contains("ayak", StringComparison.Ordinal) ? [1, 0, 0] : [0, 0, 1];
    }

    private sealed class FixedRetriever(KnowledgeSearch search) : IKnowledgeRetriever
    {
        public Task<KnowledgeSearch> SearchAsync(string botId, string query, int limit, IReadOnlyCollection<string>? sourceIds, CancellationToken cancellationToken) =>
            Task.FromResult(search);
    }

    private static readonly BotProfile Bot = new("bot_1", "Lake shop", null, null, "Someone will answer soon.");
    private static readonly KnowledgePassage Kayaks = new("ks_kayaks", "Prices", null, ["Kayaks"], "Kayak rental is ten pounds.", 2);
    private static readonly KnowledgePassage Helmets = new("ks_helmets", "Safety", null, ["Helmets"], "Helmets are lent at the desk.", 1);

    private static Task<ResponderReply> AskAsync(string question) =>
        new KnowledgeAnswerer(new FixedRetriever(new KnowledgeSearch(true, [Kayaks, Helmets]) { QueryVector = [1, 0, 0] }), new TopicEmbedder())
            .RespondAsync(new ResponderRequest(Bot, [], question), default).AsTask();

    [Fact]
    public async Task RespondAsync_QuestionAskingTwoThings_AnswersBoth() =>
        Assert.Equal("Kayak rental is ten pounds. Helmets are lent at the desk.", (await AskAsync("how much is kayak rental and do you lend helmets")).Text);

    [Fact]
    public async Task RespondAsync_PartsAnsweredByTwoSources_CitesEach()
    {
        var reply = await AskAsync("how much is kayak rental and do you lend helmets");

        Assert.Equal(
            [("ks_kayaks", "Prices", "Kayak rental is ten pounds."), ("ks_helmets", "Safety", "Helmets are lent at the desk.")],
            reply.Citations!.Select(c => (c.SourceId, c.Title, c.Excerpt)));
    }

    [Fact]
    public async Task RespondAsync_BothPartsAnsweredBySameSentence_QuotesAndCitesItOnce()
    {
        var reply = await AskAsync("kayak rental price and kayak rental hours");

        Assert.Equal("Kayak rental is ten pounds.", reply.Text);
        Assert.Equal(["ks_kayaks"], reply.Citations!.Select(c => c.SourceId));
    }

    [Fact]
    public async Task RespondAsync_QuestionAskingOneThing_AnswersIt() =>
        Assert.Equal("Kayak rental is ten pounds.", (await AskAsync("how much is kayak rental")).Text);
}
