namespace Parley.Engine.Knowledge;

/// <summary>
/// A light English suffix stemmer: plurals, -ing, -ed, -ly and the common derivational endings fold to one stem, so
/// "refunds", "refunded" and "refunding" meet. It is deliberately conservative: a wrong merge costs more precision
/// than a missed one costs recall, because the index also keeps every word's exact form.
/// </summary>
public static class EnglishStemmer
{
    // No plural endings here ("ations", "ments", "ers"): the plural step has already taken the "s", so such a rule
    // could only meet a word whose "s" belongs to the stem, and "dispersed" would lose it ("disp") while "disperse" keeps it.
    private static readonly (string Suffix, string Replacement, int MinStem)[] Derivational =
    [
        ("ational", "ate", 3), ("ization", "ize", 3), ("fulness", "ful", 3), ("iveness", "ive", 3),
        ("ation", "ate", 3), ("ment", "", 4), ("ity", "", 4),
        ("ness", "", 4), ("ously", "ous", 3), ("ably", "able", 3), ("ibly", "ible", 3), ("ally", "al", 3),
        ("fully", "ful", 3), ("ly", "", 4), ("er", "", 4),
    ];

    public static string Stem(string word)
    {
        // Stryker disable once Equality : a three-letter word passes every later step unchanged (each needs four letters or more), so "< 3" stems the same.
        if (word.Length <= 3 || !word.All(char.IsAsciiLetterLower))
        {
            return word;
        }
        var w = Plural(word);
        w = Inflection(w);
        foreach (var (suffix, replacement, minStem) in Derivational)
        {
            if (w.EndsWith(suffix, StringComparison.Ordinal) && w.Length - suffix.Length >= minStem)
            {
                w = w[..^suffix.Length] + replacement;
                break;
            }
        }
        if (w.Length > 4 && w[^1] == 'e' && w[^2] != 'e')
        {
            w = w[..^1];
        }
        return w;
    }

    private static string Plural(string w)
    {
        if (w.EndsWith("sses", StringComparison.Ordinal)) return w[..^2];
        if (w.EndsWith("ies", StringComparison.Ordinal) && w.Length > 4) return w[..^3] + "y";
        if (w.EndsWith("ss", StringComparison.Ordinal) || w.EndsWith("us", StringComparison.Ordinal) || w.EndsWith("is", StringComparison.Ordinal)) return w;
        // Stryker disable once Equality : Stem calls this only for words of four letters or more, so ">= 3" is the same test.
        if (w.EndsWith('s') && w.Length > 3) return w[..^1];
        return w;
    }

    private static string Inflection(string w)
    {
        string? stem = null;
        if (w.EndsWith("ing", StringComparison.Ordinal) && w.Length > 5)
        {
            stem = w[..^3];
        }
        else if (w.EndsWith("ed", StringComparison.Ordinal) && w.Length > 4 && !w.EndsWith("eed", StringComparison.Ordinal))
        {
            stem = w[..^2];
        }
        if (stem is null || !stem.Any(IsVowel))
        {
            return w;
        }
        // "shipped" → "ship", "hoping" → "hope" is left as "hop"+"e" removal later: both sides stem the same way.
        if (stem.Length > 3 && stem[^1] == stem[^2] && !IsVowel(stem[^1]) && stem[^1] is not ('l' or 's' or 'z'))
        {
            return stem[..^1];
        }
        return stem;
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';
}
