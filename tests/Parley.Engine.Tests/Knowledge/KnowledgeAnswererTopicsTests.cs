using Parley.Engine.Knowledge;
using Parley.Engine.Responders;
using Parley.Engine.Turns;

namespace Parley.Engine.Tests.Knowledge;

public sealed class KnowledgeAnswererTopicsTests
{
    /// <summary>Every question points one way and every sentence another: no sentence is close enough to answer.</summary>
    private sealed class UnrelatedEmbedder : ITextEmbedder
    {
        public string ModelId => "test";

        public bool IsReady => true;

        public ValueTask<float[]?> EmbedQueryAsync(string question, CancellationToken cancellationToken) => ValueTask.FromResult<float[]?>([1, 0]);

        public ValueTask<float[][]> EmbedPassagesAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
            ValueTask.FromResult(texts.Select(_ => new float[] { 0, 1 }).ToArray());
    }

    private sealed class FixedRetriever(KnowledgeSearch search) : IKnowledgeRetriever
    {
        public Task<KnowledgeSearch> SearchAsync(string botId, string query, int limit, IReadOnlyCollection<string>? sourceIds, CancellationToken cancellationToken) =>
            Task.FromResult(search);
    }

    private static readonly BotProfile Bot = new("bot_1", "Brightsmile Dental", null, null, "Someone will answer soon.");

    private static readonly KnowledgePassage Nervous = new("ks_care", "Patient care", null, ["Nervous patients"],
        "Inhalation sedation (nitrous oxide) is available for $60 per visit. Tell us when you book.", 1) { Similarity = 0.4 };

    private static readonly KnowledgePassage Fees = new("ks_fees", "Fees", "https://example.com/fees", ["Fees"],
        "A check-up costs $55. A scale and polish costs $75.", 1) { Similarity = 0.38 };

    private static readonly KnowledgePassage Parking = new("ks_visit", "Visiting", null, ["Parking"],
        "Park behind the building.", 1) { Similarity = 0.24 };

    private static Task<ResponderReply> AskAsync(string question, params KnowledgePassage[] passages) =>
        new KnowledgeAnswerer(new FixedRetriever(new KnowledgeSearch(true, passages) { QueryVector = [1, 0] }), new UnrelatedEmbedder())
            .RespondAsync(new ResponderRequest(Bot, [], question), default).AsTask();

    [Fact]
    public async Task RespondAsync_NotAnswered_SectionsCloseToTheQuestionOfferedBeforeAPerson()
    {
        var reply = await AskAsync("how much is laughing gas", Nervous, Fees, Parking);

        Assert.True(reply.Unanswered);
        Assert.Equal(Bot.FallbackText, reply.Text);
        Assert.Equal(
            [new QuickReply("Nervous patients", "Nervous patients"), new QuickReply("Fees", "Fees"), new QuickReply("Talk to a person", KnowledgeAnswerer.HandoffValue)],
            reply.QuickReplies);
        Assert.Empty(reply.Citations!);
    }

    [Fact]
    public async Task RespondAsync_NotAnsweredAndNoSectionClose_OnlyAPersonOffered()
    {
        var reply = await AskAsync("who invented the telephone", Parking);

        Assert.Equal("Talk to a person", Assert.Single(reply.QuickReplies).Label);
    }

    [Fact]
    public async Task RespondAsync_TopicPicked_StartOfItsSectionQuotedAndCited()
    {
        var reply = await AskAsync("Fees", Nervous, Fees);

        Assert.False(reply.Unanswered);
        Assert.Equal(Fees.Text, reply.Text);
        Assert.Equal(new Citation("ks_fees", "Fees", "https://example.com/fees", Fees.Text), Assert.Single(reply.Citations!));
        Assert.Empty(reply.QuickReplies);
    }
}
