using Parley.Server.Infrastructure.Background;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Server.Features.Events;
using Parley.Server.Infrastructure.Http;

namespace Parley.Server.Features.Webhooks;

/// <summary>
/// Delivers due webhook deliveries: woken right after a commit that added some, and every
/// <see cref="WebhookOptions.PollInterval"/> as a safety net. Each pass leases a batch (<see cref="LeaseClaims"/>: several
/// nodes never send the same delivery at once, and a crashed node's leases lapse, after which another node sends the
/// same event again with the same <c>webhook-id</c>), renews the lease while sending, then sends to different endpoints
/// in parallel and to one endpoint in order. Pending deliveries live in the database, so they survive a restart.
/// </summary>
public sealed class WebhookDispatcher(
    IServiceScopeFactory scopes, WakeSignal<WebhookDispatcher> signal, WebhookSubscriptions subscriptions, TimeProvider time, IOptionsMonitor<WebhookOptions> options,
    ILogger<WebhookDispatcher> logger) : LeasedWorker<WebhookDispatcher>(scopes, signal, time, logger)
{
    protected override TimeSpan PollInterval => options.CurrentValue.PollInterval;

    protected override int BatchSize => options.CurrentValue.BatchSize;

    protected override Task<int> HandBackAsync(ParleyDbContext db, CancellationToken cancellationToken) =>
        LeaseClaims.HandBackAsync(db.WebhookDeliveries.IgnoreQueryFilters().Where(d => d.Status == WebhookDeliveryStatus.Pending), Owner, cancellationToken);

    /// <summary>One pass: claims due deliveries, sends them and records the outcomes. Returns how many were claimed.</summary>
    public override async Task<int> RunOnceAsync(CancellationToken stopping)
    {
        var settings = options.CurrentValue;
        await using var scope = Scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<ParleyDbContext>();
        var now = Time.GetUtcNow();
        var claimed = await LeaseClaims.ClaimAsync(db,
            db.WebhookDeliveries.IgnoreQueryFilters()
                .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now)
                .Where(d => db.WebhookEndpoints.IgnoreQueryFilters().Any(e => e.Id == d.EndpointId && e.Enabled))
                .OrderBy(d => d.NextAttemptAt),
            settings.BatchSize, Owner, now, settings.Lease, stopping);
        if (claimed.Count == 0)
        {
            return 0;
        }
        claimed.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        var endpointIds = claimed.Select(d => d.EndpointId).Distinct().ToList();
        var endpoints = await db.WebhookEndpoints.IgnoreQueryFilters().Where(e => endpointIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, CancellationToken.None);
        var eventIds = claimed.Select(d => d.EventId).ToList();
        var bodies = await db.Events.IgnoreQueryFilters().AsNoTracking()
            .Where(e => eventIds.Contains(e.Id))
            .ToDictionaryAsync(e => e.Id, WebhookBody.Of, CancellationToken.None);

        // Events of one conversation are sent to an endpoint one after the other, in order; other conversations and
        // endpoints go in parallel. (A retried event can arrive after later ones: receivers order by created_at.)
        var sender = services.GetRequiredService<WebhookSender>();
        using var inFlight = new SemaphoreSlim(settings.MaxParallelSends);
        var outcomes = await WhileHoldingAsync<WebhookDelivery, List<(WebhookDelivery Delivery, WebhookAttemptResult? Result)>[]>(
            [.. claimed.Select(d => d.Id)], settings.Lease, () => Task.WhenAll(claimed
                .GroupBy(d => (d.EndpointId, d.ConversationId ?? d.EventId))
                .Select(sequence => SendInOrderAsync(sender, endpoints[sequence.Key.EndpointId], [.. sequence], bodies, inFlight, stopping))));

        var recorder = services.GetRequiredService<WebhookDeliveryRecorder>();
        var disabledWorkspaces = new HashSet<string>();
        foreach (var (delivery, result) in outcomes.SelectMany(o => o).OrderBy(o => o.Delivery.Id, StringComparer.Ordinal))
        {
            var endpoint = endpoints[delivery.EndpointId];
            if (result is null)
            {
                // Not sent because the service is stopping: back to the queue at once.
                LeaseClaims.Release(delivery);
            }
            else if (recorder.Record(endpoint, delivery, result))
            {
                disabledWorkspaces.Add(endpoint.WorkspaceId);
            }
        }
        // One save for the whole pass. If the process dies before it, the deliveries sent go out again when their
        // lease lapses: at least once.
        await db.SaveChangesAsync(CancellationToken.None);
        foreach (var workspaceId in disabledWorkspaces)
        {
            subscriptions.Evict(workspaceId);
        }
        return claimed.Count;
    }

    private static async Task<List<(WebhookDelivery Delivery, WebhookAttemptResult? Result)>> SendInOrderAsync(
        WebhookSender sender, WebhookEndpoint endpoint, List<WebhookDelivery> sequence, Dictionary<string, string> bodies,
        SemaphoreSlim inFlight, CancellationToken stopping)
    {
        var outcomes = new List<(WebhookDelivery, WebhookAttemptResult?)>(sequence.Count);
        foreach (var delivery in sequence)
        {
            await inFlight.WaitAsync(CancellationToken.None);
            try
            {
                if (stopping.IsCancellationRequested)
                {
                    // Not started: handed back for another node when this one stops.
                    outcomes.Add((delivery, null));
                    continue;
                }
                // An attempt under way is finished and recorded even during shutdown; it has its own timeout.
                var result = await sender.SendAsync(endpoint, delivery.EventId, bodies[delivery.EventId], CancellationToken.None);
                outcomes.Add((delivery, result));
            }
            finally
            {
                inFlight.Release();
            }
        }
        return outcomes;
    }
}

/// <summary>The body of a webhook: the event exactly as <c>GET /v1/events</c> shows it.</summary>
public static class WebhookBody
{
    public static string Of(DomainEventRecord record) =>
        System.Text.Json.JsonSerializer.Serialize(EventResponse.From(record), ApiJson.Options);
}
