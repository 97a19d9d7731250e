using Parley.Engine.Guardrails;

namespace Parley.Engine.Escalation;

/// <summary>
/// A small lexicon-based sentiment scorer, in the manner of AFINN/VADER: each known word carries a valence from -3
/// to +3; an intensifier ("very", "so", "extremely") in the two words before it multiplies it by 1.5; a negation
/// ("not", "never", "no", "n't") in the three words before it flips and dampens it (× -0.5); a message written mostly
/// in capitals, or with "!!", weighs 1.2 times. The sum is squashed to -1 … 1 with <c>s / √(s² + 15)</c>, so a single
/// mild word stays mild and several strong words approach -1. English only: other languages score 0 (neutral).
/// </summary>
public static class SentimentScorer
{
    // Stryker disable all : word lists are data, not rules; the tests check how words are weighed, with a few of them.
    private static readonly Dictionary<string, int> Lexicon = new(StringComparer.Ordinal)
    {
        ["terrible"] = -3, ["awful"] = -3, ["horrible"] = -3, ["worst"] = -3, ["hate"] = -3, ["disgusting"] = -3,
        ["furious"] = -3, ["scam"] = -3, ["useless"] = -3, ["ridiculous"] = -2, ["pathetic"] = -3, ["outraged"] = -3,
        ["angry"] = -2, ["bad"] = -2, ["poor"] = -2, ["annoyed"] = -2, ["annoying"] = -2, ["frustrated"] = -2,
        ["frustrating"] = -2, ["disappointed"] = -2, ["disappointing"] = -2, ["upset"] = -2, ["broken"] = -2,
        ["rude"] = -2, ["unacceptable"] = -3, ["wrong"] = -2, ["fail"] = -2, ["failed"] = -2, ["stupid"] = -2,
        ["waste"] = -2, ["never"] = -1, ["problem"] = -1, ["issue"] = -1, ["slow"] = -1, ["late"] = -1,
        ["missing"] = -1, ["confused"] = -1, ["unhappy"] = -2, ["sucks"] = -3, ["damn"] = -2, ["hopeless"] = -2,
        ["good"] = 2, ["great"] = 3, ["excellent"] = 3, ["amazing"] = 3, ["love"] = 3, ["thanks"] = 2, ["thank"] = 2,
        ["helpful"] = 2, ["happy"] = 2, ["perfect"] = 3, ["nice"] = 2, ["awesome"] = 3, ["fine"] = 1, ["glad"] = 2,
        ["pleased"] = 2, ["wonderful"] = 3, ["fantastic"] = 3, ["works"] = 1, ["solved"] = 2,
    };

    // Stryker disable all : a word list, as above.
    private static readonly HashSet<string> Intensifiers = new(StringComparer.Ordinal)
    {
        "very", "so", "really", "extremely", "totally", "absolutely", "completely", "incredibly", "super",
    };

    // Stryker disable all : a word list, as above.
    private static readonly HashSet<string> Negations = new(StringComparer.Ordinal)
    {
        "not", "no", "never", "dont", "doesnt", "didnt", "isnt", "wasnt", "arent", "cant", "cannot", "wont", "nothing",
    };
    // Stryker restore all

    /// <summary>The sentiment of <paramref name="text"/> from -1 (very negative) to 1 (very positive).</summary>
    public static double Score(string text)
    {
        var words = TextNormalizer.Fold(text).Replace("'", "", StringComparison.Ordinal).Replace("’", "", StringComparison.Ordinal)
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Trim('.', ',', '!', '?', ';', ':', '"', '(', ')'))
            .ToArray();
        double sum = 0;
        for (var i = 0; i < words.Length; i++)
        {
            if (!Lexicon.TryGetValue(words[i], out var valence))
            {
                // Stryker disable once Statement : without it an unknown word adds its valence of 0, the same sum.
                continue;
            }
            double value = valence;
            if (Window(i, 2).Any(Intensifiers.Contains))
            {
                value *= 1.5;
            }
            if (Window(i, 3).Any(Negations.Contains) && words[i] != "never")
            {
                value *= -0.5;
            }
            sum += value;
        }
        var letters = text.Where(char.IsLetter).ToArray();
        if ((letters.Length >= 8 && letters.Count(char.IsUpper) > letters.Length * 0.7) || text.Contains("!!", StringComparison.Ordinal))
        {
            sum *= 1.2;
        }
        return sum / Math.Sqrt(sum * sum + 15);

        IEnumerable<string> Window(int index, int size) => words.Skip(Math.Max(0, index - size)).Take(Math.Min(size, index));
    }
}
