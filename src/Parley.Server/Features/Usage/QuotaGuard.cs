using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Engine.Usage;

namespace Parley.Server.Features.Usage;

/// <summary>
/// Refuses work a workspace's plan no longer allows this month, before anything is done or written. The meter checks
/// the same limits again when it counts, for requests that race past this check together.
/// </summary>
public sealed class QuotaGuard(ParleyDbContext db, TimeProvider time, IOptionsMonitor<PlanOptions> plans)
{
    /// <summary>Throws 429 <c>quota_exceeded</c> when one more of any of <paramref name="metrics"/> does not fit.</summary>
    public async Task EnsureAllowedAsync(string workspaceId, IReadOnlyList<string> metrics, CancellationToken cancellationToken)
    {
        var (_, limits) = plans.CurrentValue.PlanOf(workspaceId);
        var limited = metrics.Where(m => limits.For(m) is not null).ToList();
        if (limited.Count == 0)
        {
            return;
        }
        var now = time.GetUtcNow();
        var period = UsagePeriod.Of(now);
        var key = period.ToString();
        var used = await db.UsageCounters.AsNoTracking().IgnoreQueryFilters()
            .Where(u => u.WorkspaceId == workspaceId && u.Period == key && limited.Contains(u.Metric))
            .ToDictionaryAsync(u => u.Metric, u => u.Value, cancellationToken);
        foreach (var metric in limited)
        {
            if (!limits.Allows(metric, used.GetValueOrDefault(metric)))
            {
                throw QuotaExceeded.For(metric, limits.For(metric)!.Value, period, now);
            }
        }
    }
}
