using Microsoft.Extensions.Diagnostics.HealthChecks;
using Parley.Server.Infrastructure.Shutdown;

namespace Parley.Server.Features.Health;

/// <summary>Not ready from the moment the node starts stopping, so that a load balancer sends it nothing new.</summary>
public sealed class NodeServingCheck(NodeDrain drain) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(drain.IsDraining
            ? HealthCheckResult.Unhealthy("The node is stopping: it finishes what it has under way and takes nothing new.")
            : HealthCheckResult.Healthy("Serving."));
}
