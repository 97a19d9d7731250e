namespace Parley.Data.Entities;

/// <summary>
/// One passage of a knowledge source. <see cref="SearchHeading"/> and <see cref="SearchBody"/> hold its search terms
/// (normalised and stemmed by the engine); the provider's full-text index is built on them. The numeric key doubles as
/// the full-text row id on SQLite.
/// </summary>
public sealed class KnowledgeChunk : IWorkspaceOwned
{
    public long Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string BotId { get; init; }
    public required string SourceId { get; init; }
    public int Ordinal { get; init; }

    /// <summary>The headings above the passage, outermost first, joined with " > ".</summary>
    public required string HeadingPath { get; init; }
    public required string Text { get; init; }
    public int TokenCount { get; init; }
    public required string SearchHeading { get; init; }
    public required string SearchBody { get; init; }
}
