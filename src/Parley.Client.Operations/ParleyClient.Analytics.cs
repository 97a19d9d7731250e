using System.Globalization;
using Parley.Client.Models;

namespace Parley.Client;

/// <summary>The days and bot an analytics read covers: <c>from</c> … <c>to</c> (UTC days, both included) and one bot or all.</summary>
public sealed record AnalyticsRange(DateOnly? From = null, DateOnly? To = null, string? BotId = null);

public static partial class ParleyClientOperations
{
    extension(ParleyClient client)
    {
        /// <summary>Totals, rates and distributions over the range (the last 30 days by default).</summary>
        [ApiOperation("GET", "/v1/analytics/summary")]
        public Task<AnalyticsSummaryResponse> GetAnalyticsSummaryAsync(AnalyticsRange? range = null, CancellationToken cancellationToken = default) =>
            client.GetAsync(AnalyticsPath("/v1/analytics/summary", range, []), OperationsJson.Default.AnalyticsSummaryResponse, cancellationToken);

        /// <summary>One metric per <paramref name="interval"/> (<c>day</c> or <c>week</c>) over the range.</summary>
        [ApiOperation("GET", "/v1/analytics/timeseries")]
        public Task<AnalyticsTimeseriesResponse> GetAnalyticsTimeseriesAsync(
            string metric, AnalyticsRange? range = null, string interval = "day", CancellationToken cancellationToken = default) =>
            client.GetAsync(AnalyticsPath("/v1/analytics/timeseries", range, [("metric", metric), ("interval", interval)]),
                OperationsJson.Default.AnalyticsTimeseriesResponse, cancellationToken);

        /// <summary>p50 and p95 of each turn stage per <paramref name="interval"/> over the range, and its slowest stage.</summary>
        [ApiOperation("GET", "/v1/analytics/latency")]
        public Task<AnalyticsLatencyResponse> GetAnalyticsLatencyAsync(AnalyticsRange? range = null, string interval = "day", CancellationToken cancellationToken = default) =>
            client.GetAsync(AnalyticsPath("/v1/analytics/latency", range, [("interval", interval)]), OperationsJson.Default.AnalyticsLatencyResponse, cancellationToken);

        /// <summary>The most frequent unanswered questions of the range, grouped by similarity; answered groups only when asked for.</summary>
        [ApiOperation("GET", "/v1/analytics/knowledge-gaps")]
        public Task<KnowledgeGapsResponse> GetKnowledgeGapsAsync(
            AnalyticsRange? range = null, int? limit = null, bool includeAnswered = false, CancellationToken cancellationToken = default) =>
            client.GetAsync(AnalyticsPath("/v1/analytics/knowledge-gaps", range,
                [("limit", limit?.ToString(CultureInfo.InvariantCulture)), ("include_answered", includeAnswered ? "true" : null)]),
                OperationsJson.Default.KnowledgeGapsResponse, cancellationToken);
    }

    private static string AnalyticsPath(string path, AnalyticsRange? range, (string Name, string? Value)[] more) =>
        ParleyClient.Query(path, [
            ("from", range?.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            ("to", range?.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            ("bot_id", range?.BotId),
            .. more,
        ]);
}
