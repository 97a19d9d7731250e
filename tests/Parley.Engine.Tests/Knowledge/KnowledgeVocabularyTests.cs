using Parley.Engine.Knowledge;

namespace Parley.Engine.Tests.Knowledge;

public sealed class KnowledgeVocabularyTests
{
    private static readonly KnowledgeVocabulary Vocabulary = KnowledgeVocabulary.Of(
        "Leaking faucet repair from $120.", "Blocked drain repair from $160.", "Opening hours: weekdays 8 to 6.");

    [Theory]
    [InlineData("repair", "repair")]
    [InlineData("repiar", "repair")]
    [InlineData("faucett", "faucet")]
    [InlineData("boiler", null)]
    [InlineData("2024", null)]
    [InlineData("dran", "drain")]
    public void Match_WordOrOneSlip_GivesTheKnowledgeWord(string term, string? expected) =>
        Assert.Equal(expected, Vocabulary.Match(term));

    [Fact]
    public void Idf_RareWordsWeighMoreAndUnknownWordsMost()
    {
        Assert.True(Vocabulary.Idf("faucet") > Vocabulary.Idf("repair"));
        Assert.True(Vocabulary.Idf("boiler") > Vocabulary.Idf("faucet"));
        Assert.Equal(Vocabulary.Idf("faucet"), Vocabulary.Idf("faucett"), 6);
    }

    [Fact]
    public void AddPassage_CountsEachWordOncePerPassage()
    {
        var vocabulary = new KnowledgeVocabulary();
        vocabulary.AddPassage(["tap", "tap", "leak"]);
        vocabulary.AddPassage(["leak"]);

        Assert.Equal(2, vocabulary.Passages);
        Assert.Equal(Math.Log(3 / 1.5), vocabulary.Idf("tap"), 6);
        Assert.Equal(Math.Log(3 / 2.5), vocabulary.Idf("leak"), 6);
    }
}
