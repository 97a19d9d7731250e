using System.Text.Json;
using System.Text.Json.Serialization;
using Parley.Engine.Turns;

namespace Parley.Server.Features.Conversations;

/// <summary>
/// Writes stage timings as <c>{"capture": 0.41, …}</c>. Serialized when the response is written, so a live turn's
/// timings include the return stage that built the response.
/// </summary>
public sealed class StageTimingsJsonConverter : JsonConverter<StageTimings>
{
    public override StageTimings Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        FromDictionary(JsonSerializer.Deserialize<Dictionary<string, double>>(ref reader, options) ?? []);

    public override void Write(Utf8JsonWriter writer, StageTimings value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (stage, ms) in value.ToDictionary())
        {
            writer.WriteNumber(stage, ms);
        }
        writer.WriteEndObject();
    }

    public static StageTimings FromDictionary(IReadOnlyDictionary<string, double> values)
    {
        var timings = new StageTimings();
        foreach (var stage in TurnStageNames.All)
        {
            if (values.TryGetValue(stage.WireName(), out var ms))
            {
                timings.Record(stage, ms);
            }
        }
        return timings;
    }
}
