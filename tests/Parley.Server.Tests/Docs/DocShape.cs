using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Parley.Engine.Ids;

namespace Parley.Server.Tests.Docs;

/// <summary>
/// Checks a response against the one a doc shows: every field shown is there, with the same kind of value; texts,
/// whole numbers, booleans and nulls are equal. Ids, secrets and timestamps differ on every run: an id the doc has
/// shown before must be the one the server gave then (that is how a later step's <c>$BOT</c> is checked), a new one
/// only needs the same prefix and is remembered. A string that ends in <c>…</c> is a prefix.
/// </summary>
public sealed partial class DocShape(Dictionary<string, string> ids)
{
    private static readonly string[] SecretPrefixes = ["sk", "pk", "wst", "whsec"];
    private static readonly string Prefixes = string.Join('|', typeof(IdPrefix).GetFields().Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!).Concat(SecretPrefixes).OrderByDescending(p => p.Length));

    private readonly Regex _token = new(
        $@"(?<id>(?<![A-Za-z0-9_])(?:{Prefixes})_[0-9A-Za-z_\-]{{4,}}…?)|(?<time>\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)|(?<more>…)");

    public List<string> Differences { get; } = [];

    /// <summary>Replaces the ids a doc has shown with the ones the server gave, in a command or an expected response.</summary>
    public string WithActualIds(string text) => _token.Replace(text, m => m.Groups["id"].Success && ids.TryGetValue(m.Value, out var actual) ? actual : m.Value);

    public void Compare(JsonNode? expected, JsonNode? actual, ISet<JsonArray> openArrays, string path = "$")
    {
        switch (expected)
        {
            case null:
                if (actual is not null)
                {
                    Differences.Add($"{path}: the doc shows null, the server sent {actual.ToJsonString()}");
                }
                return;
            case JsonObject shown:
                if (actual is not JsonObject sent)
                {
                    Differences.Add($"{path}: the doc shows an object, the server sent {Describe(actual)}");
                    return;
                }
                foreach (var (name, value) in shown)
                {
                    if (!sent.TryGetPropertyValue(name, out var sentValue))
                    {
                        Differences.Add($"{path}.{name}: shown in the doc, missing from the response");
                        continue;
                    }
                    Compare(value, sentValue, openArrays, $"{path}.{name}");
                }
                return;
            case JsonArray shownItems:
                if (actual is not JsonArray sentItems)
                {
                    Differences.Add($"{path}: the doc shows an array, the server sent {Describe(actual)}");
                    return;
                }
                var open = openArrays.Contains(shownItems);
                if (open ? sentItems.Count < shownItems.Count : sentItems.Count != shownItems.Count)
                {
                    Differences.Add($"{path}: the doc shows {shownItems.Count} items{(open ? " or more" : "")}, the server sent {sentItems.Count}");
                }
                for (var i = 0; i < Math.Min(shownItems.Count, sentItems.Count); i++)
                {
                    Compare(shownItems[i], sentItems[i], openArrays, $"{path}[{i}]");
                }
                return;
            case JsonValue shownValue:
                CompareValue(shownValue, actual, path);
                return;
        }
    }

    /// <summary>True when a text from the doc (a string value or a header) matches the server's, learning new ids.</summary>
    public bool TextMatches(string shown, string sent)
    {
        var learned = new List<string>();
        var pattern = new StringBuilder("^");
        var at = 0;
        foreach (Match token in _token.Matches(shown))
        {
            pattern.Append(Regex.Escape(shown[at..token.Index])).Append(PatternFor(token, learned));
            at = token.Index + token.Length;
        }
        pattern.Append(Regex.Escape(shown[at..])).Append('$');
        var match = Regex.Match(sent, pattern.ToString());
        if (!match.Success)
        {
            return false;
        }
        for (var i = 0; i < learned.Count; i++)
        {
            ids[learned[i]] = match.Groups[$"g{i}"].Value;
        }
        return true;
    }

    private string PatternFor(Match token, List<string> learned)
    {
        if (token.Groups["more"].Success)
        {
            return @"[\s\S]*";
        }
        if (token.Groups["time"].Success)
        {
            return @"\d{4}-\d\d-\d\dT[0-9:.]+Z";
        }
        var id = token.Value;
        if (ids.TryGetValue(id, out var known))
        {
            return Regex.Escape(known);
        }
        var prefix = Regex.Escape(id[..(id.IndexOf('_', StringComparison.Ordinal) + 1)]);
        if (id.EndsWith('…'))
        {
            return prefix + @"[\s\S]*";
        }
        learned.Add(id);
        return $@"(?<g{learned.Count - 1}>{prefix}[0-9A-Za-z_\-]+)";
    }

    private void CompareValue(JsonValue shown, JsonNode? actual, string path)
    {
        if (actual is not JsonValue sent || sent.GetValueKind() != shown.GetValueKind()
            && !(shown.GetValueKind() is JsonValueKind.True or JsonValueKind.False && sent.GetValueKind() is JsonValueKind.True or JsonValueKind.False))
        {
            Differences.Add($"{path}: the doc shows {shown.ToJsonString()}, the server sent {Describe(actual)}");
            return;
        }
        var same = shown.GetValueKind() switch
        {
            JsonValueKind.String => TextMatches(shown.GetValue<string>(), sent.GetValue<string>()),
            JsonValueKind.Number when shown.TryGetValue<long>(out var whole) => sent.TryGetValue<long>(out var sentWhole) && sentWhole == whole,
            JsonValueKind.Number => true,
            _ => shown.ToJsonString() == sent.ToJsonString(),
        };
        if (!same)
        {
            Differences.Add($"{path}: the doc shows {shown.ToJsonString()}, the server sent {sent.ToJsonString()}");
        }
    }

    private static string Describe(JsonNode? node) => node is null ? "null" : node.ToJsonString() is var json && json.Length > 120 ? json[..120] + "…" : node.ToJsonString();
}
