using System.Text.RegularExpressions;

namespace Parley.Engine.Flows;

/// <summary>Fills <c>{{variable}}</c> placeholders and keeps message text to the safe Markdown subset.</summary>
public static partial class FlowText
{
    [GeneratedRegex(@"\{\{\s*([A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_\-]+)?)\s*\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"(!?)\[([^\]]*)\]\(([^)\s]*)\)")]
    private static partial Regex Link();

    /// <summary>Replaces each <c>{{name}}</c> with what <paramref name="lookup"/> gives (empty when it gives null).</summary>
    public static string Fill(string template, Func<string, string?> lookup, Func<string, string>? encode = null) =>
        Placeholder().Replace(template, m =>
        {
            var value = lookup(m.Groups[1].Value) ?? "";
            return encode is null ? value : encode(value);
        });

    /// <summary>
    /// The safe Markdown subset: emphasis, code, lists and line breaks pass as typed; HTML tags are removed; links and
    /// images keep only http(s) and mailto targets (others are reduced to their text).
    /// </summary>
    public static string SafeMarkdown(string text)
    {
        var withoutHtml = HtmlTag().Replace(text, "");
        return Link().Replace(withoutHtml, m =>
        {
            var target = m.Groups[3].Value;
            var safe = Uri.TryCreate(target, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "mailto"
                && (m.Groups[1].Value.Length == 0 || uri.Scheme != "mailto");
            return safe ? m.Value : m.Groups[2].Value;
        });
    }
}
