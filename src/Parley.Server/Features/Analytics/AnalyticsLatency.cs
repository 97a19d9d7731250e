using Parley.Data.Entities;
using Parley.Engine.Turns;

namespace Parley.Server.Features.Analytics;

/// <summary>Turn latency per stage over a range of days: one point per interval, the whole range, and its slowest stage.</summary>
public sealed record AnalyticsLatencyResponse(
    string Interval,
    string? BotId,
    DateOnly From,
    DateOnly To,
    IReadOnlyList<string> Stages,
    IReadOnlyDictionary<string, AnalyticsDistribution> Overall,
    AnalyticsSlowestStage? SlowestStage,
    IReadOnlyList<AnalyticsLatencyPoint> Data);

/// <summary>One interval (its first day; a Monday for weeks): every stage's distribution, in milliseconds.</summary>
public sealed record AnalyticsLatencyPoint(DateOnly Date, IReadOnlyDictionary<string, AnalyticsDistribution> Stages);

/// <summary>The stage with the highest 95th percentile over the range (the whole turn not counted), in milliseconds.</summary>
public sealed record AnalyticsSlowestStage(string Stage, double P50, double P95);

public static class AnalyticsLatency
{
    /// <summary>The six turn stages in pipeline order, then <see cref="AnalyticsCalculator.TotalStage"/>.</summary>
    public static readonly IReadOnlyList<string> Stages = [.. TurnStageNames.All.Select(s => s.WireName()), AnalyticsCalculator.TotalStage];

    public static AnalyticsLatencyResponse Of(string? botId, DateOnly from, DateOnly to, string interval, List<AnalyticsDailyRollup> rows)
    {
        var whole = new AnalyticsAggregate();
        rows.ForEach(whole.Add);
        var overall = Distributions(whole);
        var slowest = Stages.Where(s => s != AnalyticsCalculator.TotalStage && overall[s].P95 is not null)
            .Select(s => new AnalyticsSlowestStage(s, overall[s].P50!.Value, overall[s].P95!.Value))
            // The first in pipeline order wins a tie.
            .Aggregate((AnalyticsSlowestStage?)null, (max, s) => max is null || s.P95 > max.P95 ? s : max);
        return new AnalyticsLatencyResponse(interval, botId, from, to, Stages, overall, slowest,
            [.. AnalyticsEndpoints.Intervals(rows, from, to, interval).Select(i => new AnalyticsLatencyPoint(i.Date, Distributions(i.Aggregate)))]);
    }

    /// <summary>Every stage, in order, with its count and percentiles (null percentiles when no reply had it).</summary>
    private static Dictionary<string, AnalyticsDistribution> Distributions(AnalyticsAggregate aggregate) =>
        Stages.ToDictionary(stage => stage, stage => AnalyticsAggregate.Distribution(aggregate.LatencyOf(stage), null), StringComparer.Ordinal);
}
