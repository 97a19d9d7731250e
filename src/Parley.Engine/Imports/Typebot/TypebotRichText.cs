using System.Text;
using System.Text.Json;

namespace Parley.Engine.Imports.Typebot;

/// <summary>
/// Typebot's rich text (a Slate/Plate tree: paragraphs, headings, lists and links over text leaves marked bold, italic
/// or code) as Markdown, the format Parley's messages use. Underline has no Markdown form and is dropped.
/// </summary>
internal static class TypebotRichText
{
    public static string ToMarkdown(JsonElement content)
    {
        if (content.ValueKind != JsonValueKind.Object)
        {
            return "";
        }
        if (content.TryGetProperty("richText", out var rich) && rich.ValueKind == JsonValueKind.Array && rich.GetArrayLength() > 0)
        {
            var lines = rich.EnumerateArray().Select(e => Block(e, 0)).ToList();
            return string.Join("\n", lines).Trim();
        }
        if (TypebotDocument.Text(content, "plainText") is { } plain)
        {
            return plain.Trim();
        }
        return TypebotDocument.Text(content, "html") is { } html ? System.Text.RegularExpressions.Regex.Replace(html, "<[^>]*>", "").Trim() : "";
    }

    private static string Block(JsonElement element, int depth)
    {
        var type = TypebotDocument.Text(element, "type");
        switch (type)
        {
            case "ul" or "ol":
                var number = 1;
                var items = Children(element).Select(item =>
                    new string(' ', depth * 2) + (type == "ol" ? $"{number++}. " : "- ") + Block(item, depth + 1).TrimStart());
                return string.Join("\n", items);
            case "h1" or "h2" or "h3":
                return new string('#', type[1] - '0') + " " + Inline(element);
            case "li":
                // A list item holds its text (lic) and possibly a nested list.
                return string.Join("\n", Children(element).Select(c => Block(c, depth)));
            default:
                return Inline(element);
        }
    }

    private static string Inline(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return "";
        }
        if (element.TryGetProperty("text", out var leaf) && leaf.ValueKind == JsonValueKind.String)
        {
            return Marked(leaf.GetString()!, element);
        }
        var builder = new StringBuilder();
        foreach (var child in Children(element))
        {
            var type = TypebotDocument.Text(child, "type");
            if (type is "ul" or "ol")
            {
                builder.Append('\n').Append(Block(child, 1));
            }
            else if (type == "a" && TypebotDocument.Text(child, "url") is { Length: > 0 } url)
            {
                builder.Append('[').Append(Inline(child)).Append("](").Append(url).Append(')');
            }
            else
            {
                builder.Append(Inline(child));
            }
        }
        return builder.ToString();
    }

    private static string Marked(string text, JsonElement leaf)
    {
        if (text.Trim().Length == 0)
        {
            return text;
        }
        bool Is(string mark) => leaf.TryGetProperty(mark, out var v) && v.ValueKind == JsonValueKind.True;
        // Markdown marks must hug the text, so surrounding spaces stay outside them.
        var core = text.Trim();
        var (before, after) = (text[..text.IndexOf(core, StringComparison.Ordinal)], text[(text.IndexOf(core, StringComparison.Ordinal) + core.Length)..]);
        if (Is("code"))
        {
            core = "`" + core + "`";
        }
        if (Is("italic"))
        {
            core = "*" + core + "*";
        }
        if (Is("bold"))
        {
            core = "**" + core + "**";
        }
        return before + core + after;
    }

    private static JsonElement.ArrayEnumerator Children(JsonElement element) =>
        element.TryGetProperty("children", out var children) && children.ValueKind == JsonValueKind.Array ? children.EnumerateArray() : NoChildren.EnumerateArray();

    private static readonly JsonElement NoChildren = JsonDocument.Parse("[]").RootElement;
}
