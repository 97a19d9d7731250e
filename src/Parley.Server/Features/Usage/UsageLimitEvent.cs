using Parley.Data.Entities;
using Parley.Engine.Usage;

namespace Parley.Server.Features.Usage;

/// <summary>The <c>data</c> of <c>usage.limit_approaching</c> and <c>usage.limit_reached</c>.</summary>
/// <param name="Metric">The metric, as in <c>GET /v1/usage</c>.</param>
/// <param name="Period">The month, <c>YYYY-MM</c> (UTC).</param>
/// <param name="ThresholdPercent">80 (approaching) or 100 (reached).</param>
/// <param name="Value">The metric's count when it reached the threshold.</param>
/// <param name="Limit">The plan's limit for the month.</param>
/// <param name="PercentUsed">Value as a percentage of the limit, one decimal.</param>
/// <param name="Enforced">Whether reaching the limit refuses work (429 <c>quota_exceeded</c>) rather than only being reported.</param>
/// <param name="Plan">The workspace's plan.</param>
/// <param name="ResetsAt">When the month's counters start again from zero.</param>
public sealed record UsageLimitEvent(
    string Metric, string Period, int ThresholdPercent, long Value, long Limit, double? PercentUsed, bool Enforced, string Plan, DateTimeOffset ResetsAt)
{
    public static UsageLimitEvent Of(UsageLimitAlert alert, PlanOptions plans)
    {
        var period = UsagePeriod.TryParse(alert.Period, out var month) ? month : throw new InvalidOperationException($"Bad usage period '{alert.Period}'.");
        return new UsageLimitEvent(
            alert.Metric, alert.Period, alert.Threshold, alert.Value, alert.Limit, PlanLimits.PercentUsed(alert.Value, alert.Limit),
            UsageMeter.Refusing.Contains(alert.Metric), plans.PlanOf(alert.WorkspaceId).Name, period.End);
    }
}
