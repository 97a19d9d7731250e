namespace Parley.Engine.Guardrails;

/// <summary>
/// Finds configured words and phrases in text after <see cref="TextNormalizer"/> folding, comparing whole words (so
/// "class" does not match "ass") and tolerating doubled letters ("fuuck", "fuck" and "fuk" differ only in repeats).
/// </summary>
public sealed class TermMatcher
{
    private readonly List<string[]> _terms;

    public TermMatcher(IEnumerable<string> terms)
    {
        _terms = [.. terms.Select(t => TextNormalizer.Words(t).Select(Squeeze).ToArray()).Where(t => t.Length > 0).Distinct(new TermComparer())];
    }

    public bool IsEmpty => _terms.Count == 0;

    /// <summary>The configured terms found in <paramref name="text"/>, in canonical form.</summary>
    public IReadOnlyList<string> Find(string text)
    {
        if (_terms.Count == 0)
        {
            return [];
        }
        var words = TextNormalizer.Words(text).Select(Squeeze).ToArray();
        var runs = TextNormalizer.LetterRuns(text).Select(Squeeze).ToArray();
        var found = new List<string>();
        foreach (var term in _terms)
        {
            var joined = string.Concat(term);
            // A term spelt out letter by letter ("t a l k t o a h u m a n", "a s c a m") sits inside a run of single
            // letters, which folding joined into one word.
            if (runs.Any(r => r.Contains(joined, StringComparison.Ordinal)))
            {
                found.Add(string.Join(' ', term));
                continue;
            }
            for (var i = 0; i + term.Length <= words.Length; i++)
            {
                if (term.AsSpan().SequenceEqual(words.AsSpan(i, term.Length)))
                {
                    found.Add(string.Join(' ', term));
                    break;
                }
            }
        }
        return found;
    }

    /// <summary>
    /// Replaces each word of <paramref name="text"/> that belongs to a found term with asterisks, keeping the rest of
    /// the text as written. Obfuscated spellings spread over several tokens ("s p a m") are masked token by token.
    /// </summary>
    public string Mask(string text)
    {
        if (_terms.Count == 0)
        {
            return text;
        }
        var tokens = text.Split(' ');
        for (var start = 0; start < tokens.Length; start++)
        {
            for (var end = start; end < tokens.Length && end < start + 24; end++)
            {
                var window = string.Join(' ', tokens[start..(end + 1)]);
                if (IsWholeTerm(window))
                {
                    for (var i = start; i <= end; i++)
                    {
                        tokens[i] = new string('*', Math.Max(3, tokens[i].Length));
                    }
                    start = end;
                    break;
                }
            }
        }
        return string.Join(' ', tokens);
    }

    private bool IsWholeTerm(string window)
    {
        var words = TextNormalizer.Words(window).Select(Squeeze).ToArray();
        return words.Length > 0 && _terms.Any(t => t.AsSpan().SequenceEqual(words));
    }

    private static string Squeeze(string word)
    {
        var chars = new char[word.Length];
        var n = 0;
        foreach (var c in word)
        {
            if (n == 0 || chars[n - 1] != c)
            {
                chars[n++] = c;
            }
        }
        return new string(chars, 0, n);
    }

    private sealed class TermComparer : IEqualityComparer<string[]>
    {
        public bool Equals(string[]? x, string[]? y) => x is not null && y is not null && x.AsSpan().SequenceEqual(y);

        public int GetHashCode(string[] obj) => string.Join(' ', obj).GetHashCode(StringComparison.Ordinal);
    }
}
