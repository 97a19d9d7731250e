using System.Text;
using System.Text.RegularExpressions;

namespace Parley.Engine.Knowledge;

/// <summary>
/// Reads Markdown (and plain text, which is Markdown without headings) into headings and paragraphs. Only the structure
/// matters for chunking, so inline markup is reduced to its text: links keep their label, emphasis and code marks go.
/// </summary>
public static partial class MarkdownBlocks
{
    public static IReadOnlyList<DocumentBlock> Parse(string markdown)
    {
        var blocks = new List<DocumentBlock>();
        var paragraph = new StringBuilder();
        var inFence = false;
        foreach (var raw in markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }
            var heading = inFence ? null : HeadingLine().Match(line);
            if (heading is { Success: true })
            {
                Flush();
                blocks.Add(DocumentBlock.Heading(heading.Groups[1].Length, Inline(heading.Groups[2].Value)));
            }
            else if (line.Length == 0)
            {
                Flush();
            }
            else if (ListItem().IsMatch(line) && paragraph.Length > 0 && !inFence)
            {
                // Each list item reads as its own sentence.
                paragraph.Append(EndsSentence(paragraph) ? " " : ". ").Append(Inline(ListItem().Replace(line, "")));
            }
            else
            {
                if (paragraph.Length > 0)
                {
                    paragraph.Append(' ');
                }
                paragraph.Append(Inline(ListItem().Replace(line, "")));
            }
        }
        Flush();
        return blocks;

        void Flush()
        {
            var text = paragraph.ToString().Trim();
            if (text.Length > 0)
            {
                blocks.Add(DocumentBlock.Paragraph(text));
            }
            paragraph.Clear();
        }
    }

    private static bool EndsSentence(StringBuilder text) => text.Length > 0 && text[^1] is '.' or '!' or '?' or ':' or ';';

    private static string Inline(string text)
    {
        text = Link().Replace(text, "$1");
        text = Emphasis().Replace(text, "");
        return text.Trim();
    }

    [GeneratedRegex(@"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")]
    private static partial Regex HeadingLine();

    [GeneratedRegex(@"^\s*(?:[-*+]|\d+[.)])\s+")]
    private static partial Regex ListItem();

    [GeneratedRegex(@"!?\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"(\*\*|__|`|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w))")]
    private static partial Regex Emphasis();
}
