namespace Parley.Engine.Knowledge;

/// <summary>
/// Words of visitors' questions that do not name a thing: how long, how far, what time, whether it is new, whether
/// someone can fix, sell or help ("how long does it take", "can you fix it today"). A business need not use them for a
/// question to be about what it offers, so they never count as the thing a question asks about. General English, not
/// the words of any trade.
/// </summary>
public static class GeneralWords
{
    private static readonly HashSet<string> Terms = [.. """
        time times long longer big bigger small smaller far near nearby new old good best better what whats number
        come coming get getting see still really more less quick quickly fast early earliest late later day days
        today tonight tomorrow week weeks month year help happen happens done make made give take go going put run
        work working use find cant isnt wont dont doesnt didnt before after off away thing things someone somebody
        anyone anybody sure right now soon again same other another else kind sort type exactly lot bit little
        needed needs offer offered available sell buy accept accepted fix repair do doing next last first only ever
        usually normally around roughly much how extra upfront beforehand miss missed
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).Select(EnglishStemmer.Stem)];

    /// <summary>Whether a search term (<see cref="SearchTerms.Analyze"/>) is one of these words.</summary>
    public static bool Contains(string term) => Terms.Contains(term);
}
