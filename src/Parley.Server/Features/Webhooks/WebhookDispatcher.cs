using Parley.Server.Infrastructure.Background;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Ids;
using Parley.Server.Features.Events;
using Parley.Server.Infrastructure.Http;

namespace Parley.Server.Features.Webhooks;

/// <summary>
/// Delivers due webhook deliveries: woken right after a commit that added some, and every
/// <see cref="WebhookOptions.PollInterval"/> as a safety net. Each pass claims a batch with a lease (so several nodes
/// never send the same delivery at once, and a crashed node's claims expire), then sends to different endpoints in
/// parallel and to one endpoint in order. Pending deliveries live in the database, so they survive a restart.
/// </summary>
public sealed class WebhookDispatcher(
    IServiceScopeFactory scopes, WakeSignal<WebhookDispatcher> signal, WebhookSubscriptions subscriptions, TimeProvider time, IOptionsMonitor<WebhookOptions> options,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private readonly string _node = IdGenerator.Default.New("node");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                int claimed;
                do
                {
                    claimed = await RunOnceAsync(stoppingToken);
                }
                while (claimed >= options.CurrentValue.BatchSize && !stoppingToken.IsCancellationRequested);
                await signal.WaitAsync(options.CurrentValue.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Webhook dispatch pass failed; retrying shortly");
                await Task.Delay(options.CurrentValue.PollInterval, time, stoppingToken);
            }
        }
    }

    /// <summary>One pass: claims due deliveries and sends them. Returns how many were claimed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        List<WebhookDelivery> claimed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
            var now = time.GetUtcNow();
            var due = await db.WebhookDeliveries.IgnoreQueryFilters()
                .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil < now))
                .Where(d => db.WebhookEndpoints.IgnoreQueryFilters().Any(e => e.Id == d.EndpointId && e.Enabled))
                .OrderBy(d => d.NextAttemptAt)
                .Select(d => d.Id)
                .Take(settings.BatchSize)
                .ToListAsync(cancellationToken);
            if (due.Count == 0)
            {
                return 0;
            }
            var leaseUntil = now + settings.Lease;
            await db.WebhookDeliveries.IgnoreQueryFilters()
                .Where(d => due.Contains(d.Id) && (d.LeaseUntil == null || d.LeaseUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseUntil, leaseUntil).SetProperty(d => d.LeaseOwner, _node), cancellationToken);
            claimed = await db.WebhookDeliveries.IgnoreQueryFilters().AsNoTracking()
                .Where(d => due.Contains(d.Id) && d.LeaseOwner == _node && d.LeaseUntil == leaseUntil)
                .ToListAsync(cancellationToken);
        }

        await Task.WhenAll(claimed.GroupBy(d => d.EndpointId)
            .Select(group => DeliverToEndpointAsync(group.Key, [.. group.OrderBy(d => d.Id, StringComparer.Ordinal)], cancellationToken)));
        return claimed.Count;
    }

    private async Task DeliverToEndpointAsync(string endpointId, List<WebhookDelivery> deliveries, CancellationToken stopping)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<ParleyDbContext>();
        var sender = services.GetRequiredService<WebhookSender>();
        var recorder = services.GetRequiredService<WebhookDeliveryRecorder>();
        var endpoint = await db.WebhookEndpoints.IgnoreQueryFilters().FirstAsync(e => e.Id == endpointId, CancellationToken.None);
        var eventIds = deliveries.Select(d => d.EventId).ToList();
        var bodies = await db.Events.IgnoreQueryFilters().AsNoTracking()
            .Where(e => eventIds.Contains(e.Id))
            .ToDictionaryAsync(e => e.Id, e => WebhookBody.Of(e), CancellationToken.None);

        // Results are saved together at the end of the batch: one write instead of one per delivery. If the process
        // dies before that save, the sent deliveries go out again when their lease lapses (at least once).
        var disabled = false;
        db.WebhookDeliveries.AttachRange(deliveries);
        for (var i = 0; i < deliveries.Count; i++)
        {
            var delivery = deliveries[i];
            if (stopping.IsCancellationRequested)
            {
                // Shutting down: hand the rest back at once rather than leaving them leased.
                Release(deliveries.Skip(i));
                break;
            }
            // An attempt under way is finished and recorded even during shutdown; it has its own timeout.
            var result = await sender.SendAsync(endpoint, delivery.EventId, bodies[delivery.EventId], CancellationToken.None);
            if (recorder.Record(endpoint, delivery, result))
            {
                disabled = true;
                // Disabled: the rest stay pending, without a lease, until the endpoint is enabled again.
                Release(deliveries.Skip(i + 1));
                break;
            }
        }
        await db.SaveChangesAsync(CancellationToken.None);
        if (disabled)
        {
            subscriptions.Evict(endpoint.WorkspaceId);
        }
    }

    private static void Release(IEnumerable<WebhookDelivery> deliveries)
    {
        foreach (var delivery in deliveries)
        {
            delivery.LeaseUntil = null;
            delivery.LeaseOwner = null;
        }
    }
}

/// <summary>The body of a webhook: the event exactly as <c>GET /v1/events</c> shows it.</summary>
public static class WebhookBody
{
    public static string Of(DomainEventRecord record) =>
        System.Text.Json.JsonSerializer.Serialize(EventResponse.From(record), ApiJson.Options);
}
