using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Analytics;
using Parley.Server.Features.Exports;

namespace Parley.Server.Features.Analytics;

/// <summary>
/// <c>analytics_daily</c> in exports: one row per bot and UTC day with activity, from the first day of the workspace's
/// history to today, as <c>GET /v1/analytics/summary</c> would count it (stored roll-ups, the rest computed live).
/// Derived data: an import recomputes it from the imported history rather than reading it.
/// </summary>
public static class AnalyticsExport
{
    /// <summary>Rows are ordered and resumed by <c>day/bot_id</c>.</summary>
    public static readonly ExportEntity Entity = new("analytics_daily", typeof(AnalyticsDailyRecord),
        PageAsync,
        // Only the archive's progress reads the count: the days of the range stand in for it rather than computing twice.
        async (db, filter, cancellationToken) => await RangeAsync(db, filter, cancellationToken) is { } range ? range.To.DayNumber - range.From.DayNumber + 1 : 0);

    /// <summary>Days computed at a time: a page reads a week of history past its cursor, not the whole history again.</summary>
    private const int DaysPerRead = 7;

    /// <summary>
    /// The rows after <paramref name="after"/> (a <c>day/bot_id</c> id), at most <paramref name="size"/>, read a week
    /// at a time from the cursor's day on, so each page computes only the days it returns (and memory stays flat).
    /// </summary>
    private static async Task<IReadOnlyList<ExportRow>> PageAsync(
        ParleyDbContext db, ExportFilter filter, string? after, int size, CancellationToken cancellationToken)
    {
        if (await RangeAsync(db, filter, cancellationToken) is not { } range)
        {
            return [];
        }
        var from = after is not null && DateOnly.TryParseExact(after.Split('/')[0], "yyyy-MM-dd", out var cursorDay) && cursorDay > range.From
            ? cursorDay
            : range.From;
        // The export does not write the workspace id of a row, so none is needed to compute it.
        var reader = new AnalyticsReader(new AnalyticsCalculator(TimeProvider.System));
        var page = new List<ExportRow>();
        while (from <= range.To && page.Count < size)
        {
            var to = from.AddDays(DaysPerRead - 1) is var end && end < range.To ? end : range.To;
            var rows = await reader.RowsAsync(db, "", from, to, null, cancellationToken);
            page.AddRange(rows.Where(r => !filter.ByBot || filter.BotIds.Contains(r.BotId))
                .Select(r => new ExportRow($"{r.Day:yyyy-MM-dd}/{r.BotId}", AnalyticsDailyRecord.From(r)))
                .Where(r => after is null || string.CompareOrdinal(r.Id, after) > 0)
                .OrderBy(r => r.Id, StringComparer.Ordinal));
            from = to.AddDays(1);
        }
        return [.. page.Take(size)];
    }

    /// <summary>The days exported: from the first day of the history (or <c>since</c>) to today (or <c>until</c>); null when none.</summary>
    private static async Task<(DateOnly From, DateOnly To)?> RangeAsync(ParleyDbContext db, ExportFilter filter, CancellationToken cancellationToken)
    {
        var first = await AnalyticsCalculator.FirstDayAsync(db, cancellationToken);
        if (first is null)
        {
            return null;
        }
        var from = first.Value;
        if (filter.Since is { } since)
        {
            // A day belongs to the range when it starts in it.
            var sinceDay = AnalyticsDays.Of(since);
            var day = AnalyticsDays.Start(sinceDay) == since ? sinceDay : sinceDay.AddDays(1);
            from = day > from ? day : from;
        }
        var to = AnalyticsDays.Of(TimeProvider.System.GetUtcNow());
        if (filter.Until is { } until)
        {
            var last = AnalyticsDays.Of(until.AddTicks(-1));
            to = last < to ? last : to;
        }
        return from > to ? null : (from, to);
    }
}

/// <summary>One line of <c>analytics_daily.csv</c> (docs/analytics.md defines each figure).</summary>
public sealed record AnalyticsDailyRecord(
    DateOnly Day,
    string BotId,
    int ConversationsStarted,
    int EngagedConversations,
    int VisitorMessages,
    int BotMessages,
    int AgentMessages,
    int QuestionsAnswered,
    int QuestionsUnanswered,
    int HandoffsRequested,
    int HandoffsAnswered,
    double HandoffWaitSecondsTotal,
    double? HandoffWaitP50Seconds,
    int ConversationsClosed,
    int LeadsCaptured,
    int BookingsMade,
    long GuardrailFlagsTotal,
    long PromptTokens,
    long CompletionTokens,
    double? LatencyP50Ms,
    double? LatencyP95Ms,
    IReadOnlyDictionary<string, long> GuardrailFlags,
    IReadOnlyList<AnalyticsTokenTotals> Tokens,
    IReadOnlyDictionary<int, long> HandoffWaitHistogram,
    IReadOnlyDictionary<string, Dictionary<int, long>> LatencyHistograms)
{
    public static AnalyticsDailyRecord From(AnalyticsDailyRollup r)
    {
        var total = new LogHistogram(r.StageLatency.GetValueOrDefault(AnalyticsCalculator.TotalStage));
        return new(r.Day, r.BotId, r.ConversationsStarted, r.EngagedConversations, r.VisitorMessages, r.BotMessages, r.AgentMessages,
            r.QuestionsAnswered, r.QuestionsUnanswered, r.HandoffsRequested, r.HandoffsAnswered, Math.Round(r.HandoffWaitSecondsTotal, 3),
            AnalyticsAggregate.Round(new LogHistogram(r.HandoffWaitSeconds).Quantile(0.5)),
            r.ConversationsClosed, r.LeadsCaptured, r.BookingsMade, r.GuardrailFlags.Values.Sum(),
            r.Tokens.Sum(t => t.PromptTokens), r.Tokens.Sum(t => t.CompletionTokens),
            AnalyticsAggregate.Round(total.Quantile(0.5)), AnalyticsAggregate.Round(total.Quantile(0.95)),
            new SortedDictionary<string, long>(r.GuardrailFlags, StringComparer.Ordinal), r.Tokens,
            new SortedDictionary<int, long>(r.HandoffWaitSeconds), new SortedDictionary<string, Dictionary<int, long>>(r.StageLatency, StringComparer.Ordinal));
    }
}
