using System.Text;
using Parley.Data.Entities;
using Parley.Engine.Knowledge;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Outbound;
using static Parley.Server.Features.Knowledge.KnowledgeSourceKinds;

namespace Parley.Server.Features.Knowledge;

/// <summary>A validated new knowledge source: what it is, and its structure when its text is already at hand.</summary>
public sealed record KnowledgeInput(string Type, string Title, string? Url, string? Content, long ContentLength, IReadOnlyList<DocumentBlock> Blocks)
{
    public const int MaxTitleLength = 300;
    public const int MaxCrawlDepth = 5;
    public const int DefaultCrawlDepth = 1;
    public const int DefaultCrawlPages = 10;

    /// <summary>For a URL source that crawls its site: how deep and how many pages.</summary>
    public CrawlResponse? Crawl { get; init; }

    /// <summary>A Markdown text the server itself adds (the demo bot's, an import's).</summary>
    public static KnowledgeInput FromMarkdown(string title, string markdown) =>
        new(Markdown, title, null, markdown, Encoding.UTF8.GetByteCount(markdown), MarkdownBlocks.Parse(markdown));

    /// <summary>The bot's new source for this input, processing until it is indexed (or fetched, for a URL).</summary>
    public KnowledgeSource NewSource(string id, string workspaceId, string botId, DateTimeOffset now) => new()
    {
        Id = id,
        WorkspaceId = workspaceId,
        BotId = botId,
        Type = Type,
        Title = Title,
        Url = Url,
        Content = Content,
        ContentLength = ContentLength,
        Status = Processing,
        CreatedAt = now,
        UpdatedAt = now,
        CrawlMaxDepth = Crawl?.MaxDepth,
        CrawlMaxPages = Crawl?.MaxPages,
    };

    /// <summary>Validates a JSON source; every problem is reported at once as a 400 with one entry per field.</summary>
    public static KnowledgeInput FromJson(AddKnowledgeSourceRequest body, int maxBytes, bool allowPrivate, int maxCrawlPages)
    {
        var errors = new Dictionary<string, string[]>();
        var type = body.Type?.Trim().ToLowerInvariant();
        if (type is not (Text or Markdown or Html or KnowledgeSourceKinds.Url))
        {
            errors["type"] = ["type must be text, markdown, html or url (upload a PDF as multipart/form-data)."];
        }
        if (body.Title is { Length: > MaxTitleLength })
        {
            errors["title"] = [$"title may be at most {MaxTitleLength} characters long."];
        }
        string? url = null;
        if (type == KnowledgeSourceKinds.Url)
        {
            url = body.Url?.Trim();
            if (string.IsNullOrEmpty(url))
            {
                errors["url"] = ["url is required for a url source."];
            }
            else if (OutboundAddressPolicy.Problem(url, allowPrivate) is { } problem)
            {
                errors["url"] = [$"url {problem}."];
            }
        }
        else if (type is Text or Markdown or Html)
        {
            if (string.IsNullOrWhiteSpace(body.Content))
            {
                errors["content"] = ["content is required for a text, markdown or html source."];
            }
            else if (Encoding.UTF8.GetByteCount(body.Content) > maxBytes)
            {
                errors["content"] = [$"content may be at most {maxBytes / 1024} KB."];
            }
            if (type is Text or Markdown && string.IsNullOrWhiteSpace(body.Title))
            {
                errors["title"] = ["title is required for a text or markdown source."];
            }
        }
        CrawlResponse? crawl = null;
        if (body.Crawl is { } asked)
        {
            if (type != KnowledgeSourceKinds.Url)
            {
                errors["crawl"] = ["crawl is only for a url source."];
            }
            var depth = asked.MaxDepth ?? DefaultCrawlDepth;
            var pages = asked.MaxPages ?? Math.Min(DefaultCrawlPages, maxCrawlPages);
            if (depth is < 0 or > MaxCrawlDepth)
            {
                errors["crawl.max_depth"] = [$"crawl.max_depth must be between 0 and {MaxCrawlDepth}."];
            }
            if (pages < 1 || pages > maxCrawlPages)
            {
                errors["crawl.max_pages"] = [$"crawl.max_pages must be between 1 and {maxCrawlPages}."];
            }
            crawl = new CrawlResponse(depth, pages);
        }
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(errors);
        }

        if (type == KnowledgeSourceKinds.Url)
        {
            return new KnowledgeInput(KnowledgeSourceKinds.Url, CleanTitle(body.Title) ?? url!, url, null, 0, []) { Crawl = crawl };
        }
        var content = body.Content!;
        var title = CleanTitle(body.Title);
        IReadOnlyList<DocumentBlock> blocks;
        if (type == Html)
        {
            var extracted = HtmlText.Extract(content);
            blocks = extracted.Blocks;
            title ??= CleanTitle(extracted.Title) ?? throw ApiException.Invalid("title", "title is required when the HTML has no <title>.");
        }
        else
        {
            blocks = MarkdownBlocks.Parse(content);
        }
        return new KnowledgeInput(type!, title!, null, content, Encoding.UTF8.GetByteCount(content), blocks);
    }

    private static string? CleanTitle(string? title) =>
        string.IsNullOrWhiteSpace(title) ? null : title.Trim() is var t && t.Length > MaxTitleLength ? t[..MaxTitleLength] : title.Trim();
}
