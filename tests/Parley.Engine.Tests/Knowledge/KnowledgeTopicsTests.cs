using Parley.Engine.Knowledge;

namespace Parley.Engine.Tests.Knowledge;

public sealed class KnowledgeTopicsTests
{
    private static KnowledgePassage Passage(string heading, double? similarity, string text = "Text.", string title = "Dentist") =>
        new("ks_1", title, null, heading.Length == 0 ? [] : ["Brightsmile", heading], text, 1) { Similarity = similarity };

    [Fact]
    public void Offered_PassagesCloseInMeaning_TheirHeadingsBestFirstEachOnce()
    {
        var offered = KnowledgeTopics.Offered(
            [Passage("Nervous patients", 0.41), Passage("Fees", 0.38), Passage("nervous patients!", 0.37), Passage("Opening hours", 0.26)]);

        Assert.Equal(["Nervous patients", "Fees"], offered);
    }

    [Fact]
    public void Offered_PassageWithoutHeading_NamedByItsSourcesTitle()
    {
        Assert.Equal(["Dentist"], KnowledgeTopics.Offered([Passage("", 0.5)]));
    }

    [Theory]
    [InlineData(0.24)]
    [InlineData(null)]
    public void Offered_PassageNotCloseOrFoundByKeywordsAlone_NotOffered(double? similarity)
    {
        Assert.Empty(KnowledgeTopics.Offered([Passage("Fees", similarity)]));
    }

    [Fact]
    public void Offered_HeadingTooLongForAButtonOrWithoutWords_Skipped()
    {
        var offered = KnowledgeTopics.Offered([Passage(new string('x', 61), 0.6), Passage("***", 0.5), Passage("Fees", 0.4)]);

        Assert.Equal(["Fees"], offered);
    }

    [Theory]
    [InlineData("Fees")]
    [InlineData("fees?")]
    [InlineData("  FEES ")]
    public void Named_QuestionIsATopicsName_ThatPassage(string question)
    {
        var fees = Passage("Fees", 0.2);

        Assert.Same(fees, KnowledgeTopics.Named(question, [Passage("Opening hours", 0.5), fees]));
    }

    [Theory]
    [InlineData("what are your fees")]
    [InlineData("?")]
    public void Named_QuestionIsNotATopicsName_Null(string question)
    {
        Assert.Null(KnowledgeTopics.Named(question, [Passage("Fees", 0.5)]));
    }

    [Fact]
    public void Quote_LongSection_WholeSentencesUpToTheLimit()
    {
        var sentences = Enumerable.Range(1, 20).Select(i => $"Treatment number {i} costs {i * 10} dollars at our practice.").ToList();

        var quote = KnowledgeTopics.Quote(Passage("Fees", 0.5, string.Join(' ', sentences)));

        Assert.StartsWith(sentences[0], quote, StringComparison.Ordinal);
        Assert.EndsWith(".", quote, StringComparison.Ordinal);
        Assert.InRange(quote.Length, KnowledgeTopics.MaxQuoteLength - sentences[^1].Length, KnowledgeTopics.MaxQuoteLength);
        Assert.Equal(string.Join(' ', sentences.Take(quote.Count(c => c == '.'))), quote);
    }

    [Fact]
    public void Quote_FirstSentenceLongerThanTheLimit_QuotedWhole()
    {
        var sentence = new string('a', 600) + ".";

        Assert.Equal(sentence, KnowledgeTopics.Quote(Passage("Fees", 0.5, sentence + " Second.")));
    }
}
