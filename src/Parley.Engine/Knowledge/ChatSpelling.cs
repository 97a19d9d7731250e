using System.Text.RegularExpressions;

namespace Parley.Engine.Knowledge;

/// <summary>
/// The short forms visitors type in a chat ("hw much", "do u", "whats", "tmrw") written out, for the question's words
/// and for the text the sentence model reads. General English only: nothing here belongs to one trade.
/// </summary>
public static partial class ChatSpelling
{
    private static readonly Dictionary<string, string> Full = new(StringComparer.Ordinal)
    {
        ["u"] = "you", ["ya"] = "you", ["ur"] = "your", ["r"] = "are", ["hw"] = "how", ["wat"] = "what", ["wut"] = "what",
        ["whats"] = "what is", ["wheres"] = "where is", ["hows"] = "how is", ["whens"] = "when is", ["whos"] = "who is",
        ["pls"] = "please", ["plz"] = "please", ["thx"] = "thanks", ["n"] = "and", ["abt"] = "about",
        ["tmrw"] = "tomorrow", ["tmr"] = "tomorrow", ["tmw"] = "tomorrow", ["2day"] = "today", ["2moro"] = "tomorrow",
        ["tonite"] = "tonight", ["2nite"] = "tonight", ["b4"] = "before", ["cuz"] = "because", ["coz"] = "because",
        ["ppl"] = "people", ["appt"] = "appointment", ["hrs"] = "hours", ["mins"] = "minutes",
        ["wknd"] = "weekend", ["bday"] = "birthday", ["gonna"] = "going to", ["wanna"] = "want to", ["gotta"] = "got to",
        ["wont"] = "will not", ["cant"] = "cannot", ["doesnt"] = "does not", ["isnt"] = "is not", ["arent"] = "are not",
        ["didnt"] = "did not", ["ive"] = "i have", ["youre"] = "you are", ["thru"] = "through", ["nite"] = "night",
    };

    /// <summary>The written-out form of one lower-case word (apostrophes dropped), or the word itself.</summary>
    public static string Expand(string word) => Full.TryGetValue(word, out var full) ? full : word;

    /// <summary>A visitor's text with its chat short forms written out, punctuation kept.</summary>
    public static string ExpandText(string text) =>
        WordPattern().Replace(text, m => Full.TryGetValue(m.Value.ToLowerInvariant().Replace("'", "").Replace("’", ""), out var full) ? full : m.Value);

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’][\p{L}]+)?")]
    private static partial Regex WordPattern();
}
