using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Parley.Engine.Knowledge;

namespace Parley.Server.Features.Knowledge;

/// <summary>
/// The readable structure of an HTML page: headings and paragraphs of its main content. Navigation, headers, footers,
/// scripts, styles and forms are dropped, since a visitor's answer is never in a menu.
/// </summary>
public static class HtmlText
{
    private static readonly string[] Dropped = ["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "template", "svg", "iframe"];
    private static readonly HashSet<string> Paragraphs = new(StringComparer.OrdinalIgnoreCase) { "P", "LI", "DD", "DT", "BLOCKQUOTE", "PRE", "TD", "TH", "FIGCAPTION", "SUMMARY" };

    public static (string? Title, IReadOnlyList<DocumentBlock> Blocks) Extract(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        foreach (var element in document.QuerySelectorAll(string.Join(',', Dropped)).ToList())
        {
            element.Remove();
        }
        var root = (IElement?)document.QuerySelector("main") ?? document.QuerySelector("article") ?? document.Body;
        var blocks = new List<DocumentBlock>();
        if (root is not null)
        {
            Walk(root, blocks);
        }
        var title = document.Title is { Length: > 0 } t ? Collapse(t) : null;
        return (title, blocks);
    }

    private static void Walk(IElement element, List<DocumentBlock> blocks)
    {
        var name = element.TagName;
        if (name.Length == 2 && name[0] == 'H' && char.IsAsciiDigit(name[1]))
        {
            Add(blocks, DocumentBlock.Heading(name[1] - '0', Collapse(element.TextContent)));
            return;
        }
        if (Paragraphs.Contains(name) && !element.Children.Any(c => Paragraphs.Contains(c.TagName) || c.TagName is "UL" or "OL" or "TABLE"))
        {
            Add(blocks, DocumentBlock.Paragraph(Collapse(element.TextContent)));
            return;
        }
        // Text directly inside a container (a div with no <p>) is a paragraph of its own.
        var loose = string.Concat(element.ChildNodes.Where(n => n.NodeType == NodeType.Text).Select(n => n.TextContent));
        if (!string.IsNullOrWhiteSpace(loose))
        {
            Add(blocks, DocumentBlock.Paragraph(Collapse(loose)));
        }
        foreach (var child in element.Children)
        {
            Walk(child, blocks);
        }
    }

    private static void Add(List<DocumentBlock> blocks, DocumentBlock block)
    {
        if (block.Text.Length > 0)
        {
            blocks.Add(block);
        }
    }

    private static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
