using System.Text.RegularExpressions;

namespace Parley.Engine.Guardrails;

/// <summary>A reply after the output rules, and the flags of the rules that changed it.</summary>
public sealed record OutputCheck(string Text, IReadOnlyList<string> Flags);

/// <summary>
/// Rules on what the bot sends: a maximum length (cut at a word boundary) and links only to allowed domains (others
/// are replaced by <c>[link removed]</c>; subdomains of an allowed domain are allowed).
/// </summary>
public static partial class OutputRules
{
    public const string LinkRemoved = "[link removed]";

    public static OutputCheck Apply(string text, int? maxLength, IReadOnlyCollection<string>? allowedDomains)
    {
        var flags = new List<string>();
        if (allowedDomains is { Count: > 0 })
        {
            text = Links().Replace(text, m =>
            {
                if (IsAllowed(m.Value, allowedDomains))
                {
                    return m.Value;
                }
                if (!flags.Contains(GuardrailFlags.LinkRemoved))
                {
                    flags.Add(GuardrailFlags.LinkRemoved);
                }
                return LinkRemoved;
            });
        }
        if (maxLength is { } max && text.Length > max)
        {
            text = Cut(text, max);
            flags.Add(GuardrailFlags.OutputTruncated);
        }
        return new OutputCheck(text, flags);
    }

    /// <summary>Cuts text to at most <paramref name="max"/> characters at a word boundary, ending with an ellipsis.</summary>
    public static string Cut(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }
        var cut = text.LastIndexOf(' ', max - 1, Math.Min(200, max));
        return string.Concat(text.AsSpan(0, cut > 0 ? cut : max - 1).TrimEnd(), "…");
    }

    private static bool IsAllowed(string link, IReadOnlyCollection<string> allowedDomains)
    {
        var candidate = link.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? "https://" + link : link;
        if (!Uri.TryCreate(candidate, UriKind.Absolute, out var uri))
        {
            return false;
        }
        var host = uri.Host.ToLowerInvariant();
        return allowedDomains.Any(d => host == d || host.EndsWith("." + d, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"\b(?:https?://|www\.)[^\s<>""')\]]+", RegexOptions.IgnoreCase)]
    private static partial Regex Links();
}
