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
}
