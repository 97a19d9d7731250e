using Parley.Engine.Knowledge;

namespace Parley.Engine.Tests.Knowledge;

public sealed class HybridRankingTests
{
    private static KnowledgePassage Passage(string id, string text, double? similarity, double score = 1) =>
        new(id, "Guide", null, [], text, score) { Similarity = similarity };

    [Fact]
    public void Rank_SimilarityAndSharedWords_WeightedSeventyThirty()
    {
        var ranked = HybridRanking.Rank("is parking free", [
            Passage("gift", "Gift cards are sold at the desk.", 0.9),
            Passage("park", "Parking is free behind the shop.", 0.5),
            Passage("half", "Parking costs two pounds.", null),
        ], 10);

        Assert.Equal(["park", "gift", "half"], ranked.Select(p => p.SourceId));
        Assert.Equal([0.65, 0.63, 0.15], ranked.Select(p => p.Score));
    }

    [Fact]
    public void Rank_EqualScores_KeepTheOrderFoundAndTheLimit()
    {
        var ranked = HybridRanking.Rank("is parking free", [
            Passage("first", "Parking is free.", 0.5),
            Passage("second", "Parking is free.", 0.5),
            Passage("third", "Parking is free.", 0.5),
        ], 2);

        Assert.Equal(["first", "second"], ranked.Select(p => p.SourceId));
    }

    [Fact]
    public void Rank_NoPassageEmbedded_RanksByKeywordsAlone()
    {
        KnowledgePassage[] candidates = [Passage("gift", "Gift cards are sold here.", null, 3), Passage("park", "Parking is free.", null, 1)];

        Assert.Equal(PassageRanker.Rank("is parking free", candidates, 5), HybridRanking.Rank("is parking free", candidates, 5));
    }
}
