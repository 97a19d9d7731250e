using System.Text.Json;

namespace Parley.Engine.Flows;

/// <summary>The block types a flow may use, their output ports, and which of them wait for the visitor.</summary>
public static class FlowBlocks
{
    public const string Message = "message";
    public const string Choice = "choice";
    public const string Ask = "ask";
    public const string Condition = "condition";
    public const string SetVariable = "set_variable";
    public const string AiAnswer = "ai_answer";
    public const string CaptureLead = "capture_lead";
    public const string BookAppointment = "book_appointment";
    public const string Http = "http";
    public const string Handoff = "handoff";
    public const string Jump = "jump";
    public const string End = "end";

    public static IReadOnlyList<string> All { get; } =
        [Message, Choice, Ask, Condition, SetVariable, AiAnswer, CaptureLead, BookAppointment, Http, Handoff, Jump, End];

    /// <summary>Blocks that stop and wait for the visitor's next message: a cycle must pass through one of them.</summary>
    public static bool WaitsForInput(string type) => type is Choice or Ask or AiAnswer or BookAppointment;

    /// <summary>
    /// The output ports of a block. A choice has one port per option id; jump, handoff and end have none (a jump
    /// names its target in its settings).
    /// </summary>
    public static IReadOnlyList<string> Ports(string type, JsonElement settings) => type switch
    {
        Message or SetVariable => ["next"],
        Choice => ChoiceOptions(settings).Select(o => o.Id).ToList(),
        Ask => ["next", "invalid", "gave_up"],
        Condition => ["true", "false"],
        AiAnswer => ["matched", "done"],
        CaptureLead => ["next", "failed"],
        BookAppointment => ["booked", "failed"],
        Http => ["ok", "error"],
        _ => [],
    };

    internal static IReadOnlyList<(string Id, string Label)> ChoiceOptions(JsonElement settings)
    {
        if (settings.ValueKind != JsonValueKind.Object || !settings.TryGetProperty("options", out var options) || options.ValueKind != JsonValueKind.Array)
        {
            return [];
        }
        var result = new List<(string, string)>();
        foreach (var option in options.EnumerateArray())
        {
            var id = FlowSettings.String(option, "id");
            var label = FlowSettings.String(option, "label");
            if (id is not null)
            {
                result.Add((id, label ?? id));
            }
        }
        return result;
    }
}

/// <summary>Reads block settings leniently; the validator has already said what is required.</summary>
internal static class FlowSettings
{
    public static string? String(JsonElement settings, string name) =>
        settings.ValueKind == JsonValueKind.Object && settings.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static double? Number(JsonElement settings, string name) =>
        settings.ValueKind == JsonValueKind.Object && settings.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetDouble()
            : null;

    public static JsonElement? Element(JsonElement settings, string name) =>
        settings.ValueKind == JsonValueKind.Object && settings.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    public static IReadOnlyList<string> Strings(JsonElement settings, string name) =>
        Element(settings, name) is { ValueKind: JsonValueKind.Array } array
            ? [.. array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
            : [];

    public static IReadOnlyDictionary<string, string> StringMap(JsonElement settings, string name) =>
        Element(settings, name) is { ValueKind: JsonValueKind.Object } map
            ? map.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Name, p => p.Value.GetString()!)
            : new Dictionary<string, string>();
}
