using Parley.Engine.Knowledge;

namespace Parley.Engine.Tests.Knowledge;

public sealed class PassageRankerTests
{
    private static readonly KnowledgePassage[] Passages =
    [
        new("ks_hours", "Opening hours", null, ["Visit us", "Hours"], "We are open Monday to Saturday from 9 to 18. Closed on Sundays and holidays.", 3.1),
        new("ks_parking", "Visit us", null, ["Parking"], "Customers park for free behind the shop; bikes can be left at the racks.", 2.4),
        new("ks_returns", "Returns", "https://example.com/returns", ["Returns", "Bikes"], "Bicycles can be returned within 14 days if not ridden.", 1.7),
    ];

    private static KnowledgePassage Indexed(KnowledgePassage p) => p with
    {
        IndexedTerms = (SearchTerms.ToIndexText(string.Join(' ', p.HeadingPath.Prepend(p.SourceTitle))), SearchTerms.ToIndexText(p.Text)),
    };

    [Theory]
    [InlineData("When are you open on Saturday?")]
    [InlineData("where can I park my car")]
    [InlineData("can I return a bike I rode?")]
    [InlineData("parking hours for returns")]
    public void Rank_IndexedTerms_SameOrderAndScoresAsAnalysingTheText(string question)
    {
        var analysed = PassageRanker.Rank(question, Passages, 3);
        var indexed = PassageRanker.Rank(question, [.. Passages.Select(Indexed)], 3);

        Assert.Equal(analysed.Select(p => (p.SourceId, p.Score)), indexed.Select(p => (p.SourceId, p.Score)));
        Assert.Equal(
            PassageRanker.Confidence(PassageRanker.QueryTerms(question), analysed[0], analysed),
            PassageRanker.Confidence(PassageRanker.QueryTerms(question), indexed[0], indexed));
    }

    [Fact]
    public void Rank_IndexedTerms_AreWhatIsMatched()
    {
        // The index's terms win over the text: a passage whose stored terms lack a word no longer covers it.
        var parking = Passages[1] with { IndexedTerms = ("visit park", "custom free behind shop") };
        var ranked = PassageRanker.Rank("bike racks", [parking], 1);
        Assert.Equal(0, PassageRanker.Coverage(PassageRanker.QueryTerms("bike racks"), ranked[0]));
    }
}
