using System.Globalization;

namespace Parley.Bench.Load;

/// <summary>Reads a <c>Server-Timing</c> header (<c>capture;dur=0.41, authenticate;dur=0.05, …</c>).</summary>
public static class ServerTiming
{
    /// <summary>The stages in header order, each with its duration in milliseconds; entries without <c>dur</c> are skipped.</summary>
    public static IEnumerable<(string Stage, double Milliseconds)> Parse(string header)
    {
        foreach (var entry in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = entry.Split(';', StringSplitOptions.TrimEntries);
            foreach (var parameter in parts.AsSpan(1))
            {
                if (parameter.StartsWith("dur=", StringComparison.OrdinalIgnoreCase)
                    && double.TryParse(parameter.AsSpan(4), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
                {
                    yield return (parts[0], ms);
                    break;
                }
            }
        }
    }
}
