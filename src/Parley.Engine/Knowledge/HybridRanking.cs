namespace Parley.Engine.Knowledge;

/// <summary>
/// Orders the passages found by keywords (BM25) and by meaning (vector similarity) together: a weighted sum of the
/// passage's similarity to the question and the share of the question's words it contains. Keywords alone miss
/// "leaky tap" for "dripping faucet"; meaning alone misses an exact price or a place name. The weight was chosen on
/// the development half of the evaluation set (docs/knowledge.md); a passage not yet embedded counts its keywords only.
/// </summary>
public static class HybridRanking
{
    /// <summary>The weight of similarity in meaning; the rest goes to the words the passage shares with the question.</summary>
    public const double SimilarityWeight = 0.7;

    public static IReadOnlyList<KnowledgePassage> Rank(string query, IReadOnlyList<KnowledgePassage> candidates, int limit)
    {
        if (candidates.All(c => c.Similarity is null))
        {
            return PassageRanker.Rank(query, candidates, limit);
        }
        var terms = PassageRanker.QueryTerms(query);
        return [.. candidates
            .Select((c, i) => (Passage: c, Index: i, Score: Score(terms, c)))
            .OrderByDescending(x => x.Score)
            .ThenBy(x => x.Index)
            .Take(limit)
            .Select(x => x.Passage with { Score = Math.Round(x.Score, 4) })];
    }

    private static double Score(IReadOnlyList<string> terms, KnowledgePassage passage) =>
        (SimilarityWeight * (passage.Similarity ?? 0)) + ((1 - SimilarityWeight) * PassageRanker.Coverage(terms, passage));
}
