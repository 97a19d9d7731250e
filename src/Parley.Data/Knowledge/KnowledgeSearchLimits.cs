namespace Parley.Data.Knowledge;

/// <summary>
/// How much of a large knowledge base one SQLite search may score (see <see cref="KnowledgeIndex"/>).
/// </summary>
/// <param name="MatchBudget">How many of a bot's chunks the words picking the candidates may be expected to match.</param>
/// <param name="ScanLimit">The most matches the candidate query scores, the newest first.</param>
public sealed record KnowledgeSearchLimits(int MatchBudget, int ScanLimit)
{
    public static readonly KnowledgeSearchLimits Default = new(MatchBudget: 3_000, ScanLimit: 4_000);

    /// <summary>Every word of the question, every match: the exact bm25 top candidates, however long it takes.</summary>
    public static readonly KnowledgeSearchLimits Exhaustive = new(int.MaxValue, int.MaxValue);
}
