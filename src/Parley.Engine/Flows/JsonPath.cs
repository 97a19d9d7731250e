using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Parley.Engine.Flows;

/// <summary>
/// The small JSON path subset the HTTP block maps responses with: <c>$</c>, then <c>.name</c> and <c>[index]</c>
/// steps, such as <c>$.data.items[0].name</c>.
/// </summary>
public static partial class JsonPath
{
    [GeneratedRegex(@"^\$((\.[A-Za-z_][A-Za-z0-9_\-]*)|(\[\d+\]))*$")]
    private static partial Regex Shape();

    [GeneratedRegex(@"\.([A-Za-z_][A-Za-z0-9_\-]*)|\[(\d+)\]")]
    private static partial Regex Step();

    public static bool IsValid(string path) => path.Length <= 200 && Shape().IsMatch(path);

    /// <summary>The value at <paramref name="path"/> as text (JSON for objects and arrays), or null when absent.</summary>
    public static string? Select(JsonElement root, string path)
    {
        if (!IsValid(path))
        {
            return null;
        }
        var current = root;
        foreach (Match step in Step().Matches(path))
        {
            if (step.Groups[1].Success)
            {
                if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(step.Groups[1].Value, out current))
                {
                    return null;
                }
            }
            else
            {
                var i = int.Parse(step.Groups[2].Value, CultureInfo.InvariantCulture);
                if (current.ValueKind != JsonValueKind.Array || i >= current.GetArrayLength())
                {
                    return null;
                }
                current = current[i];
            }
        }
        return current.ValueKind switch
        {
            JsonValueKind.String => current.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => current.GetRawText(),
        };
    }
}
