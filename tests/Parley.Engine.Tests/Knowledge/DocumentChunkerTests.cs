using Parley.Engine.Knowledge;

namespace Parley.Engine.Tests.Knowledge;

public sealed class DocumentChunkerTests
{
    [Fact]
    public void Chunk_Sections_OnePassagePerSectionWithHeadingPath()
    {
        var chunks = DocumentChunker.Chunk(MarkdownBlocks.Parse("# Shop\nIntro.\n## Hours\nOpen at nine.\n### Holidays\nClosed.\n## Parking\nFree."));
        Assert.Equal(["Shop", "Hours", "Holidays"], chunks[2].HeadingPath);
        Assert.Equal(["Shop", "Parking"], chunks[3].HeadingPath);
        Assert.Equal("Free.", chunks[3].Text);
    }

    [Fact]
    public void Chunk_LongSection_SplitWithinLimitAndOverlapping()
    {
        var paragraphs = Enumerable.Range(1, 40).Select(i => $"Sentence number {i} tells something about bikes and repairs here.");
        var chunks = DocumentChunker.Chunk([DocumentBlock.Heading(1, "Long"), .. paragraphs.Select(DocumentBlock.Paragraph)]);
        Assert.True(chunks.Count > 1);
        Assert.All(chunks, c => Assert.InRange(c.TokenCount, 1, DocumentChunker.MaxTokens + DocumentChunker.MaxOverlapTokens));
        Assert.StartsWith(Sentences.Split(chunks[0].Text)[^1], chunks[1].Text, StringComparison.Ordinal);
    }
}
