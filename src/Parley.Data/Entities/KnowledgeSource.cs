namespace Parley.Data.Entities;

/// <summary>A document in a bot's knowledge base: text given directly, an uploaded file, or a web page.</summary>
public sealed class KnowledgeSource : IWorkspaceOwned, IHasId
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string BotId { get; init; }

    /// <summary><c>text</c>, <c>markdown</c>, <c>html</c>, <c>pdf</c> or <c>url</c>.</summary>
    public required string Type { get; init; }
    public required string Title { get; set; }
    public string? Url { get; init; }

    /// <summary>What was given (text, Markdown or HTML), or the text extracted from a PDF; null for a URL until fetched.</summary>
    public string? Content { get; set; }

    /// <summary><c>processing</c>, <c>ready</c> or <c>failed</c>.</summary>
    public required string Status { get; set; }
    public string? FailureReason { get; set; }
    public int ChunkCount { get; set; }
    public long ContentLength { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? SyncedAt { get; set; }

    /// <summary>
    /// For a URL source that crawls its site: how many links away from the first page it goes (0 reads only that page).
    /// Null, with <see cref="CrawlMaxPages"/>, for a source that reads its URL alone.
    /// </summary>
    public int? CrawlMaxDepth { get; init; }

    /// <summary>For a crawling URL source: how many pages it reads at most, the first one included.</summary>
    public int? CrawlMaxPages { get; init; }

    /// <summary>How many pages the last successful read of a URL source took its text from.</summary>
    public int PageCount { get; set; }
}
