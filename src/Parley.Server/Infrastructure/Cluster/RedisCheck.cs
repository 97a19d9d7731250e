using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Parley.Server.Infrastructure.Cluster;

/// <summary>
/// The status page's view of Redis, when one is configured: while this node cannot reach it, the node keeps serving,
/// but rate limits are per node and cache evictions and live-stream wake-ups from other nodes are not heard (caches
/// expire within 30 seconds, streams poll), so the status says degraded rather than down.
/// </summary>
public sealed class RedisCheck(RedisAvailability redis) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(redis.IsConnected
            ? HealthCheckResult.Healthy("Redis is answering: rate limits and live updates are shared by every node.")
            : HealthCheckResult.Degraded("Redis is unreachable: each node limits callers on its own and live updates from other nodes arrive late."));
}
