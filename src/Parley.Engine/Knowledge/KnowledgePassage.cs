namespace Parley.Engine.Knowledge;

/// <summary>A passage found in a bot's knowledge base, with where it comes from and how well it matched.</summary>
public sealed record KnowledgePassage(
    string SourceId,
    string SourceTitle,
    string? SourceUrl,
    IReadOnlyList<string> HeadingPath,
    string Text,
    double Score)
{
    /// <summary>
    /// The search terms the index stored for the title and headings, and for the text (<see cref="SearchTerms.ToIndexText"/>),
    /// when the passage comes from an index; the re-ranker reads them instead of analysing the text again.
    /// </summary>
    public (string Heading, string Body)? IndexedTerms { get; init; }

    /// <summary>How close the passage is to the question in meaning (a dot product of unit vectors), when both have vectors.</summary>
    public double? Similarity { get; init; }
}

/// <summary>The passages found for a question, and whether the bot has any knowledge to search at all.</summary>
public sealed record KnowledgeSearch(bool HasKnowledge, IReadOnlyList<KnowledgePassage> Passages)
{
    /// <summary>
    /// The words of the bot's knowledge base as search terms, when the index knows them; a question word outside it
    /// usually names something the business does not offer.
    /// </summary>
    public IReadOnlySet<string>? Vocabulary { get; init; }

    /// <summary>The question's vector, when the search used one (the answerer compares sentences with it).</summary>
    public float[]? QueryVector { get; init; }
}

/// <summary>Searches a bot's knowledge base; implemented per database provider.</summary>
public interface IKnowledgeRetriever
{
    /// <summary>The best passages for <paramref name="query"/>, best first, ranked by <see cref="PassageRanker"/>.</summary>
    Task<KnowledgeSearch> SearchAsync(string botId, string query, int limit, CancellationToken cancellationToken) =>
        SearchAsync(botId, query, limit, null, cancellationToken);

    /// <summary>
    /// The best passages for <paramref name="query"/> among the sources in <paramref name="sourceIds"/> (all of the
    /// bot's sources when null), best first.
    /// </summary>
    Task<KnowledgeSearch> SearchAsync(string botId, string query, int limit, IReadOnlyCollection<string>? sourceIds, CancellationToken cancellationToken);
}
