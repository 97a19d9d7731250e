using Parley.Engine.Escalation;

namespace Parley.Engine.Knowledge;

/// <summary>
/// The sections of a bot's knowledge as topics a visitor can pick. When the answerer does not answer, the sections the
/// question came close to are offered as quick replies ("how much is laughing gas" → "Nervous patients", "Fees"): search
/// finds the right section far more often than the answerer is sure of a sentence in it. A topic picked (or typed) by
/// name is answered with the start of its section.
/// </summary>
public static class KnowledgeTopics
{
    /// <summary>
    /// How close in meaning a section must be to the question to be offered: a little above the least a passage found by
    /// meaning alone needs (0.2), so that a question about nothing the business does ("what is bitcoin worth today" to a
    /// dog groomer, 0.23) is offered no topic. Chosen on the development set against 0.3 (docs/knowledge.md).
    /// </summary>
    public const double MinSimilarity = 0.25;

    /// <summary>How many topics are offered at most, beside "Talk to a person".</summary>
    public const int MaxOffered = 2;

    /// <summary>A longer heading would make a poor button; its section is not offered.</summary>
    public const int MaxNameLength = 60;

    /// <summary>How much of a section a picked topic quotes, in whole sentences (the first one at least).</summary>
    public const int MaxQuoteLength = 500;

    /// <summary>A passage's topic: the heading it sits under, or its source's title.</summary>
    public static string NameOf(KnowledgePassage passage) =>
        passage.HeadingPath.Count > 0 ? passage.HeadingPath[^1] : passage.SourceTitle;

    /// <summary>
    /// The topics of the passages close enough in meaning to the question, in search's order, each once. None when the
    /// passages were found by keywords alone (no similarity yet). A heading that reads as asking for a person ("Speak to a
    /// human") is left out: picked, it would hand the conversation over, and "Talk to a person" is offered anyway.
    /// </summary>
    public static IReadOnlyList<string> Offered(IReadOnlyList<KnowledgePassage> passages) =>
    [
        .. passages
            .Where(p => p.Similarity >= MinSimilarity)
            .Select(p => NameOf(p).Trim())
            .Where(name => name.Length <= MaxNameLength && Key(name).Length > 0 && !HandoffPhrases.AsksForPerson(name))
            .DistinctBy(Key)
            .Take(MaxOffered),
    ];

    /// <summary>The passage whose topic <paramref name="question"/> names exactly ("Fees", "opening hours?"), if any.</summary>
    public static KnowledgePassage? Named(string question, IReadOnlyList<KnowledgePassage> passages)
    {
        var asked = Key(question);
        return asked.Length == 0 ? null : passages.FirstOrDefault(p => Key(NameOf(p)) == asked);
    }

    /// <summary>
    /// The start of a passage, in whole sentences up to <see cref="MaxQuoteLength"/> characters; a first sentence longer
    /// than that (a list without full stops) is cut at a word and ends with "…".
    /// </summary>
    public static string Quote(KnowledgePassage passage)
    {
        var quoted = new List<string>();
        var length = 0;
        foreach (var sentence in PassageEmbedding.SentencesOf(passage.Text))
        {
            if (quoted.Count > 0 && length + 1 + sentence.Length > MaxQuoteLength)
            {
                break;
            }
            quoted.Add(sentence);
            length += (quoted.Count > 1 ? 1 : 0) + sentence.Length;
        }
        var quote = string.Join(' ', quoted);
        if (quote.Length <= MaxQuoteLength)
        {
            return quote;
        }
        var cut = quote.LastIndexOf(' ', MaxQuoteLength - 1);
        return string.Concat(quote.AsSpan(0, cut > 0 ? cut : MaxQuoteLength - 1).TrimEnd(), "…");
    }

    // "Opening hours?" names the topic "Opening hours".
    private static string Key(string text) => SearchTerms.Normalized(text);
}
