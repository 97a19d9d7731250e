using Parley.Engine.Knowledge;
using Parley.Engine.Responders;
using Parley.Engine.Turns;

namespace Parley.Engine.Tests.Knowledge;

public sealed class KnowledgeAnswererLocationTests
{
    /// <summary>Vectors by a word: a sentence with a road points one way, every other text the other.</summary>
    private sealed class RoadEmbedder : ITextEmbedder
    {
        public string ModelId => "test";

        public bool IsReady => true;

        public ValueTask<float[]?> EmbedQueryAsync(string question, CancellationToken cancellationToken) => ValueTask.FromResult<float[]?>(Vector(question));

        public ValueTask<float[][]> EmbedPassagesAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
            ValueTask.FromResult(texts.Select(Vector).ToArray());

        private static float[] Vector(string text) => text.Contains("Road", StringComparison.Ordinal) ? [1, 0] : [0, 1];
    }

    /// <summary>Finds nothing for the question as asked; the words of addresses find the passage with the address.</summary>
    private sealed class AddressRetriever(KnowledgePassage found) : IKnowledgeRetriever
    {
        public List<string> Queries { get; } = [];

        public Task<KnowledgeSearch> SearchAsync(string botId, string query, int limit, IReadOnlyCollection<string>? sourceIds, CancellationToken cancellationToken)
        {
            Queries.Add(query);
            return Task.FromResult(query.EndsWith(LocationQuestion.SearchWords, StringComparison.Ordinal)
                ? new KnowledgeSearch(true, [found]) { QueryVector = [0.6f, 0.8f] }
                : new KnowledgeSearch(true, []));
        }
    }

    private static readonly BotProfile Bot = new("bot_1", "Groomer", null, null, "Someone will answer soon.");

    private static readonly KnowledgePassage PickUp = new("ks_1", "Pick-up", null, [],
        "We collect dogs for free within 5 miles. Paws & Suds is at 8 Canal Road, opposite the park.", 1);

    private static async Task<(ResponderReply Reply, List<string> Queries)> AskAsync(string question, KnowledgePassage found)
    {
        var retriever = new AddressRetriever(found);
        var reply = await new KnowledgeAnswerer(retriever, new RoadEmbedder()).RespondAsync(new ResponderRequest(Bot, [], question), default);
        return (reply, retriever.Queries);
    }

    [Fact]
    public async Task RespondAsync_WhereAreYou_AnswersWithTheStreetAddress()
    {
        var (reply, queries) = await AskAsync("where r u", PickUp);

        Assert.Equal("Paws & Suds is at 8 Canal Road, opposite the park.", reply.Text);
        Assert.Equal("ks_1", Assert.Single(reply.Citations!).SourceId);
        Assert.Contains("where r u" + LocationQuestion.SearchWords, queries);
    }

    [Fact]
    public async Task RespondAsync_OtherQuestion_NotSearchedForAnAddress()
    {
        var (reply, queries) = await AskAsync("do you groom cats", PickUp);

        Assert.True(reply.Unanswered);
        Assert.DoesNotContain(queries, q => q.EndsWith(LocationQuestion.SearchWords, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RespondAsync_WhereAreYouWithoutAnAddress_AnsweredAsAnyQuestion()
    {
        var (reply, _) = await AskAsync("where r u", PickUp with { Text = "We collect dogs for free within 5 miles." });

        Assert.True(reply.Unanswered);
    }
}
