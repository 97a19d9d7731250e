namespace Parley.Engine.Knowledge;

/// <summary>
/// Re-ranks the candidates a full-text index returns. The index's score (BM25 or ts_rank_cd) rewards repeated and rare
/// words but says nothing about whether the passage covers the question as a whole; the final score adds how much of
/// the question the passage (and, with more weight, its headings) contains. That coverage is also the answerer's
/// confidence, a number that means the same thing on every provider.
/// </summary>
public static class PassageRanker
{
    private const double IndexWeight = 0.25;
    private const double HeadingWeight = 0.15;

    public static IReadOnlyList<KnowledgePassage> Rank(string query, IReadOnlyList<KnowledgePassage> candidates, int limit)
    {
        var terms = QueryTerms(query);
        if (terms.Count == 0 || candidates.Count == 0)
        {
            return [];
        }
        var best = candidates.Max(c => c.Score);
        return [.. candidates
            .Select((c, i) => (Passage: c, Index: i, Score: Score(terms, c, best)))
            .OrderByDescending(x => x.Score)
            .ThenBy(x => x.Index)
            .Take(limit)
            .Select(x => x.Passage with { Score = Math.Round(x.Score, 4) })];
    }

    /// <summary>The distinct search terms of a question.</summary>
    public static IReadOnlyList<string> QueryTerms(string query) => [.. SearchTerms.Analyze(query).Distinct()];

    /// <summary>The share of <paramref name="terms"/> found in the passage's text or headings, from 0 to 1.</summary>
    public static double Coverage(IReadOnlyList<string> terms, KnowledgePassage passage)
    {
        if (terms.Count == 0)
        {
            return 0;
        }
        var found = PassageTerms(passage);
        return (double)terms.Count(found.Contains) / terms.Count;
    }

    /// <summary>
    /// How sure an answer from <paramref name="best"/> is: the share of the question it covers, where a word found in
    /// none of the retrieved passages counts more. Such a word usually names the thing asked about ("do you repair
    /// motorcycles?"), and a knowledge base that never mentions it cannot answer, however well the rest matches.
    /// </summary>
    public static double Confidence(IReadOnlyList<string> terms, KnowledgePassage best, IReadOnlyList<KnowledgePassage> retrieved)
    {
        if (terms.Count == 0)
        {
            return 0;
        }
        var inBest = PassageTerms(best);
        var known = new HashSet<string>(retrieved.SelectMany(PassageTerms));
        double covered = 0, total = 0;
        foreach (var term in terms)
        {
            var weight = known.Contains(term) ? 1.0 : UnknownTermWeight;
            total += weight;
            covered += inBest.Contains(term) ? weight : 0;
        }
        return covered / total;
    }

    private const double UnknownTermWeight = 1.5;

    private static double Score(IReadOnlyList<string> terms, KnowledgePassage passage, double bestIndexScore)
    {
        var heading = HeadingTerms(passage);
        var headingCoverage = (double)terms.Count(heading.Contains) / terms.Count;
        var index = bestIndexScore > 0 ? passage.Score / bestIndexScore : 0;
        return Coverage(terms, passage) + (HeadingWeight * headingCoverage) + (IndexWeight * index);
    }

    // Stryker disable once Linq : the words go into a set, so the title before or after the headings gives the same terms.
    private static HashSet<string> HeadingTerms(KnowledgePassage passage) =>
        passage.IndexedTerms is { } indexed
            ? new(indexed.Heading.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            : new(SearchTerms.Analyze(string.Join(' ', passage.HeadingPath.Append(passage.SourceTitle))));

    private static HashSet<string> PassageTerms(KnowledgePassage passage)
    {
        if (passage.IndexedTerms is not { } indexed)
        {
            // Stryker disable once Linq : the words go into a set, so the order of title, headings and text does not matter.
            return new(SearchTerms.Analyze(string.Join(' ', passage.HeadingPath.Append(passage.SourceTitle).Append(passage.Text))));
        }
        var terms = HeadingTerms(passage);
        terms.UnionWith(indexed.Body.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return terms;
    }
}
