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

public sealed class KnowledgeAnswererFollowUpTests
{
    private sealed class RecordingRetriever(params KnowledgePassage[] passages) : IKnowledgeRetriever
    {
        public List<string> Queries { get; } = [];

        public Task<KnowledgeSearch> SearchAsync(string botId, string query, int limit, IReadOnlyCollection<string>? sourceIds, CancellationToken cancellationToken)
        {
            Queries.Add(query);
            return Task.FromResult(new KnowledgeSearch(true, PassageRanker.Rank(query, passages, limit)));
        }
    }

    private static readonly BotProfile Bot = new("bot_1", "Lake shop", null, null, "Someone will answer soon.");

    private static readonly KnowledgePassage Prices = new("ks_prices", "Prices", null, [], "Kayak rental costs ten pounds an hour.", 1);

    private static TurnMessage Message(MessageRole role, string text) => new($"msg_{text.Length}", role, text, DateTimeOffset.UnixEpoch, []);

    [Fact]
    public async Task RespondAsync_FollowUpReferringBack_AnsweredWithTheQuestionBefore()
    {
        var retriever = new RecordingRetriever(Prices);
        var history = new[]
        {
            Message(MessageRole.User, "opening hours"),
            Message(MessageRole.Bot, "We open at nine."),
            Message(MessageRole.User, "kayak rental prices"),
            Message(MessageRole.Bot, "Anything else?"),
        };

        var reply = await new KnowledgeAnswerer(retriever).RespondAsync(new ResponderRequest(Bot, history, "how much is that?"), default);

        Assert.Equal(Prices.Text, reply.Text);
        Assert.False(reply.Unanswered);
        Assert.Equal(["how much is that?", "kayak rental prices how much is that?"], retriever.Queries);
    }

    [Fact]
    public async Task RespondAsync_NewQuestionNotAnswered_NotJoinedToTheOneBefore()
    {
        var retriever = new RecordingRetriever(Prices);
        var history = new[] { Message(MessageRole.User, "kayak rental prices") };

        var reply = await new KnowledgeAnswerer(retriever).RespondAsync(new ResponderRequest(Bot, history, "do you sell motorcycles?"), default);

        Assert.True(reply.Unanswered);
        Assert.Equal("Talk to a person", Assert.Single(reply.QuickReplies).Label);
        Assert.Equal(["do you sell motorcycles?"], retriever.Queries);
    }

    [Fact]
    public async Task RespondAsync_FollowUpWithoutAnEarlierQuestion_FallbackWithHandoff()
    {
        var retriever = new RecordingRetriever(Prices);

        var reply = await new KnowledgeAnswerer(retriever).RespondAsync(
            new ResponderRequest(Bot, [Message(MessageRole.Bot, "kayak rental prices")], "how much is that?"), default);

        Assert.Equal(Bot.FallbackText, reply.Text);
        Assert.True(reply.Unanswered);
        Assert.Equal(["how much is that?"], retriever.Queries);
    }

    [Fact]
    public async Task RespondAsync_QuestionAnsweredAlone_NotJoinedToTheOneBefore()
    {
        var retriever = new RecordingRetriever(Prices);

        var reply = await new KnowledgeAnswerer(retriever).RespondAsync(
            new ResponderRequest(Bot, [Message(MessageRole.User, "opening hours")], "is that kayak rental?"), default);

        Assert.Equal(Prices.Text, reply.Text);
        Assert.Equal(["is that kayak rental?"], retriever.Queries);
    }

    [Fact]
    public async Task RespondAsync_KnowledgeAlreadySearched_NotSearchedAgain()
    {
        var search = new KnowledgeSearch(true, [Prices]);

        var reply = await new KnowledgeAnswerer(new RecordingRetriever()).RespondAsync(
            new ResponderRequest(Bot, [], "kayak rental prices", Knowledge: search), default);

        Assert.Equal(Prices.Text, reply.Text);
        Assert.Equal(new Citation("ks_prices", "Prices", null, Prices.Text), Assert.Single(reply.Citations!));
    }

    [Theory]
    [InlineData("how much is that?", true)]
    [InlineData("what about tuesday?", true)]
    [InlineData("is it free for kids?", true)]
    [InlineData("how waterproof is that kayak?", true)]
    [InlineData("is it waterproof for kayaks?", true)]
    [InlineData("is this kayak waterproof?", true)]
    [InlineData("are those kayaks waterproof?", true)]
    [InlineData("are these kayaks waterproof?", true)]
    [InlineData("can I rent them for kayaking trips?", true)]
    [InlineData("can I park there overnight?", true)]
    [InlineData("is the blue one waterproof?", true)]
    [InlineData("are the blue ones waterproof?", true)]
    [InlineData("do you sell motorcycles?", false)]
    [InlineData("kayak rental prices", false)]
    public void LeansOnContext_ReferringBackOrSayingAlmostNothing(string text, bool leans) =>
        Assert.Equal(leans, KnowledgeAnswerer.LeansOnContext(text));
}

public sealed class KnowledgeAnswererKeywordTests
{
    private static KnowledgePassage Passage(string id, string text) => new(id, "Guide", "https://example.com/guide", [], text, 1);

