using Parley.Engine.Knowledge;
using Parley.Engine.Responders;
using Parley.Engine.Turns;

namespace Parley.Engine.Tests.Knowledge;

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
