using System.Text;

namespace Parley.Bench.Knowledge;

/// <summary>
/// Business-like Markdown documents and visitor questions drawn from one vocabulary with a Zipf distribution, so the
/// full-text index sees realistic posting-list lengths: a few very common words, a long tail of rare ones.
/// </summary>
public sealed class SyntheticCorpus(int seed)
{
    private static readonly string[] CommonWords =
    [
        "order", "delivery", "shipping", "return", "refund", "price", "booking", "appointment", "opening", "hours",
        "saturday", "sunday", "weekday", "holiday", "payment", "card", "invoice", "account", "password", "login",
        "warranty", "repair", "service", "parking", "location", "address", "phone", "email", "contact", "support",
        "discount", "voucher", "gift", "membership", "subscription", "cancel", "change", "size", "colour", "stock",
        "available", "store", "online", "collect", "pickup", "express", "international", "customs", "tracking", "parcel",
        "allergy", "vegan", "gluten", "menu", "table", "reservation", "group", "event", "private", "children",
        "pets", "wheelchair", "access", "insurance", "deposit", "fee", "minimum", "maximum", "days", "weeks",
        "consultation", "treatment", "therapist", "clinic", "doctor", "prescription", "lesson", "course", "teacher", "class",
        "installation", "technician", "visit", "quote", "estimate", "contract", "term", "notice", "policy", "privacy",
    ];

    private static readonly string[] Glue =
    [
        "the", "a", "our", "your", "is", "are", "can", "will", "be", "with", "for", "on", "in", "at", "within", "after",
        "before", "please", "we", "you", "and", "or", "not", "every", "each", "to", "from", "by",
    ];

    private const int RareWords = 20_000;

    private readonly Random _random = new(seed);
    private readonly double[] _zipf = ZipfCumulative(CommonWords.Length + RareWords, 1.05);

    /// <summary>A document with a title, a few sections and a few paragraphs each, about <paramref name="approxBytes"/> long.</summary>
    public (string Title, string Markdown) Document(int approxBytes)
    {
        var text = new StringBuilder(approxBytes + 512);
        var title = Capitalise($"{Word()} {Word()} {Word()}");
        text.Append("# ").AppendLine(title).AppendLine();
        while (text.Length < approxBytes)
        {
            text.Append("## ").AppendLine(Capitalise($"{Word()} and {Word()}")).AppendLine();
            for (var p = _random.Next(2, 5); p > 0; p--)
            {
                for (var s = _random.Next(3, 7); s > 0; s--)
                {
                    text.Append(Sentence()).Append(' ');
                }
                text.AppendLine().AppendLine();
            }
        }
        return (title, text.ToString());
    }

    /// <summary>A visitor's question: three to six content words in a question frame.</summary>
    public string Question()
    {
        var words = Enumerable.Range(0, _random.Next(3, 7)).Select(_ => Word());
        return _random.Next(3) switch
        {
            0 => $"How do I {string.Join(' ', words)}?",
            1 => $"What is your {string.Join(' ', words)}",
            _ => $"Can you tell me about {string.Join(' ', words)} please",
        };
    }

    private string Sentence()
    {
        var length = _random.Next(8, 18);
        var words = new List<string>(length);
        for (var i = 0; i < length; i++)
        {
            words.Add(_random.Next(3) == 0 ? Glue[_random.Next(Glue.Length)] : Word());
        }
        return Capitalise(string.Join(' ', words)) + ".";
    }

    private string Word()
    {
        var rank = Array.BinarySearch(_zipf, _random.NextDouble());
        rank = rank < 0 ? ~rank : rank;
        rank = Math.Min(rank, _zipf.Length - 1);
        return rank < CommonWords.Length ? CommonWords[rank] : RareWord(rank - CommonWords.Length);
    }

    // Pronounceable, stable words for the long tail ("kalomer", "tisuva", …), so the stemmer treats them like words.
    private static string RareWord(int index)
    {
        const string consonants = "bdfgklmnprstvz";
        const string vowels = "aeiou";
        var word = new StringBuilder();
        var n = index + 1000;
        while (n > 0)
        {
            word.Append(consonants[n % consonants.Length]);
            n /= consonants.Length;
            word.Append(vowels[n % vowels.Length]);
            n /= vowels.Length;
        }
        return word.ToString();
    }

    private static double[] ZipfCumulative(int count, double exponent)
    {
        var weights = Enumerable.Range(1, count).Select(r => 1 / Math.Pow(r, exponent)).ToArray();
        var total = weights.Sum();
        var cumulative = new double[count];
        var running = 0.0;
        for (var i = 0; i < count; i++)
        {
            running += weights[i] / total;
            cumulative[i] = running;
        }
        return cumulative;
    }

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
