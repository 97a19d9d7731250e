namespace Parley.Server.Features.Usage;

/// <summary>A workspace's usage in one period against its plan.</summary>
/// <param name="Period">The month, <c>YYYY-MM</c> (UTC).</param>
/// <param name="PeriodStart">The first instant of the month.</param>
/// <param name="PeriodEnd">The first instant after it: when the counters reset.</param>
/// <param name="Plan">The plan the workspace is on now.</param>
/// <param name="Metrics">Every metric, counters first, then gauges.</param>
public sealed record UsageResponse(
    string Period, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, string Plan, IReadOnlyList<UsageMetricResponse> Metrics);

/// <summary>One metric.</summary>
/// <param name="Metric">Its name: <c>conversations_started</c>, <c>messages</c>, <c>bot_replies_model</c>, <c>bot_replies_answerer</c>, <c>ai_tokens</c>, <c>webhook_deliveries</c>, <c>emails_sent</c>, <c>knowledge_storage_bytes</c>.</param>
/// <param name="Kind"><c>counter</c> (counted in the period) or <c>gauge</c> (measured now, whatever the period).</param>
/// <param name="Value">The count in the period, or the gauge's current value.</param>
/// <param name="Limit">The plan's limit; null for none.</param>
/// <param name="PercentUsed">Value as a percentage of the limit, one decimal; null when there is no limit.</param>
/// <param name="Enforced">Whether reaching the limit refuses work (429 <c>quota_exceeded</c>) rather than only being reported.</param>
public sealed record UsageMetricResponse(string Metric, string Kind, long Value, long? Limit, double? PercentUsed, bool Enforced);
