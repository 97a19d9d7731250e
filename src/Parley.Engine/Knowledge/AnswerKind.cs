using System.Text.RegularExpressions;

namespace Parley.Engine.Knowledge;

/// <summary>The kind of thing a question's answer holds, when the question says.</summary>
public enum AnswerKind
{
    /// <summary>Anything: the question does not say.</summary>
    Any,

    /// <summary>A price ("how much", "what's the callout fee"): an amount of money, or "free".</summary>
    Price,

    /// <summary>A time of day ("what time", "how late", "earliest"): "7:30 am", "noon".</summary>
    TimeOfDay,

    /// <summary>A number ("how many", "how long", "how soon", "how often"): a figure or a number word.</summary>
    Number,
}

/// <summary>
/// The kind of answer a question asks for, and whether a sentence has it. A visitor who asks "what time do u open" is not
/// answered by "We are closed on Sundays", however close the two are in meaning: the sentence with the hours is. Used by
/// <see cref="ExtractiveAnswer"/> to prefer, among sentences about the same thing, the one that holds what was asked.
/// </summary>
public static partial class AnswerKinds
{
    public static AnswerKind Of(string question)
    {
        var words = SearchTerms.Normalized(question);
        if (AsksReason().IsMatch(words))
        {
            return AnswerKind.Any;
        }
        if (AsksPrice().IsMatch(words))
        {
            return AnswerKind.Price;
        }
        if (AsksTimeOfDay().IsMatch(words))
        {
            return AnswerKind.TimeOfDay;
        }
        return AsksNumber().IsMatch(words) ? AnswerKind.Number : AnswerKind.Any;
    }

    /// <summary>Whether <paramref name="sentence"/> holds an answer of <paramref name="kind"/>; any sentence holds <see cref="AnswerKind.Any"/>.</summary>
    public static bool Holds(string sentence, AnswerKind kind) => kind switch
    {
        AnswerKind.Price => Price().IsMatch(sentence),
        AnswerKind.TimeOfDay => TimeOfDay().IsMatch(sentence),
        AnswerKind.Number => Number().IsMatch(sentence),
        _ => true,
    };

    private const string How = @"(?:how|hw)";

    /// <summary>"How much notice", "how much time": a length of time, not a price.</summary>
    private const string HowMuchOfTime = How + @"\s+much\s+(?:notice|time|longer|warning|ahead|in\s+advance)";

    /// <summary>"Why does colour price vary" asks for a reason, not for a price.</summary>
    [GeneratedRegex(@"^(?:why|how\s+come)\b")]
    private static partial Regex AsksReason();

    [GeneratedRegex(@"\b(?:(?!" + HowMuchOfTime + ")" + How + @"\s+much|cost|costs|price|prices|pricing|priced|charge|charges|fee|fees|rate|rates|expensive|cheap|quote)\b")]
    private static partial Regex AsksPrice();

    [GeneratedRegex(@"\b(?:(?:what|wat|wot)\s+time|" + How + @"\s+(?:late|early)|earliest|latest|til\s+when|until\s+when|what\s+hours|opening\s+(?:hours|times))\b")]
    private static partial Regex AsksTimeOfDay();

    [GeneratedRegex(@"\b(?:" + How + @"\s+(?:many|long|soon|fast|quickly|often|far|big|old)|" + HowMuchOfTime + @")\b")]
    private static partial Regex AsksNumber();

    [GeneratedRegex(@"[$£€]\s?\d|\d\s?(?:dollars|pounds|euros)\b|\bfree\b|\bno\s+charge\b|\d\s?%", RegexOptions.IgnoreCase)]
    private static partial Regex Price();

    [GeneratedRegex(@"\b\d{1,2}(?::\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.)|\b\d{1,2}:\d{2}\b|\bnoon\b|\bmidnight\b|\b24\s+hours\b", RegexOptions.IgnoreCase)]
    private static partial Regex TimeOfDay();

    [GeneratedRegex(@"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|dozen|once|twice|half|a\s+day|a\s+week|daily|weekly|same\s+day|next\s+day)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Number();
}
