using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;

namespace Parley.Server.Features.Webhooks;

/// <summary>Computes an endpoint's health from its attempt log: success rate and latency over the last 24 hours.</summary>
public static class WebhookHealthQuery
{
    public static async Task<WebhookEndpointHealth> ForAsync(ParleyDbContext db, WebhookEndpoint endpoint, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = now.AddHours(-24);
        var attempts = await db.WebhookAttempts.AsNoTracking()
            .Where(a => a.EndpointId == endpoint.Id && a.AttemptedAt >= since)
            .Select(a => new { a.Succeeded, a.DurationMs })
            .ToListAsync(cancellationToken);
        var pending = await db.WebhookDeliveries.CountAsync(d => d.EndpointId == endpoint.Id && d.Status == WebhookDeliveryStatus.Pending, cancellationToken);
        var durations = attempts.Select(a => a.DurationMs).Order().ToList();
        return new WebhookEndpointHealth(
            attempts.Count,
            attempts.Count == 0 ? null : Math.Round((double)attempts.Count(a => a.Succeeded) / attempts.Count, 4),
            durations.Count == 0 ? null : durations[durations.Count / 2],
            endpoint.ConsecutiveFailures,
            endpoint.FailingSince,
            endpoint.LastSuccessAt,
            endpoint.LastFailureAt,
            endpoint.LastFailure,
            pending);
    }
}
