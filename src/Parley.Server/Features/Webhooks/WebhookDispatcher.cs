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

    /// <summary>One pass: claims due deliveries, sends them and records the outcomes. Returns how many were claimed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken stopping)
    {
        var settings = options.CurrentValue;
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<ParleyDbContext>();
        var now = time.GetUtcNow();
        var due = await db.WebhookDeliveries.IgnoreQueryFilters()
            .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil < now))
            .Where(d => db.WebhookEndpoints.IgnoreQueryFilters().Any(e => e.Id == d.EndpointId && e.Enabled))
            .OrderBy(d => d.NextAttemptAt)
            .Select(d => d.Id)
            .Take(settings.BatchSize)
            .ToListAsync(stopping);
        if (due.Count == 0)
        {
            return 0;
        }
        var leaseUntil = now + settings.Lease;
        await db.WebhookDeliveries.IgnoreQueryFilters()
            .Where(d => due.Contains(d.Id) && (d.LeaseUntil == null || d.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseUntil, leaseUntil).SetProperty(d => d.LeaseOwner, _node), stopping);
        var claimed = await db.WebhookDeliveries.IgnoreQueryFilters()
            .Where(d => due.Contains(d.Id) && d.LeaseOwner == _node && d.LeaseUntil == leaseUntil)
            .OrderBy(d => d.Id)
            .ToListAsync(CancellationToken.None); // claimed: see it through, even when stopping
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
        var outcomes = await Task.WhenAll(claimed
            .GroupBy(d => (d.EndpointId, d.ConversationId ?? d.EventId))
            .Select(sequence => SendInOrderAsync(sender, endpoints[sequence.Key.EndpointId], [.. sequence], bodies, inFlight, stopping)));

        var recorder = services.GetRequiredService<WebhookDeliveryRecorder>();
        var disabledWorkspaces = new HashSet<string>();
        foreach (var (delivery, result) in outcomes.SelectMany(o => o).OrderBy(o => o.Delivery.Id, StringComparer.Ordinal))
        {
            var endpoint = endpoints[delivery.EndpointId];
            if (result is null)
            {
                // Not sent because the service is stopping: back to the queue at once.
                delivery.LeaseUntil = null;
                delivery.LeaseOwner = null;
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
            if (stopping.IsCancellationRequested)
            {
                outcomes.Add((delivery, null));
                continue;
            }
            await inFlight.WaitAsync(CancellationToken.None);
            try
            {
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
