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

    [Fact]
    public void Chunk_HigherHeading_ClosesTheDeeperOnes()
    {
        var chunks = DocumentChunker.Chunk(MarkdownBlocks.Parse("# Shop\n## Hours\nOpen at nine.\n# Delivery\nFree in town."));

        Assert.Equal(["Delivery"], chunks[^1].HeadingPath);
        Assert.Equal([0, 1], chunks.Select(c => c.Ordinal));
    }

    [Fact]
    public void Chunk_HeadingWithNothingUnderIt_MakesNoPassage()
    {
        var chunk = Assert.Single(DocumentChunker.Chunk(MarkdownBlocks.Parse("# Shop\n## Empty\n## Hours\nOpen at nine.")));

        Assert.Equal(["Shop", "Hours"], chunk.HeadingPath);
    }

    [Fact]
    public void Chunk_SectionThatFits_StaysWholeWithParagraphsApart()
    {
        var chunk = Assert.Single(DocumentChunker.Chunk(MarkdownBlocks.Parse("# Hours\nOpen at nine.\n\nClosed on Sunday.")));

        Assert.Equal("Open at nine.\n\nClosed on Sunday.", chunk.Text);
        Assert.Equal(DocumentChunker.CountTokens(chunk.Text), chunk.TokenCount);
    }

    [Fact]
    public void Chunk_NewSection_StartsWithoutTheLastSentenceOfThePrevious()
    {
        var chunks = DocumentChunker.Chunk(MarkdownBlocks.Parse("# Hours\nOpen at nine.\n# Parking\nFree."));

        Assert.Equal("Free.", chunks[1].Text);
    }

    [Fact]
    public void Chunk_VeryLongParagraph_CutBetweenSentencesNearTheTarget()
    {
        var paragraph = string.Join(" ", Enumerable.Range(1, 80).Select(i => $"Sentence {i} is about bikes and repairs."));

        var chunks = DocumentChunker.Chunk([DocumentBlock.Paragraph(paragraph)]);

        Assert.True(chunks.Count > 1);
        Assert.All(chunks, c => Assert.InRange(c.TokenCount, 1, DocumentChunker.MaxTokens + DocumentChunker.MaxOverlapTokens));
        Assert.All(Sentences.Split(paragraph), s => Assert.Contains(chunks, c => c.Text.Contains(s, StringComparison.Ordinal)));
        Assert.All(chunks, c => Assert.EndsWith(".", c.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void Chunk_LongTextWithoutSentenceEnds_CutByWords()
    {
        var words = Enumerable.Range(1, 700).Select(i => $"w{i}").ToList();

        var chunks = DocumentChunker.Chunk([DocumentBlock.Paragraph(string.Join(' ', words))]);

        Assert.Equal(words, chunks.SelectMany(c => c.Text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries)).Distinct());
        Assert.All(chunks, c => Assert.InRange(c.TokenCount, 1, DocumentChunker.MaxTokens + DocumentChunker.MaxOverlapTokens));
    }

    [Fact]
    public void Chunk_LastSentenceTooLongToRepeat_NextPassageStartsFresh()
    {
        var longSentence = string.Join(' ', Enumerable.Repeat("word", 60)) + ".";
        var paragraphs = Enumerable.Range(1, 8).Select(_ => longSentence).Select(DocumentBlock.Paragraph).ToList();

        var chunks = DocumentChunker.Chunk(paragraphs);

        Assert.True(chunks.Count > 1);
        Assert.Equal(paragraphs.Count, chunks.Sum(c => c.Text.Split("\n\n").Length));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("one", 2)]
    [InlineData("a b c", 4)]
    [InlineData("  a\tb\n c  ", 4)]
    [InlineData("one two three four five six", 8)]
    public void CountTokens_FourTokensForEveryThreeWords(string text, int tokens) =>
        Assert.Equal(tokens, DocumentChunker.CountTokens(text));
}
