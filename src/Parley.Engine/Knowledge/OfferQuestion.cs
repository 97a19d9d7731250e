namespace Parley.Engine.Knowledge;

/// <summary>
/// Recognises a question that asks whether the business does something: "do you fix boilers?", "can u book me a taxi".
/// Such a question is answered by a sentence about that very thing, not by the closest service the business offers.
/// </summary>
public static class OfferQuestion
{
    private static readonly HashSet<string> Verbs = new(StringComparer.Ordinal) { "do", "does", "can", "could", "will", "would" };
    private static readonly HashSet<string> You = new(StringComparer.Ordinal) { "you", "u", "ya", "yall" };

    public static bool Is(string question)
    {
        using var words = SearchTerms.Words(question).GetEnumerator();
        return words.MoveNext() && Verbs.Contains(words.Current) && words.MoveNext() && You.Contains(words.Current);
    }
}
