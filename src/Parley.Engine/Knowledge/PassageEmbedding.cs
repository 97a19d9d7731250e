namespace Parley.Engine.Knowledge;

/// <summary>What is embedded for a passage or a sentence: the heading it sits under gives it its topic.</summary>
public static class PassageEmbedding
{
    /// <summary>A chunk's text with its source title and headings in front ("Prices > Common jobs: …").</summary>
    public static string ChunkText(string sourceTitle, IReadOnlyList<string> headingPath, string text) =>
        string.Join(" > ", headingPath.Prepend(sourceTitle).Distinct()) + ": " + text;

    /// <summary>A sentence with the nearest heading in front ("Opening hours: We are closed on Sundays.").</summary>
    public static string SentenceText(string sourceTitle, IReadOnlyList<string> headingPath, string sentence) =>
        (headingPath.Count > 0 ? headingPath[^1] : sourceTitle) + ": " + sentence;

    /// <summary>The sentences of a passage: its paragraphs cut at sentence ends.</summary>
    public static IReadOnlyList<string> SentencesOf(string text) => [.. text.Split("\n\n").SelectMany(Sentences.Split)];
}
