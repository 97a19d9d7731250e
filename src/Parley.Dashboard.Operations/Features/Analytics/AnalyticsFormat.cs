using System.Globalization;

namespace Parley.Dashboard.Operations.Features.Analytics;

/// <summary>How the analytics page writes figures: invariant numbers, rates as percentages, latency in ms or s.</summary>
public static class AnalyticsFormat
{
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Rate(double? value) => value is { } v ? (v * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %" : "–";

    /// <summary>Milliseconds below a second, seconds above.</summary>
    public static string Milliseconds(double? value) => value switch
    {
        null => "–",
        < 1000 => value.Value.ToString("0.#", CultureInfo.InvariantCulture) + " ms",
        _ => (value.Value / 1000).ToString("0.##", CultureInfo.InvariantCulture) + " s",
    };

    public static string Seconds(double? value) => value switch
    {
        null => "–",
        < 120 => value.Value.ToString("0.#", CultureInfo.InvariantCulture) + " s",
        _ => (value.Value / 60).ToString("0.#", CultureInfo.InvariantCulture) + " min",
    };

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A stage's name for people; the API's names are kept in data attributes.</summary>
    public static string Stage(string stage) => stage switch
    {
        "side_effects" => "Side effects",
        "total" => "Whole turn",
        _ => char.ToUpperInvariant(stage[0]) + stage[1..],
    };
}
