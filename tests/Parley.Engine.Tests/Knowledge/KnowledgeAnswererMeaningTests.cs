using Parley.Engine.Knowledge;
using Parley.Engine.Responders;
using Parley.Engine.Turns;

namespace Parley.Engine.Tests.Knowledge;

public sealed class KnowledgeAnswererMeaningTests
{
    /// <summary>Vectors by a word: a sentence about helmets points one way, every other sentence the other.</summary>
    private sealed class HelmetEmbedder : ITextEmbedder
    {
        public List<string> Embedded { get; } = [];

        public string ModelId => "test";

        public bool IsReady => true;

        public ValueTask<float[]?> EmbedQueryAsync(string question, CancellationToken cancellationToken) => ValueTask.FromResult<float[]?>(Vector(question));

        public ValueTask<float[][]> EmbedPassagesAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
        {
            Embedded.AddRange(texts);
            return ValueTask.FromResult(texts.Select(Vector).ToArray());
        }

        private static float[] Vector(string text) => text.Contains("elmet", StringComparison.Ordinal) ? [1, 0] : [0, 1];
    }

    private sealed class FixedRetriever(KnowledgeSearch search) : IKnowledgeRetriever
    {
        public Task<KnowledgeSearch> SearchAsync(string botId, string query, int limit, IReadOnlyCollection<string>? sourceIds, CancellationToken cancellationToken) =>
            Task.FromResult(search);
    }

    private static readonly BotProfile Bot = new("bot_1", "Lake shop", null, null, "Someone will answer soon.");

    private static readonly KnowledgePassage Kayaks = new("ks_kayaks", "Prices", null, ["Kayaks"], "Kayak rental is ten pounds. Boats are sold here.", 2);
    private static readonly KnowledgePassage Helmets = new("ks_helmets", "Safety", "https://example.com/safety", [], "Helmets are lent at the desk.", 1);
    private static readonly KnowledgePassage Boats = new("ks_boats", "Boats", null, [], "Boats are sold here.", 1);
    private static readonly KnowledgePassage Unread = new("ks_unread", "Gifts", null, [], "Gift cards with helmets.", 1);

    private static Task<ResponderReply> AskAsync(KnowledgeSearch search, HelmetEmbedder? embedder) =>
        new KnowledgeAnswerer(new FixedRetriever(search), embedder).RespondAsync(new ResponderRequest(Bot, [], "zzz"), default).AsTask();

    [Fact]
    public async Task RespondAsync_QueryVector_QuotesTheSentenceClosestInMeaning()
    {
        var embedder = new HelmetEmbedder();

        var reply = await AskAsync(new KnowledgeSearch(true, [Kayaks, Boats, Helmets, Unread]) { QueryVector = [1, 0] }, embedder);

        Assert.Equal(Helmets.Text, reply.Text);
        Assert.Equal(new Citation("ks_helmets", "Safety", "https://example.com/safety", Helmets.Text), Assert.Single(reply.Citations!));
        // The three best passages are read, each sentence with its nearest heading in front.
        Assert.Equal(["Kayaks: Kayak rental is ten pounds.", "Kayaks: Boats are sold here.", "Boats: Boats are sold here.", "Safety: Helmets are lent at the desk."], embedder.Embedded);
    }

    [Fact]
    public async Task RespondAsync_NoSentenceCloseInMeaning_FallbackWithHandoff()
    {
        var reply = await AskAsync(new KnowledgeSearch(true, [Kayaks, Boats]) { QueryVector = [1, 0] }, new HelmetEmbedder());

        Assert.True(reply.Unanswered);
        Assert.Equal(Bot.FallbackText, reply.Text);
    }

    [Fact]
    public async Task RespondAsync_NoQueryVectorOrNoEmbedder_AnswersFromKeywords()
    {
        var embedder = new HelmetEmbedder();

        // "zzz" shares no word with any passage, so the keyword answerer does not answer.
        Assert.True((await AskAsync(new KnowledgeSearch(true, [Helmets]), embedder)).Unanswered);
        Assert.True((await AskAsync(new KnowledgeSearch(true, [Helmets]) { QueryVector = [1, 0] }, null)).Unanswered);
        Assert.Empty(embedder.Embedded);
    }
}
