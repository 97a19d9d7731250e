using Parley.Data.Entities;
using Parley.Engine.Analytics;

namespace Parley.Server.Features.Analytics;

/// <summary>Totals, rates and distributions of a range of days (docs/analytics.md).</summary>
public sealed record AnalyticsSummaryResponse(
    string? BotId,
    DateOnly From,
    DateOnly To,
    int Days,
    AnalyticsCounts Totals,
    AnalyticsRates Rates,
    AnalyticsDistribution HandoffWaitSeconds,
    IReadOnlyDictionary<string, AnalyticsDistribution> LatencyMs,
    IReadOnlyDictionary<string, long> GuardrailFlags,
    IReadOnlyList<AnalyticsTokenTotals> Tokens,
    DateOnly? RolledUpThrough);

public sealed record AnalyticsCounts(
    long ConversationsStarted,
    long EngagedConversations,
    long VisitorMessages,
    long BotMessages,
    long AgentMessages,
    long QuestionsAnswered,
    long QuestionsUnanswered,
    long HandoffsRequested,
    long HandoffsAnswered,
    long ConversationsClosed,
    long LeadsCaptured,
    long BookingsMade,
    long GuardrailFlags,
    long PromptTokens,
    long CompletionTokens);

/// <summary>Ratios between 0 and 1 (rounded to 4 places), null when their denominator is zero.</summary>
public sealed record AnalyticsRates(double? AnswerRate, double? HandoffRate, double? LeadConversion);

/// <summary>How many samples, their mean, and the median and 95th percentile read from the merged histogram; null when empty.</summary>
public sealed record AnalyticsDistribution(long Count, double? Mean, double? P50, double? P95);

public sealed record AnalyticsTimeseriesResponse(
    string Metric, string Interval, string? BotId, DateOnly From, DateOnly To, IReadOnlyList<AnalyticsPoint> Data);

/// <summary>One interval: its first day (a Monday for weeks) and the metric's value over the days of the range in it.</summary>
public sealed record AnalyticsPoint(DateOnly Date, double? Value);

/// <summary>Adds daily rows up: counts add, histograms merge.</summary>
public sealed class AnalyticsAggregate
{
    private readonly LogHistogram _handoffWait = new();
    private readonly Dictionary<string, LogHistogram> _latency = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _flags = new(StringComparer.Ordinal);
    private readonly SortedDictionary<(string Provider, string Model), long[]> _tokens = [];
    private double _handoffWaitTotal;
    private long _conversationsStarted, _engaged, _visitor, _bot, _agent, _answered, _unanswered, _handoffs, _handoffsAnswered, _closed, _leads, _bookings;

    public void Add(AnalyticsDailyRollup row)
    {
        _conversationsStarted += row.ConversationsStarted;
        _engaged += row.EngagedConversations;
        _visitor += row.VisitorMessages;
        _bot += row.BotMessages;
        _agent += row.AgentMessages;
        _answered += row.QuestionsAnswered;
        _unanswered += row.QuestionsUnanswered;
        _handoffs += row.HandoffsRequested;
        _handoffsAnswered += row.HandoffsAnswered;
        _handoffWaitTotal += row.HandoffWaitSecondsTotal;
        _closed += row.ConversationsClosed;
        _leads += row.LeadsCaptured;
        _bookings += row.BookingsMade;
        _handoffWait.Merge(new LogHistogram(row.HandoffWaitSeconds));
        foreach (var (stage, counts) in row.StageLatency)
        {
            if (!_latency.TryGetValue(stage, out var histogram))
            {
                _latency[stage] = histogram = new LogHistogram();
            }
            histogram.Merge(new LogHistogram(counts));
        }
        foreach (var (flag, count) in row.GuardrailFlags)
        {
            _flags[flag] = _flags.GetValueOrDefault(flag) + count;
        }
        foreach (var t in row.Tokens)
        {
            if (!_tokens.TryGetValue((t.Provider, t.Model), out var totals))
            {
                _tokens[(t.Provider, t.Model)] = totals = new long[3];
            }
            totals[0] += t.Replies;
            totals[1] += t.PromptTokens;
            totals[2] += t.CompletionTokens;
        }
    }

    public AnalyticsCounts Counts => new(
        _conversationsStarted, _engaged, _visitor, _bot, _agent, _answered, _unanswered, _handoffs, _handoffsAnswered, _closed, _leads, _bookings,
        _flags.Values.Sum(), _tokens.Values.Sum(t => t[1]), _tokens.Values.Sum(t => t[2]));

    public AnalyticsRates Rates => new(Ratio(_answered, _answered + _unanswered), Ratio(_handoffs, _engaged), Ratio(_leads, _engaged));

    public AnalyticsDistribution HandoffWait => Distribution(_handoffWait, _handoffsAnswered == 0 ? null : _handoffWaitTotal / _handoffsAnswered);

    public IReadOnlyDictionary<string, AnalyticsDistribution> Latency =>
        new SortedDictionary<string, AnalyticsDistribution>(_latency.ToDictionary(l => l.Key, l => Distribution(l.Value, null)), StringComparer.Ordinal);

    /// <summary>The merged histogram of one stage (empty when no reply had it).</summary>
    public LogHistogram LatencyOf(string stage) => _latency.GetValueOrDefault(stage) ?? new LogHistogram();

    public LogHistogram HandoffWaitHistogram => _handoffWait;

    public IReadOnlyDictionary<string, long> Flags => _flags;

    public IReadOnlyList<AnalyticsTokenTotals> Tokens =>
        [.. _tokens.Select(t => new AnalyticsTokenTotals(t.Key.Provider, t.Key.Model, t.Value[0], t.Value[1], t.Value[2]))];

    public static double? Ratio(long part, long whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);

    /// <summary>A histogram's count and percentiles, with <paramref name="mean"/> when the caller keeps one, all rounded.</summary>
    public static AnalyticsDistribution Distribution(LogHistogram histogram, double? mean) =>
        new(histogram.Count, Round(mean), Round(histogram.Quantile(0.5)), Round(histogram.Quantile(0.95)));

    public static double? Round(double? value) => value is { } v ? Math.Round(v, 3) : null;
}
