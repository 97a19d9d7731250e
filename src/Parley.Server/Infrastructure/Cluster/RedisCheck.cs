using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Parley.Server.Infrastructure.Cluster;

/// <summary>
/// The status page's view of Redis, when one is configured: while this node cannot reach it, the node keeps serving,
/// but limits callers on its own and announces over PostgreSQL's LISTEN/NOTIFY. It then hears another node's
/// announcements only if that node cannot reach Redis either (caches expire within 30 seconds, streams poll), so the
/// status says degraded rather than down.
/// </summary>
public sealed class RedisCheck(RedisAvailability redis) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(redis.IsConnected
            ? HealthCheckResult.Healthy("Redis is answering: rate limits and live updates are shared by every node.")
            : HealthCheckResult.Degraded("Redis is unreachable from this node: it limits callers on its own, and live updates from nodes still on Redis reach it late."));
}
