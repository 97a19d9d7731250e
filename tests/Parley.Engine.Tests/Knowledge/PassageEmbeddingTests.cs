using Parley.Engine.Knowledge;

namespace Parley.Engine.Tests.Knowledge;

public sealed class PassageEmbeddingTests
{
    [Fact]
    public void ChunkText_TitleAndHeadingsInFront_TitleOnceWhenAHeadingRepeatsIt()
    {
        Assert.Equal("Prices > Common jobs > Taps: A new tap is $90.", PassageEmbedding.ChunkText("Prices", ["Common jobs", "Taps"], "A new tap is $90."));
        Assert.Equal("Prices > Common jobs: A new tap is $90.", PassageEmbedding.ChunkText("Prices", ["Prices", "Common jobs"], "A new tap is $90."));
        Assert.Equal("Prices: A new tap is $90.", PassageEmbedding.ChunkText("Prices", [], "A new tap is $90."));
    }

    [Fact]
    public void SentenceText_NearestHeadingInFront_OrTheTitleWithoutHeadings()
    {
        Assert.Equal("Opening hours: We are closed on Sundays.", PassageEmbedding.SentenceText("Visit us", ["Shop", "Opening hours"], "We are closed on Sundays."));
        Assert.Equal("Visit us: We are closed on Sundays.", PassageEmbedding.SentenceText("Visit us", [], "We are closed on Sundays."));
    }

    [Fact]
    public void SentencesOf_ParagraphsCutAtSentenceEnds() =>
        Assert.Equal(["Prices", "A new tap is $90.", "Call us first."], PassageEmbedding.SentencesOf("Prices\n\nA new tap is $90. Call us first."));
}
