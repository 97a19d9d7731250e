namespace Parley.Client.Models;

public sealed record CrawlRequest(int? MaxDepth = null, int? MaxPages = null);

public sealed record CrawlResponse(int MaxDepth, int MaxPages);

public sealed record AddKnowledgeSourceRequest(
    string? Type = null, string? Title = null, string? Content = null, string? Url = null, CrawlRequest? Crawl = null);

public sealed record KnowledgeSourceResponse(
    string Id, string BotId, string Type, string Title, string? Url, string Status, string? FailureReason, int ChunkCount,
    long ContentLength, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? SyncedAt, CrawlResponse? Crawl, int PageCount);

public sealed record SearchKnowledgeRequest(string? Query = null, int? Limit = null);

public sealed record KnowledgePassageResponse(
    double Score, string SourceId, string SourceTitle, string? SourceUrl, IReadOnlyList<string> HeadingPath, string Text);

public sealed record SearchKnowledgeResponse(IReadOnlyList<KnowledgePassageResponse> Data);
