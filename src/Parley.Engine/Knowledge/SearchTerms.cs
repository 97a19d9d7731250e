using System.Text;

namespace Parley.Engine.Knowledge;

/// <summary>
/// Turns text into search terms, the same way for what is indexed and what is asked: lower case, accents folded,
/// stop words dropped, synonyms mapped to one canonical word, then stemmed. Both database indexes store and match
/// these terms, so retrieval behaves the same on SQLite and PostgreSQL.
/// </summary>
public static class SearchTerms
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "about", "am", "an", "and", "any", "anything", "are", "as", "at", "be", "been", "being", "but", "by", "can",
        "could", "did", "do", "does", "doing", "for", "from", "get", "got", "had", "has", "have", "having", "he", "her",
        "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "me", "might", "my", "need",
        "of", "on", "or", "our", "ours", "please", "she", "should", "so", "some", "tell", "than", "that", "the", "their",
        "them", "then", "there", "these", "they", "this", "those", "to", "too", "us", "very", "was", "we", "were", "what",
        "when", "where", "which", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "hi", "hello",
        "hey", "thanks", "thank", "know", "want", "like", "also", "theres", "its", "one", "im", "ok", "okay",
        "possible", "way", "something", "much", "many", "out", "up", "all", "yes", "no", "not", "dont", "able",
        "wondering", "question", "let", "s", "t",
        // Verbs of asking whether something is offered ("do you take cash"): the thing asked about is the question.
        "take", "takes", "taking", "accept", "accepts", "accepting", "accepted",
        "provide", "provides", "providing", "provided",
        // Chat spellings of the words above ("do u open sundays", "what r ur prices").
        "u", "ur", "r", "ya", "yall", "pls", "plz", "thx",
    };

    /// <summary>The terms of <paramref name="text"/>, in order, with repeats.</summary>
    public static IReadOnlyList<string> Analyze(string text)
    {
        var terms = new List<string>();
        foreach (var word in Words(text))
        {
            if (StopWords.Contains(word))
            {
                continue;
            }
            var canonical = Synonyms.Canonical(word);
            foreach (var part in canonical.Split(' '))
            {
                terms.Add(EnglishStemmer.Stem(part));
            }
        }
        return terms;
    }

    /// <summary>The terms as one space-separated string, the form the indexes store.</summary>
    public static string ToIndexText(string text) => string.Join(' ', Analyze(text));

    /// <summary>
    /// The words of <paramref name="text"/> joined by single spaces: the form in which "Opening hours?" and "opening
    /// hours" are the same, and which the question patterns match.
    /// </summary>
    public static string Normalized(string text) => string.Join(' ', Words(text));

    /// <summary>Lower-case words with accents folded; apostrophes inside words are dropped ("don't" → "dont").</summary>
    public static IEnumerable<string> Words(string text)
    {
        var folded = Fold(text);
        var current = new StringBuilder();
        foreach (var c in folded)
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(char.ToLowerInvariant(c));
            }
            else if (c is '\'' or '’')
            {
                continue;
            }
            else if (current.Length > 0)
            {
                yield return current.ToString();
                current.Clear();
            }
        }
        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }

    // Invariant globalization leaves string.Normalize without decomposition data, so Latin accents are folded by table.
    private const string Accented = "àáâãäåçèéêëìíîïñòóôõöøùúûüýÿ";
    private const string Plain = "aaaaaaceeeeiiiinoooooouuuuyy";

    private static string Fold(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            var lower = char.ToLowerInvariant(c);
            var index = Accented.IndexOf(lower, StringComparison.Ordinal);
            builder.Append(index >= 0 ? Plain[index] : c);
        }
        return builder.ToString();
    }
}
