using System.Text;
using AngleSharp.Html.Parser;
using Parley.Engine.Knowledge;

namespace Parley.Server.Features.Knowledge;

/// <summary>A page read for a URL source: where it was found (after redirects), its title, its text's structure and size.</summary>
public sealed record CrawledPage(Uri Url, string? Title, IReadOnlyList<DocumentBlock> Blocks, long Bytes);

/// <summary>
/// Reads a URL source's page and, when the source crawls, the pages of the same site it links to, breadth first: up to
/// a depth in links from the first page and a number of pages. Only links to the first page's site (same scheme, host
/// and port) are followed; URLs are compared without their fragment, so a page is read once however it is linked.
/// Every fetch goes through <see cref="KnowledgeFetcher"/> and so keeps its rules: private targets refused unless
/// allowed, redirects bounded and checked, the size cap and the content types. A linked page that cannot be read is
/// skipped; the first page that cannot be read fails the source.
/// </summary>
public sealed class KnowledgeCrawler(KnowledgeFetcher fetcher)
{
    /// <summary>Fetches that fail (a missing page, an image) count against a budget of this many per page asked for.</summary>
    private const int AttemptsPerPage = 3;

    public async Task<IReadOnlyList<CrawledPage>> CrawlAsync(Uri start, int maxDepth, int maxPages, CancellationToken cancellationToken)
    {
        var queue = new Queue<(Uri Url, int Depth)>();
        queue.Enqueue((start, 0));
        var seen = new HashSet<string>(StringComparer.Ordinal) { Normalize(start) };
        var read = new HashSet<string>(StringComparer.Ordinal);
        var pages = new List<CrawledPage>();
        string? site = null;
        var attempts = 0;
        while (queue.Count > 0 && pages.Count < maxPages && attempts < maxPages * AttemptsPerPage)
        {
            var (url, depth) = queue.Dequeue();
            attempts++;
            FetchedDocument document;
            try
            {
                document = await fetcher.FetchAsync(url.AbsoluteUri, cancellationToken);
            }
            catch (KnowledgeSourceException) when (pages.Count > 0)
            {
                continue;
            }
            // The first page may redirect (to https, to www.); its final address is the site. A linked page that
            // redirects elsewhere, or to a page already read, is not read.
            site ??= Site(document.Url);
            var address = Normalize(document.Url);
            if (Site(document.Url) != site || !read.Add(address))
            {
                continue;
            }
            seen.Add(address);
            var (title, blocks, html) = Read(document);
            pages.Add(new CrawledPage(document.Url, title, blocks, document.Body.Length));
            if (html is null || depth >= maxDepth)
            {
                continue;
            }
            foreach (var link in Links(html, document.Url))
            {
                if (Site(link) == site && seen.Add(Normalize(link)))
                {
                    queue.Enqueue((link, depth + 1));
                }
            }
        }
        return pages;
    }

    /// <summary>The text structure of a fetched document, its title, and its HTML when it is a page whose links can be followed.</summary>
    public static (string? Title, IReadOnlyList<DocumentBlock> Blocks, string? Html) Read(FetchedDocument document)
    {
        switch (document.MediaType)
        {
            case "application/pdf":
                return (null, MarkdownBlocks.Parse(KnowledgeIngestion.ReadPdf(document.Body)), null);
            case "text/html" or "application/xhtml+xml":
                var html = Encoding.UTF8.GetString(document.Body);
                var (title, blocks) = HtmlText.Extract(html);
                return (title, blocks, html);
            default:
                return (null, MarkdownBlocks.Parse(Encoding.UTF8.GetString(document.Body)), null);
        }
    }

    /// <summary>The http(s) links of a page, resolved against its address, fragments dropped. Menus count: that is where a site's pages are listed.</summary>
    public static IEnumerable<Uri> Links(string html, Uri page)
    {
        var document = new HtmlParser().ParseDocument(html);
        var baseUri = document.QuerySelector("base[href]")?.GetAttribute("href") is { } declared && Uri.TryCreate(page, declared, out var b) ? b : page;
        foreach (var anchor in document.QuerySelectorAll("a[href]"))
        {
            var href = anchor.GetAttribute("href")!.Trim();
            if (href.Length == 0 || href.StartsWith('#') || !Uri.TryCreate(baseUri, href, out var link) || link.Scheme is not ("http" or "https"))
            {
                continue;
            }
            yield return new Uri(Normalize(link));
        }
    }

    /// <summary>A URL as pages are told apart: scheme and host in lower case, no default port, no fragment.</summary>
    public static string Normalize(Uri url) => url.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped);

    /// <summary>The site of a URL: its scheme, host and port.</summary>
    public static string Site(Uri url) => url.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);

    /// <summary>
    /// The pages as one document: the first page as it is, each further page under a heading of its title (its own
    /// headings one level down), so a passage says which page it comes from.
    /// </summary>
    public static IReadOnlyList<DocumentBlock> Combine(IReadOnlyList<CrawledPage> pages)
    {
        var blocks = new List<DocumentBlock>(pages[0].Blocks);
        foreach (var page in pages.Skip(1))
        {
            blocks.Add(DocumentBlock.Heading(1, page.Title is { Length: > 0 } title ? title : page.Url.AbsolutePath));
            blocks.AddRange(page.Blocks.Select(b => b.IsHeading ? DocumentBlock.Heading(b.HeadingLevel + 1, b.Text) : b));
        }
        return blocks;
    }
}
