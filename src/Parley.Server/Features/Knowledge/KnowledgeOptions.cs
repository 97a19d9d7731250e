using System.ComponentModel.DataAnnotations;

namespace Parley.Server.Features.Knowledge;

/// <summary>Limits of the knowledge base (<c>Parley:Knowledge</c>).</summary>
public sealed class KnowledgeOptions
{
    public const string Section = "Parley:Knowledge";

    /// <summary>The largest document accepted, uploaded or fetched, in bytes.</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public int MaxDocumentBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>How many redirects a URL source may follow; each target is checked again.</summary>
    [Range(0, 10)]
    public int MaxRedirects { get; set; } = 5;

    /// <summary>The most pages a crawling URL source may ask for (its <c>crawl.max_pages</c>).</summary>
    [Range(1, 1000)]
    public int MaxCrawlPages { get; set; } = 50;

    /// <summary>How long fetching one URL may take.</summary>
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How often the worker looks for URL sources waiting to be fetched, besides being woken.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);
}
