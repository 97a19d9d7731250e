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
            .Select(a => new { a.Succeeded, a.DurationMs, a.AttemptedAt })
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
            pending,
            Hourly(now, attempts.Select(a => (a.AttemptedAt, a.Succeeded))));
    }

    /// <summary>24 buckets ending with the current hour, so a chart shows gaps as zeros rather than skipping them.</summary>
    private static List<WebhookHealthHour> Hourly(DateTimeOffset now, IEnumerable<(DateTimeOffset At, bool Succeeded)> attempts)
    {
        var currentHour = new DateTimeOffset(now.UtcDateTime.Date.AddHours(now.UtcDateTime.Hour), TimeSpan.Zero);
        var first = currentHour.AddHours(-23);
        var succeeded = new int[24];
        var failed = new int[24];
        foreach (var (at, ok) in attempts)
        {
            var index = (int)Math.Floor((at - first).TotalHours);
            if (index is >= 0 and < 24)
            {
                (ok ? succeeded : failed)[index]++;
            }
        }
        return [.. Enumerable.Range(0, 24).Select(i => new WebhookHealthHour(first.AddHours(i), succeeded[i], failed[i]))];
    }
}
