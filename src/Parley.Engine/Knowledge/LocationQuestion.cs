using System.Text.RegularExpressions;

namespace Parley.Engine.Knowledge;

/// <summary>
/// Recognises a visitor asking where the business is ("where r u", "what's your address", "how do I find you") and the
/// sentence that answers it: one with a street address ("Paws &amp; Suds is at 8 Canal Road"). Such questions often
/// share no word with the page that answers them, so they are searched again with the words addresses are written in.
/// "Where is your coffee from" and "where is the nearest petrol station" do not ask where the business is.
/// </summary>
public static partial class LocationQuestion
{
    /// <summary>Added to the question when searching for the passage with the address.</summary>
    public const string SearchWords = " address street road lane avenue";

    public static bool Is(string question) => Asks().IsMatch(SearchTerms.Normalized(question));

    public static bool HasStreetAddress(string sentence) => StreetAddress().IsMatch(sentence);

    [GeneratedRegex(@"\bwhere\s+(?:exactly\s+)?(?:are|r|re)\s+(?:you|u|ya|yall)\b|\bwhere\s+(?:you|u)\s+at\b|\b(?:where\s+is|wheres)\s+(?:your|ur)\s+\w+$|\baddress\b|\bdirections\b|\bfind\s+(?:you|u|the\s+entrance)\b|\bget\s+to\s+(?:you|u)\b")]
    private static partial Regex Asks();

    [GeneratedRegex(@"\b\d{1,5}[A-Za-z]?\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Place|Pl|Square|Sq|Court|Ct|Close|Parade|Highway|Hwy|Terrace|Crescent|Row|Plaza)\b")]
    private static partial Regex StreetAddress();
}
