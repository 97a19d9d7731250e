namespace Parley.Engine.Knowledge;

/// <summary>
/// Cuts a question that asks two things joined by "and" ("how much is a water heater and how long does it take", "oil
/// change and tire rotation how much") into its two parts. The best sentence for the whole question often answers only
/// one of them; each part is answered on its own and both answers are quoted. A part must be two words or more and
/// hold a search term, so "cut and blowdry how much" and "are you licensed and insured" stay whole.
/// </summary>
public static class QuestionParts
{
    /// <summary>The two parts of <paramref name="question"/>, or an empty list when it does not ask two things.</summary>
    public static IReadOnlyList<string> Split(string question)
    {
        var words = question.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var joins = Enumerable.Range(0, words.Length).Where(i => words[i].Equals("and", StringComparison.OrdinalIgnoreCase)).ToList();
        if (joins.Count != 1)
        {
            return [];
        }
        string[] parts = [string.Join(' ', words[..joins[0]]), string.Join(' ', words[(joins[0] + 1)..])];
        return parts.All(p => p.Split(' ').Length >= 2 && PassageRanker.QueryTerms(p).Count > 0) ? parts : [];
    }
}
