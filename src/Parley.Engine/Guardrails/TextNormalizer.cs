using System.Text;

namespace Parley.Engine.Guardrails;

/// <summary>
/// Folds text into a canonical form for matching word lists, so that obfuscation does not slip through: lower case,
/// diacritics removed (<c>é</c> → <c>e</c>), leetspeak undone (<c>4</c> → <c>a</c>, <c>$</c> → <c>s</c>), letters
/// repeated for emphasis collapsed (<c>heeelp</c> → <c>help</c>), punctuation inside words dropped (<c>s.p.a.m</c>),
/// and runs of single letters joined (<c>s p a m</c> → <c>spam</c>).
/// </summary>
public static class TextNormalizer
{
    /// <summary>The words of <paramref name="text"/> in canonical form, with joined single-letter runs.</summary>
    public static IReadOnlyList<string> Words(string text) => Split(text, null);

    /// <summary>The runs of single letters in <paramref name="text"/> ("s c a m" → "scam"), joined, in canonical form.</summary>
    public static IReadOnlyList<string> LetterRuns(string text)
    {
        var runs = new List<string>();
        Split(text, runs);
        return runs;
    }

    private static List<string> Split(string text, List<string>? runs)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var singles = new StringBuilder();
        foreach (var token in Fold(text).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            // Leetspeak only inside words that have letters: "h3ll0" is "hello", but "40" stays a number.
            var trimmed = token.Trim(Edges);
            var leet = trimmed.Any(char.IsLetter);
            foreach (var raw in trimmed)
            {
                var c = leet ? Unleet(raw) : raw;
                if (char.IsLetterOrDigit(c))
                {
                    current.Append(c);
                }
                // Other punctuation inside a word ("s.p.a.m", "sp-am") is dropped, joining its parts.
            }
            EndWord();
        }
        EndSingles();
        return words;

        void EndWord()
        {
            if (current.Length == 0)
            {
                return;
            }
            var word = CollapseRepeats(current.ToString());
            current.Clear();
            if (word.Length == 1)
            {
                singles.Append(word);
                return;
            }
            EndSingles();
            words.Add(word);
        }

        void EndSingles()
        {
            if (singles.Length > 0)
            {
                var run = CollapseRepeats(singles.ToString());
                if (singles.Length > 1)
                {
                    runs?.Add(run);
                }
                words.Add(run);
                singles.Clear();
            }
        }
    }

    private static readonly char[] Edges = ['.', ',', ';', ':', '!', '?', '"', '\'', '(', ')', '[', ']', '{', '}', '<', '>', '«', '»', '¿', '¡', '-', '_', '*', '/'];

    /// <summary>One word or phrase of a configured list in canonical form (the words joined by single spaces).</summary>
    public static string Term(string term) => string.Join(' ', Words(term));

    // Invariant globalization leaves string.Normalize without decomposition data, so accents are folded by table.
    private const string Accented = "àáâãäåāăąçćčďđèéêëēėęěìíîïīįıñńňòóôõöōőùúûüūůűųýÿźżžśšşţťŕřĺľğ";
    private const string Plain = "aaaaaaaaacccddeeeeeeeeiiiiiiinnnooooooouuuuuuuuyyzzzsssttrrllg";

    /// <summary>Lower case without diacritics; everything else kept.</summary>
    public static string Fold(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            var lower = char.ToLowerInvariant(c);
            var index = Accented.IndexOf(lower, StringComparison.Ordinal);
            if (index >= 0)
            {
                builder.Append(Plain[index]);
                continue;
            }
            switch (lower)
            {
                case 'ß':
                    builder.Append("ss");
                    break;
                case 'ø':
                    builder.Append('o');
                    break;
                case 'æ':
                    builder.Append("ae");
                    break;
                case 'œ':
                    builder.Append("oe");
                    break;
                case 'ł':
                    builder.Append('l');
                    break;
                default:
                    builder.Append(lower);
                    break;
            }
        }
        return builder.ToString();
    }

    private static char Unleet(char c) => c switch
    {
        '0' => 'o',
        '1' or '!' or '|' => 'i',
        '3' => 'e',
        '4' or '@' => 'a',
        '5' or '$' => 's',
        '7' or '+' => 't',
        '8' => 'b',
        _ => c,
    };

    private static string CollapseRepeats(string word)
    {
        // Three or more of the same letter is emphasis ("soooo"); two may be spelling ("free"), so keep up to two.
        var builder = new StringBuilder(word.Length);
        for (var i = 0; i < word.Length; i++)
        {
            if (i >= 2 && word[i] == word[i - 1] && word[i] == word[i - 2])
            {
                continue;
            }
            builder.Append(word[i]);
        }
        return builder.ToString();
    }
}
