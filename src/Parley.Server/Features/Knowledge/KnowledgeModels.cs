using Parley.Data.Entities;
using Parley.Data.Knowledge;
using Parley.Engine.Knowledge;

namespace Parley.Server.Features.Knowledge;

/// <summary>
/// A knowledge source given as JSON: <c>type</c> is <c>text</c>, <c>markdown</c> or <c>html</c> with <c>content</c>,
/// or <c>url</c> with <c>url</c> and, to read the pages it links to on the same site, <c>crawl</c>. Files (PDF, HTML,
/// Markdown, text) are uploaded as multipart form data instead.
/// </summary>
public sealed record AddKnowledgeSourceRequest(
    string? Type = null, string? Title = null, string? Content = null, string? Url = null, CrawlRequest? Crawl = null);

/// <summary>
/// Follow the links of a URL source's page to other pages of the same site (same scheme, host and port):
/// <c>max_depth</c> links away from the first page (0–5, default 1) and <c>max_pages</c> pages in all, the first
/// included (1–<c>Parley:Knowledge:MaxCrawlPages</c>, default 10).
/// </summary>
public sealed record CrawlRequest(int? MaxDepth = null, int? MaxPages = null);

/// <summary>How a URL source crawls its site.</summary>
public sealed record CrawlResponse(int MaxDepth, int MaxPages);

/// <summary>
/// A knowledge source. <c>status</c> is <c>processing</c> (a URL being fetched), <c>ready</c> (searchable) or
/// <c>failed</c> (see <c>failure_reason</c>). <c>crawl</c> is set on a URL source that reads its site;
/// <c>page_count</c> is how many pages its text came from.
/// </summary>
public sealed record KnowledgeSourceResponse(
    string Id,
    string BotId,
    string Type,
    string Title,
    string? Url,
    string Status,
    string? FailureReason,
    int ChunkCount,
    long ContentLength,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? SyncedAt,
    CrawlResponse? Crawl,
    int PageCount)
{
    public static KnowledgeSourceResponse From(KnowledgeSource s) => new(
        s.Id, s.BotId, s.Type, s.Title, s.Url, s.Status, s.FailureReason, s.ChunkCount, s.ContentLength, s.CreatedAt, s.UpdatedAt, s.SyncedAt,
        s.CrawlMaxDepth is { } depth && s.CrawlMaxPages is { } pages ? new CrawlResponse(depth, pages) : null, s.PageCount);
}

/// <summary>A search of a bot's knowledge: <c>query</c> (1–1000 characters) and <c>limit</c> (1–20, default 5).</summary>
public sealed record SearchKnowledgeRequest(string? Query = null, int? Limit = null);

/// <summary>A passage found: its <c>score</c> (higher is better), its source and the headings it sits under.</summary>
public sealed record KnowledgePassageResponse(
    double Score, string SourceId, string SourceTitle, string? SourceUrl, IReadOnlyList<string> HeadingPath, string Text)
{
    public static KnowledgePassageResponse From(KnowledgePassage p) => new(p.Score, p.SourceId, p.SourceTitle, p.SourceUrl, p.HeadingPath, p.Text);
}

public sealed record SearchKnowledgeResponse(IReadOnlyList<KnowledgePassageResponse> Data);

/// <summary>The statuses and types of knowledge sources.</summary>
public static class KnowledgeSourceKinds
{
    public const string Processing = "processing";
    public const string Ready = "ready";
    public const string Failed = "failed";

    public const string Text = "text";
    public const string Markdown = "markdown";
    public const string Html = "html";
    public const string Pdf = "pdf";
    public const string Url = "url";

    /// <summary>The separator of a stored heading path.</summary>
    public const string HeadingSeparator = KnowledgeIndex.HeadingSeparator;
}
