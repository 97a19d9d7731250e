using System.Text.Json;
using System.Text.Json.Nodes;

namespace Parley.Dashboard.Features.Bots;

/// <summary>
/// Edits a bot's settings objects (guardrails, escalation, business hours, booking) member by member, keeping the
/// members the form does not show, so that settings made through the API survive a save in the dashboard.
/// </summary>
public static class SettingsJson
{
    public static JsonObject Edit(JsonElement? current) =>
        current is { ValueKind: JsonValueKind.Object } element ? JsonNode.Parse(element.GetRawText())!.AsObject() : [];

    public static JsonObject Child(JsonObject parent, string name)
    {
        if (parent[name] is JsonObject child)
        {
            return child;
        }
        var created = new JsonObject();
        parent[name] = created;
        return created;
    }

    public static string List(JsonNode? node) =>
        node is JsonArray array ? string.Join(", ", array.Select(item => item?.ToString())) : "";

    /// <summary>A comma-separated field as a JSON list; blank entries dropped.</summary>
    public static JsonArray ToList(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => (JsonNode)JsonValue.Create(s))];

    public static string Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";

    public static JsonElement ToElement(JsonNode node) => JsonDocument.Parse(node.ToJsonString()).RootElement.Clone();

    /// <summary>Sets <paramref name="name"/>, or removes it when the text is blank (so the server's default applies).</summary>
    public static void SetOrRemove(JsonObject target, string name, string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            target.Remove(name);
        }
        else
        {
            target[name] = text.Trim();
        }
    }

    public static void SetOrRemove(JsonObject target, string name, double? number)
    {
        if (number is null)
        {
            target.Remove(name);
        }
        else
        {
            target[name] = number;
        }
    }
}
