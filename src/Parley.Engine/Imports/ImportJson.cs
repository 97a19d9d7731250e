using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Parley.Engine.Imports;

/// <summary>Lenient reading of another platform's JSON (or YAML read as JSON): a value of the wrong kind reads as absent.</summary>
internal static class ImportJson
{
    /// <summary>The value as text: strings as they are, numbers and booleans as written, anything else null.</summary>
    public static string? Text(JsonNode? node, string name) => Text(node is JsonObject o ? o[name] : null);

    public static string? Text(JsonNode? value) => value is JsonValue v
        ? v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
            _ => null,
        }
        : null;

    /// <summary>A canvas coordinate: the number (or numeric text), kept within ±1,000,000; 0 when absent.</summary>
    public static double Number(JsonNode? node, string name) =>
        double.TryParse(Text(node, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            ? Math.Clamp(d, -1_000_000, 1_000_000)
            : 0;

    public static JsonObject? Object(JsonNode? node, string name) => (node as JsonObject)?[name] as JsonObject;

    public static IEnumerable<JsonNode> Array(JsonNode? node, string name) =>
        (node as JsonObject)?[name] is JsonArray a ? a.Where(n => n is not null).Select(n => n!) : [];

    public static bool IsTrue(JsonNode? node, string name) =>
        (node as JsonObject)?[name] is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    /// <summary>A Parley variable name made from another platform's: letters, digits and _, starting with a letter.</summary>
    public static string VariableName(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray();
        var text = new string(chars).Trim('_');
        if (text.Length == 0 || !char.IsAsciiLetter(text[0]))
        {
            text = "v_" + text;
        }
        return text.Length > 64 ? text[..64] : text;
    }

    public static string Clip(string text, int length = FlowsLimit) => text.Length <= length ? text : text[..length];

    private const int FlowsLimit = Flows.FlowValidator.MaxTextLength;
}
