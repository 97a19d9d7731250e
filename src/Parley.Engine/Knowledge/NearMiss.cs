namespace Parley.Engine.Knowledge;

/// <summary>
/// Recognises a question about something the business does not mention, asked in the words of something it does:
/// "how much to install solar panels" to a plumber who prices water heaters, "what time does the pharmacy open" to a
/// salon with opening hours. The question names a thing (a word that is not a general one such as "time" or "price")
/// that the knowledge base never uses, and the chosen passage contains none of the things it names: what matched is
/// only the kind of question ("how much", "open"). Such a question is answered only when the sentence is close to it in
/// meaning (<see cref="ExtractiveAnswer.NearMissSimilarity"/>).
/// </summary>
public static class NearMiss
{
    /// <summary>
    /// Whether <paramref name="terms"/> name a thing outside <paramref name="vocabulary"/> and <paramref name="passage"/>
    /// contains none of the things they name. Words one slip away from a known word count as known.
    /// </summary>
    public static bool Is(IReadOnlyList<string> terms, IReadOnlySet<string>? vocabulary, KnowledgePassage passage)
    {
        if (vocabulary is not { Count: > 0 })
        {
            return false;
        }
        var things = terms.Where(NamesAThing).ToList();
        if (things.All(t => ExtractiveAnswer.Knows(vocabulary, t)))
        {
            return false;
        }
        var inPassage = new HashSet<string>(SearchTerms.Analyze(string.Join(' ', passage.HeadingPath.Append(passage.SourceTitle).Append(passage.Text))));
        return !things.Any(t => ExtractiveAnswer.Knows(inPassage, t));
    }

    /// <summary>
    /// A term that can name a thing: three letters or more, not a number, not a general word and not a synonym-list word
    /// for a kind of question (<see cref="Synonyms.IsKindTerm"/>).
    /// </summary>
    public static bool NamesAThing(string term) =>
        term.Length >= 3 && !term.All(char.IsAsciiDigit) && !Synonyms.IsKindTerm(term) && !GeneralWords.Contains(term);
}
