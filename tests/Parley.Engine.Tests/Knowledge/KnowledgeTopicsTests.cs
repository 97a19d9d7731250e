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
            [Passage("Nervous patients", 0.41), Passage("nervous patients!", 0.4), Passage("Fees", 0.25), Passage("Opening hours", 0.26)]);

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
        var offered = KnowledgeTopics.Offered([Passage(new string('x', 61), 0.6), Passage("***", 0.5), Passage(new string('y', 60), 0.4)]);

        Assert.Equal([new string('y', 60)], offered);
    }

    [Fact]
    public void Offered_HeadingAskingForAPerson_Skipped()
    {
        // Picked, it would hand the conversation over; "Talk to a person" is offered beside the topics anyway.
        var offered = KnowledgeTopics.Offered([Passage("Speak to a human", 0.6), Passage("Fees", 0.4)]);

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
    public void Quote_FirstSentenceLongerThanTheLimit_CutAtAWord()
    {
        var list = string.Join(", ", Enumerable.Range(1, 100).Select(i => $"item {i}"));

        var quote = KnowledgeTopics.Quote(Passage("Fees", 0.5, list + ". Second."));

        Assert.True(quote.Length <= KnowledgeTopics.MaxQuoteLength, quote);
        Assert.EndsWith("…", quote, StringComparison.Ordinal);
        Assert.StartsWith(quote[..^1], list, StringComparison.Ordinal);
        Assert.Equal(' ', list[quote.Length - 1]);
    }
}
