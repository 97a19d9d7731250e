using System.Text.Json;

namespace Parley.Engine.Flows;

/// <summary>
/// Where a conversation is in its flow: the block waiting for the visitor's answer (null once the flow is over), the
/// variables, and the counters of the waiting block (failed answers, AI turns, slots offered).
/// </summary>
public sealed class FlowState
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public string? Node { get; set; }

    public bool Finished { get; set; }

    public Dictionary<string, string> Variables { get; set; } = new(StringComparer.Ordinal);

    public int Attempts { get; set; }

    public int AiTurns { get; set; }

    public List<string> OfferedSlots { get; set; } = [];

    public string Serialize() => JsonSerializer.Serialize(this, Json);

    public static FlowState Deserialize(string json) => JsonSerializer.Deserialize<FlowState>(json, Json) ?? new FlowState();
}
