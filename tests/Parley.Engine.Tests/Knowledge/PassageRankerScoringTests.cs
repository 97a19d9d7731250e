using Parley.Engine.Knowledge;

namespace Parley.Engine.Tests.Knowledge;

public sealed class PassageRankerScoringTests
{
    private static KnowledgePassage Passage(string id, string title, string[] headings, string text, double score) =>
        new(id, title, null, headings, text, score);

    // For "kayak rental": both words in the text, the best index score.
    private static readonly KnowledgePassage InText = Passage("text", "Guide", [], "Kayak rental daily.", 3);

    // Both words, one of them in the title, which counts as a heading; a third of the best index score.
    private static readonly KnowledgePassage InTitle = Passage("title", "Kayak", [], "Rental desk.", 1);

    // One word, and only in a heading; no index score.
    private static readonly KnowledgePassage InHeading = Passage("heading", "Guide", ["Rental"], "Bikes only.", 0);

    // Neither word; two thirds of the best index score.
    private static readonly KnowledgePassage Neither = Passage("neither", "Guide", [], "Nothing here.", 2);

    [Fact]
    public void Rank_CoverageHeadingsAndIndexScore_AddUpToTheOrder()
    {
        var ranked = PassageRanker.Rank("kayak rental", [Neither, InHeading, InTitle, InText], 4);

        Assert.Equal(["text", "title", "heading", "neither"], ranked.Select(p => p.SourceId));
        // Coverage, plus 0.15 × the share in headings, plus 0.25 × the index score relative to the best.
        Assert.Equal([1.25, 1.1583, 0.575, 0.1667], ranked.Select(p => p.Score));
    }

    [Fact]
    public void Rank_Limit_KeepsTheBest() =>
        Assert.Equal(["text", "title"], PassageRanker.Rank("kayak rental", [Neither, InHeading, InTitle, InText], 2).Select(p => p.SourceId));

    [Fact]
    public void Rank_EqualScores_KeepTheOrderFound() =>
        Assert.Equal(["first", "second"], PassageRanker.Rank("kayak", [
            Passage("first", "Guide", [], "Kayak.", 1),
            Passage("second", "Guide", [], "Kayak.", 1),
            Passage("third", "Guide", [], "Kayak.", 1),
        ], 2).Select(p => p.SourceId));

    [Fact]
    public void Rank_NoIndexScores_CoverageAlone() =>
        Assert.Equal([1.0, 0.5], PassageRanker.Rank("kayak rental", [
            Passage("half", "Guide", [], "Kayak.", 0),
            Passage("whole", "Guide", [], "Kayak rental.", 0),
        ], 2).Select(p => p.Score));

    [Fact]
    public void Rank_QuestionOfStopWordsOnly_NothingRanked() =>
        Assert.Empty(PassageRanker.Rank("what is it", [InText], 5));

    [Fact]
    public void Rank_NoCandidates_NothingRanked() =>
        Assert.Empty(PassageRanker.Rank("kayak rental", [], 5));

    [Fact]
    public void QueryTerms_RepeatedWord_CountsOnce() =>
        Assert.Equal(["kayak", "rental"], PassageRanker.QueryTerms("kayaks, kayak rental kayaking rental"));

    [Fact]
    public void Coverage_ShareOfTermsInTextHeadingsOrTitle()
    {
        Assert.Equal(2.0 / 3, PassageRanker.Coverage(["kayak", "rental", "canoe"], InText), 10);
        Assert.Equal(0.5, PassageRanker.Coverage(["kayak", "rental"], InHeading), 10);
        Assert.Equal(0, PassageRanker.Coverage([], InText));
    }

    [Fact]
    public void Confidence_WordNoRetrievedPassageKnows_WeighsMore()
    {
        var terms = PassageRanker.QueryTerms("kayak rental canoe");
        var canoes = Passage("canoe", "Guide", [], "Canoe trips.", 1);

        // "canoe" is in no retrieved passage: it weighs 1.5, so 2 of 3.5.
        Assert.Equal(2 / 3.5, PassageRanker.Confidence(terms, InText, [InText]), 10);
        // Another passage knows "canoe": every word weighs 1, so 2 of 3.
        Assert.Equal(2.0 / 3, PassageRanker.Confidence(terms, InText, [InText, canoes]), 10);
        Assert.Equal(1.0 / 3, PassageRanker.Confidence(terms, canoes, [InText, canoes]), 10);
        Assert.Equal(0, PassageRanker.Confidence([], InText, [InText]));
    }
}
