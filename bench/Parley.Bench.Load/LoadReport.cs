using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Parley.Bench.Load;

/// <summary>The figures of one run: printed as a table for people and as one JSON line for docs.</summary>
public sealed record LoadReport(
    string Url,
    string BotId,
    int Concurrency,
    double DurationS,
    long Turns,
    double TurnsPerS,
    LatencySummary LatencyMs,
    Dictionary<string, int> Errors,
    Dictionary<string, double> StageMedianMs,
    double DriverCpuCores,
    double? ServerCpuCores,
    double? ServerCpuMsPerTurn,
    double? ServerWorkingSetMb,
    IReadOnlyList<MemorySample>? WorkingSetSamples)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static LoadReport From(LoadOptions options, string botId, LatencyRecorder all, TimeSpan driverCpu,
        TimeSpan? serverCpu, double? serverWorkingSetMb, IReadOnlyList<MemorySample>? workingSetSamples = null)
    {
        var seconds = options.Duration.TotalSeconds;
        var turns = all.LatenciesMs.Count;
        return new LoadReport(
            options.Url.ToString(),
            botId,
            options.Concurrency,
            seconds,
            all.LatenciesMs.Count,
            Round(all.LatenciesMs.Count / seconds, 1),
            LatencySummary.Of(all.LatenciesMs),
            all.Errors,
            all.StageOrder.ToDictionary(stage => stage, stage => Round(Percentiles.Of(all.StagesMs[stage], 50), 3)),
            Round(driverCpu.TotalSeconds / seconds, 2),
            serverCpu is { } cpu ? Round(cpu.TotalSeconds / seconds, 2) : null,
            serverCpu is { } perTurn && turns > 0 ? Round(perTurn.TotalMilliseconds / turns, 3) : null,
            serverWorkingSetMb is { } mb ? Round(mb, 0) : null,
            workingSetSamples);
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public string ToTable()
    {
        var c = CultureInfo.InvariantCulture;
        var table = new StringBuilder();
        table.AppendLine(c, $"Parley load: {Concurrency} conversations x {DurationS:0.#} s against {Url} (bot {BotId})");
        table.AppendLine(c, $"  turns            {Turns,10:N0}   {TurnsPerS,10:N1} turns/s");
        table.AppendLine(c, $"  latency (ms)     p50 {LatencyMs.P50:0.00}   p95 {LatencyMs.P95:0.00}   p99 {LatencyMs.P99:0.00}   max {LatencyMs.Max:0.00}");
        var errors = Errors.Count == 0 ? "none" : string.Join(", ", Errors.OrderBy(e => e.Key).Select(e => $"{e.Key}: {e.Value}"));
        table.AppendLine(c, $"  errors           {errors}");
        table.AppendLine("  server stages, median ms");
        foreach (var (stage, ms) in StageMedianMs)
        {
            table.AppendLine(c, $"    {stage,-14} {ms,8:0.000}");
        }
        table.AppendLine(c, $"    {"(sum)",-14} {StageMedianMs.Values.Sum(),8:0.000}");
        if (ServerCpuMsPerTurn is { } perTurn)
        {
            table.AppendLine(c, $"  server CPU       {perTurn:0.000} ms/turn   {ServerCpuCores:0.00} cores   working set {ServerWorkingSetMb:0} MB");
        }
        if (WorkingSetSamples is { Count: > 0 } samples)
        {
            // Ten points across the window (the JSON line holds every sample).
            var points = Enumerable.Range(0, 11).Select(i => samples[(samples.Count - 1) * i / 10]).Distinct();
            table.AppendLine(c, $"  working set      {string.Join("  ", points.Select(p => $"{p.AtS / 60:0}m {p.WorkingSetMb:0}"))} MB");
            table.AppendLine(c, $"                   min {samples.Min(p => p.WorkingSetMb):0}  max {samples.Max(p => p.WorkingSetMb):0} MB over {samples.Count} samples");
        }
        table.Append(c, $"  driver CPU       {DriverCpuCores:0.00} cores");
        return table.ToString();
    }

    private static double Round(double value, int digits) => double.IsNaN(value) ? 0 : Math.Round(value, digits);
}