    [Fact]
    public void Answer_ConfidenceExactlyAtTheThreshold_Answers()
    {
        // Five words, all known to the passages retrieved; the best has three of them: 3 / 5 = 0.6.
        var best = Passage("ks_kayaks", "Kayak rental includes a helmet.");
        var other = Passage("ks_canoes", "Canoe paddles are sold separately.");

        var reply = KnowledgeAnswerer.Answer("kayak rental helmet canoe paddle", [best, other]);

        Assert.Equal(best.Text, reply?.Text);
        Assert.Null(KnowledgeAnswerer.Answer("kayak rental helmet canoe paddle harbour", [best, other]));
    }

    [Fact]
    public void Answer_NoPassagesOrNoSearchWords_NoAnswer()
    {
        Assert.Null(KnowledgeAnswerer.Answer("kayak rental", []));
        Assert.Null(KnowledgeAnswerer.Answer("what is it", [Passage("ks_1", "What is it.")]));
    }

    [Fact]
    public void Answer_LongAnswer_CitedWithAShortenedExcerpt()
    {
        var sentence = "Kayak rental " + string.Join(' ', Enumerable.Repeat("includes paddles and helmets", 12)) + ".";

        var citation = Assert.Single(KnowledgeAnswerer.Answer("kayak rental", [Passage("ks_1", sentence)])!.Citations!);

        Assert.Equal(300, citation.Excerpt.Length);
        Assert.Equal(sentence[..299].TrimEnd() + "…", citation.Excerpt);
        Assert.Equal("https://example.com/guide", citation.Url);
    }

    [Fact]
    public void Answer_AnswerOfExcerptLength_CitedWhole()
    {
        var sentence = ("Kayak rental " + string.Join(' ', Enumerable.Repeat("includes paddles and helmets", 12)))[..299] + ".";

        Assert.Equal(sentence, Assert.Single(KnowledgeAnswerer.Answer("kayak rental", [Passage("ks_1", sentence)])!.Citations!).Excerpt);
    }

    private const string Welcome = "Welcome to the lake shop, where we have sold boats to visitors since the year 1990.";
    private const string Rental = "Every kayak rental lasts a full day and includes a paddle and a map of the lake.";
    private const string Canoes = "Canoes are sold in the shop at the lake front and in our second shop in the town.";

    [Fact]
    public void AnsweringSentences_TwoOrFewer_AllOfThem() =>
        Assert.Equal([Welcome, Canoes], KnowledgeAnswerer.AnsweringSentences(["helmet"], Welcome + " " + Canoes));

    [Fact]
    public void AnsweringSentences_ParagraphsWithoutFullStops_AreSentencesToo() =>
        Assert.Equal(["Kayak rental", "Ten pounds"], KnowledgeAnswerer.AnsweringSentences(["kayak", "rental"], "Kayak rental\n\nTen pounds\n\nBoats for sale"));

    [Fact]
    public void AnsweringSentences_BestSentenceAndTheOneAddingAnotherWord_InPassageOrder()
    {
        const string Helmets = "Helmets are lent for free.";

        Assert.Equal([Rental, Helmets], KnowledgeAnswerer.AnsweringSentences(["kayak", "rental", "helmet"], string.Join(' ', Welcome, Rental, Canoes, Helmets)));
        Assert.Equal([Helmets, Rental], KnowledgeAnswerer.AnsweringSentences(["kayak", "rental", "helmet"], string.Join(' ', Helmets, Welcome, Rental, Canoes)));
    }

    [Fact]
    public void AnsweringSentences_TwoSentencesAddTheSameWord_TheNearerJoins()
    {
        const string HelmetsFar = "Helmets for children are kept at the front desk by the door.";
        const string HelmetsNear = "Helmets for adults are kept at the back of the boat house.";

        Assert.Equal([Rental, HelmetsNear], KnowledgeAnswerer.AnsweringSentences(["kayak", "rental", "helmet"], string.Join(' ', HelmetsFar, Welcome, Rental, HelmetsNear)));
    }

    [Fact]
    public void AnsweringSentences_LongBestSentenceNothingToAdd_Alone() =>
        Assert.Equal([Rental], KnowledgeAnswerer.AnsweringSentences(["kayak", "rental"], string.Join(' ', Welcome, Rental, Canoes)));

    [Fact]
    public void AnsweringSentences_SentenceIntroducingWhatFollows_TakesTheNextOne()
    {
        const string Intro = "Kayak rental prices for every visitor who comes to our lake shop are as follows:";

        Assert.Equal([Intro, "Ten pounds an hour."], KnowledgeAnswerer.AnsweringSentences(["kayak", "rental"], string.Join("\n\n", Welcome, Intro, "Ten pounds an hour. Boats are sold here.")));
    }

    [Fact]
    public void AnsweringSentences_ShortBestSentence_TakesTheNextOne()
    {
        Assert.Equal(["Kayak rental daily.", Welcome], KnowledgeAnswerer.AnsweringSentences(["kayak", "rental"], string.Join(' ', "Kayak rental daily.", Welcome, Canoes)));
        Assert.Equal(["Kayak rental daily."], KnowledgeAnswerer.AnsweringSentences(["kayak", "rental"], string.Join(' ', Welcome, Canoes, "Kayak rental daily.")));
    }
}

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
