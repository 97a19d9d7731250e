using Parley.Engine.Knowledge;

namespace Parley.Engine.Tests.Knowledge;

public sealed class DocumentChunkerSizeTests
{
    /// <summary>Text of <paramref name="count"/> words without a sentence end: four tokens for every three words.</summary>
    private static string Words(int count, string word = "w") => string.Join(' ', Enumerable.Range(1, count).Select(i => $"{word}{i}"));

    private static DocumentBlock P(string text) => DocumentBlock.Paragraph(text);

    [Fact]
    public void Chunk_SectionReachingOneAndAHalfTargets_CutThere()
    {
        // 100 and 200 tokens make 300, one and a half targets: the passage ends there.
        var chunks = DocumentChunker.Chunk([P(Words(75)), P(Words(150)), P("Closed on Sundays.")]);

        Assert.Equal([Words(75) + "\n\n" + Words(150), "Closed on Sundays."], chunks.Select(c => c.Text));
        Assert.Equal([300, 4], chunks.Select(c => c.TokenCount));
    }

    [Fact]
    public void Chunk_SectionEndingRightAtTheCut_NoPassageOfTheRepeatedSentenceAlone()
    {
        // 225 words, 300 tokens: the cut falls at the section's end, before a heading or the document's end.
        var first = Words(221) + ". Bikes are fixed here.";

        var beforeHeading = DocumentChunker.Chunk([P(first), DocumentBlock.Heading(2, "Prices"), P("Ten pounds.")]);
        var atTheEnd = DocumentChunker.Chunk([P(first)]);

        Assert.Equal([first, "Ten pounds."], beforeHeading.Select(c => c.Text));
        Assert.Equal([0, 1], beforeHeading.Select(c => c.Ordinal));
        Assert.Equal(["Prices"], beforeHeading[1].HeadingPath);
        Assert.Equal([first], atTheEnd.Select(c => c.Text));
    }

    [Fact]
    public void Chunk_SectionBelowOneAndAHalfTargets_StaysWhole() =>
        Assert.Single(DocumentChunker.Chunk([P(Words(75)), P(Words(75, "v")), P("Closed on Sundays.")]));

    [Fact]
    public void Chunk_ParagraphsReachingExactlyTheMaximum_StayTogether() =>
        Assert.Equal([Words(75) + "\n\n" + Words(225, "v")], DocumentChunker.Chunk([P(Words(75)), P(Words(225, "v"))]).Select(c => c.Text));

    [Fact]
    public void Chunk_ParagraphThatWouldPassTheMaximum_StartsTheNextPassageWithTheLastSentence()
    {
        // 251 tokens, then 200 more would pass 400: the second passage repeats the first one's last sentence.
        var first = Words(184) + ". Bikes are fixed here.";

        var chunks = DocumentChunker.Chunk([P(first), P(Words(150, "v"))]);

        Assert.Equal([first, "Bikes are fixed here.\n\n" + Words(150, "v")], chunks.Select(c => c.Text));
    }

    [Fact]
    public void Chunk_LastSentenceOfFiftyTokens_StillRepeated()
    {
        // 300 tokens end the passage; its last sentence, of 50 tokens, starts the next one.
        var last = "Bikes " + Words(36) + ".";
        var first = Words(188) + ". " + last;

        var chunks = DocumentChunker.Chunk([P(first), P("Closed on Sundays.")]);

        Assert.Equal(50, DocumentChunker.CountTokens(last));
        Assert.Equal([first, last + "\n\nClosed on Sundays."], chunks.Select(c => c.Text));
    }

    [Fact]
    public void Chunk_ParagraphOfExactlyTheMaximum_StaysOnePiece()
    {
        var paragraph = string.Join(' ', Enumerable.Range(1, 52).Select(i => $"Sentence {i} fixes old bikes.")) + " Bikes " + Words(39) + ".";

        Assert.Equal(DocumentChunker.MaxTokens, DocumentChunker.CountTokens(paragraph));
        Assert.Equal([paragraph], DocumentChunker.Chunk([P(paragraph)]).Select(c => c.Text));
    }

    [Fact]
    public void Chunk_VeryLongParagraph_SentencesGroupedUpToTheTarget()
    {
        // Sentences of 10 tokens: 20 make a group of 200, two groups a passage.
        var sentences = Enumerable.Range(1, 70).Select(i => $"Sentence {i} is about bikes and repairs.").ToList();
        string Group(int from, int count = 20) => string.Join(' ', sentences.Skip(from).Take(count));

        var chunks = DocumentChunker.Chunk([P(string.Join(' ', sentences))]);

        Assert.Equal([Group(0) + "\n\n" + Group(20), sentences[39] + "\n\n" + Group(40) + "\n\n" + Group(60, 10)], chunks.Select(c => c.Text));
    }

    [Fact]
    public void Chunk_SentenceLongerThanTheTarget_APieceOfItsOwn()
    {
        var longSentence = Words(160) + ".";
        var rest = Enumerable.Range(1, 30).Select(i => $"Sentence {i} is about bikes and repairs.").ToList();

        var chunks = DocumentChunker.Chunk([P(longSentence + " " + string.Join(' ', rest))]);

        Assert.Equal([longSentence, string.Join(' ', rest.Take(20)) + "\n\n" + string.Join(' ', rest.Skip(20))], chunks.Select(c => c.Text));
    }

    [Fact]
    public void Chunk_SentenceOfExactlyTheMaximum_NotCutByWords()
    {
        var sentence = Words(300) + ".";

        var chunks = DocumentChunker.Chunk([P(sentence + " Short one.")]);

        Assert.Equal([sentence, "Short one."], chunks.Select(c => c.Text));
    }

    [Fact]
    public void Chunk_WordsCutIntoEvenRuns_NoEmptyPieceAfterThem()
    {
        var words = Words(600).Split(' ');
        string Run(int from) => string.Join(' ', words[from..(from + DocumentChunker.TargetTokens)]);

        Assert.Equal([Run(0), Run(200), Run(400)], DocumentChunker.Chunk([P(Words(600))]).Select(c => c.Text));
    }
}
