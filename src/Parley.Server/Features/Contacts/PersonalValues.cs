using System.Text.Json.Nodes;

namespace Parley.Server.Features.Contacts;

/// <summary>The values that identified one person; anything that contains one of them is replaced by the marker.</summary>
public sealed class PersonalValues(IEnumerable<string?> values)
{
    private readonly List<string> _values = [.. values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!).Distinct()];

    public string Redact(string text) =>
        _values.Any(v => text.Contains(v, StringComparison.OrdinalIgnoreCase)) ? ContactEraser.Marker : text;

    /// <summary>A copy of <paramref name="node"/> with every string that holds a personal value replaced.</summary>
    public JsonNode? Redact(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Redact(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Redact)]),
        JsonValue value when value.TryGetValue<string>(out var text) => JsonValue.Create(Redact(text)),
        _ => node?.DeepClone(),
    };
}
