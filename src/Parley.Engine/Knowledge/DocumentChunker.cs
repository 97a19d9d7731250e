namespace Parley.Engine.Knowledge;

/// <summary>A passage ready to be indexed: its text, the headings above it, and its approximate size in tokens.</summary>
public sealed record ChunkDraft(int Ordinal, IReadOnlyList<string> HeadingPath, string Text, int TokenCount);

/// <summary>
/// Cuts a document into passages along its structure. A section (the text under one heading) stays whole when it fits;
/// a long one is cut between paragraphs, or between sentences for a very long paragraph, into pieces of about
/// <see cref="TargetTokens"/> to <see cref="MaxTokens"/> tokens, each starting with the last sentence of the one before
/// so that an answer split across the cut is still found. Every passage keeps the heading path it sits under.
/// </summary>
public static class DocumentChunker
{
    public const int TargetTokens = 200;
    public const int MaxTokens = 400;
    public const int MaxOverlapTokens = 50;

    public static IReadOnlyList<ChunkDraft> Chunk(IReadOnlyList<DocumentBlock> blocks)
    {
        var chunks = new List<ChunkDraft>();
        var headings = new List<(int Level, string Text)>();
        var current = new List<string>();
        var currentTokens = 0;
        var onlyCarried = false;   // current holds nothing but the sentence repeated from the passage before

        foreach (var block in blocks)
        {
            if (block.IsHeading)
            {
                Flush(overlap: false);
                headings.RemoveAll(h => h.Level >= block.HeadingLevel);
                headings.Add((block.HeadingLevel, block.Text));
                continue;
            }
            foreach (var piece in Pieces(block.Text))
            {
                var tokens = CountTokens(piece);
                if (currentTokens > 0 && currentTokens + tokens > MaxTokens)
                {
                    Flush(overlap: true);
                }
                current.Add(piece);
                currentTokens += tokens;
                onlyCarried = false;
                if (currentTokens >= TargetTokens * 3 / 2)
                {
                    Flush(overlap: true);
                }
            }
        }
        // Stryker disable once Boolean : after the last passage nothing reads the repeated sentence.
        Flush(overlap: false);
        return chunks;

        void Flush(bool overlap)
        {
            if (current.Count == 0 || onlyCarried)
            {
                // A repeated sentence alone is no new passage: the section (or the document) ended right at the cut.
                current.Clear();
                currentTokens = 0;
                onlyCarried = false;
                return;
            }
            var text = string.Join("\n\n", current);
            chunks.Add(new ChunkDraft(chunks.Count, [.. headings.Select(h => h.Text)], text, CountTokens(text)));
            current.Clear();
            currentTokens = 0;
            if (overlap)
            {
                var last = Sentences.Split(text)[^1];
                if (CountTokens(last) <= MaxOverlapTokens)
                {
                    current.Add(last);
                    currentTokens = CountTokens(last);
                    onlyCarried = true;
                }
            }
        }
    }

    /// <summary>A paragraph, or its sentences grouped under <see cref="MaxTokens"/> when the paragraph is longer.</summary>
    private static IEnumerable<string> Pieces(string paragraph)
    {
        if (CountTokens(paragraph) <= MaxTokens)
        {
            yield return paragraph;
            yield break;
        }
        var group = new List<string>();
        var tokens = 0;
        foreach (var sentence in Sentences.Split(paragraph))
        {
            var size = CountTokens(sentence);
            if (tokens > 0 && tokens + size > TargetTokens)
            {
                yield return string.Join(' ', group);
                group.Clear();
                tokens = 0;
            }
            if (size > MaxTokens)
            {
                // A "sentence" this long is a table or a list without punctuation: cut it by words.
                var words = sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                for (var i = 0; i < words.Length; i += TargetTokens)
                {
                    yield return string.Join(' ', words.Skip(i).Take(TargetTokens));
                }
                continue;
            }
            group.Add(sentence);
            tokens += size;
        }
        if (group.Count > 0)
        {
            yield return string.Join(' ', group);
        }
    }

    /// <summary>An estimate good enough for sizing: English averages about four tokens for every three words.</summary>
    public static int CountTokens(string text)
    {
        var words = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var isSpace = char.IsWhiteSpace(c);
            if (!isSpace && !inWord)
            {
                words++;
            }
            inWord = !isSpace;
        }
        return (words * 4 + 2) / 3;
    }
}
