namespace Parley.Bench.Load;

/// <summary>
/// What one worker observed in the measured window: client latencies, Server-Timing stages and errors. Each worker
/// owns one, so recording takes no lock; <see cref="Merge"/> combines them at the end.
/// </summary>
public sealed class LatencyRecorder
{
    public List<double> LatenciesMs { get; } = new(capacity: 16_384);

    /// <summary>Stage name to its durations, in the order the server first reported the stages.</summary>
    public Dictionary<string, List<double>> StagesMs { get; } = [];

    public List<string> StageOrder { get; } = [];

    /// <summary>Failures by HTTP status code, or by exception type when no response came back.</summary>
    public Dictionary<string, int> Errors { get; } = [];

    public void RecordTurn(double latencyMs, string? serverTiming)
    {
        LatenciesMs.Add(latencyMs);
        if (serverTiming is null)
        {
            return;
        }
        foreach (var (stage, ms) in ServerTiming.Parse(serverTiming))
        {
            if (!StagesMs.TryGetValue(stage, out var values))
            {
                StagesMs[stage] = values = new List<double>(capacity: 16_384);
                StageOrder.Add(stage);
            }
            values.Add(ms);
        }
    }

    public void RecordError(string kind) => Errors[kind] = Errors.GetValueOrDefault(kind) + 1;

    public static LatencyRecorder Merge(IEnumerable<LatencyRecorder> parts)
    {
        var all = new LatencyRecorder();
        foreach (var part in parts)
        {
            all.LatenciesMs.AddRange(part.LatenciesMs);
            foreach (var stage in part.StageOrder)
            {
                if (!all.StagesMs.TryGetValue(stage, out var values))
                {
                    all.StagesMs[stage] = values = [];
                    all.StageOrder.Add(stage);
                }
                values.AddRange(part.StagesMs[stage]);
            }
            foreach (var (kind, count) in part.Errors)
            {
                all.Errors[kind] = all.Errors.GetValueOrDefault(kind) + count;
            }
        }
        return all;
    }
}
