namespace Parley.Bench.Load;

/// <summary>Nearest-rank percentiles: the reported value is one that was actually observed.</summary>
public static class Percentiles
{
    /// <summary>Sorts <paramref name="values"/> in place and returns the value at <paramref name="percent"/> (0–100).</summary>
    public static double Of(List<double> values, double percent)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        values.Sort();
        var rank = (int)Math.Ceiling(percent / 100 * values.Count);
        return values[Math.Clamp(rank - 1, 0, values.Count - 1)];
    }
}

/// <summary>Client-side latency of the counted turns, in milliseconds.</summary>
public sealed record LatencySummary(double P50, double P95, double P99, double Max)
{
    public static LatencySummary Of(List<double> latenciesMs) => new(
        Round(Percentiles.Of(latenciesMs, 50)),
        Round(Percentiles.Of(latenciesMs, 95)),
        Round(Percentiles.Of(latenciesMs, 99)),
        Round(Percentiles.Of(latenciesMs, 100)));

    private static double Round(double ms) => double.IsNaN(ms) ? 0 : Math.Round(ms, 2);
}
