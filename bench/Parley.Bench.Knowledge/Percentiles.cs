namespace Parley.Bench.Knowledge;

/// <summary>Nearest-rank percentiles: the reported value is one that was actually observed.</summary>
public static class Percentiles
{
    /// <summary>Sorts <paramref name="values"/> in place and returns the value at <paramref name="percent"/> (0–100).</summary>
    public static double Of(List<double> values, double percent)
    {
        values.Sort();
        var rank = (int)Math.Ceiling(percent / 100 * values.Count);
        return values[Math.Clamp(rank - 1, 0, values.Count - 1)];
    }
}
