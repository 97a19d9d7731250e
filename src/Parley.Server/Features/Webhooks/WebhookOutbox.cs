using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Events;
using Parley.Engine.Ids;
using Parley.Server.Infrastructure.Background;

namespace Parley.Server.Features.Webhooks;

/// <summary>
/// The webhook outbox: whenever events are saved, a delivery row for each subscribed endpoint joins the same save, and
/// the dispatcher is woken once it has committed. Imported history is not delivered again.
/// </summary>
public sealed class WebhookOutbox(WebhookSubscriptions subscriptions, WakeSignal<WebhookDispatcher> signal, IdGenerator ids) : IOutboxContributor
{
    public void Committed(ParleyDbContext db, bool contributed)
    {
        if (contributed)
        {
            signal.Notify();
        }
    }

    public async ValueTask<bool> SavingAsync(ParleyDbContext db, SaveMode mode, CancellationToken cancellationToken)
    {
        if (mode == SaveMode.ImportedHistory)
        {
            return false;
        }
        var events = db.ChangeTracker.Entries<DomainEventRecord>()
            .Where(e => e.State == EntityState.Added && e.Entity.Type != EventTypes.WebhookTest)
            .Select(e => e.Entity)
            .ToList();
        var added = false;
        var endpointsChanging = db.ChangeTracker.Entries<WebhookEndpoint>().Any(e => e.State != EntityState.Unchanged);
        foreach (var workspace in events.GroupBy(e => e.WorkspaceId))
        {
            var subscribed = await subscriptions.ForWorkspaceAsync(db, workspace.Key, cancellationToken, cacheable: !endpointsChanging);
            foreach (var record in workspace)
            {
                foreach (var subscription in subscribed.Where(s => s.Wants(record.Type)))
                {
                    db.WebhookDeliveries.Add(new WebhookDelivery
                    {
                        Id = ids.New(IdPrefix.WebhookDelivery),
                        WorkspaceId = record.WorkspaceId,
                        EndpointId = subscription.EndpointId,
                        EventId = record.Id,
                        EventType = record.Type,
                        ConversationId = record.ConversationId,
                        Status = WebhookDeliveryStatus.Pending,
                        NextAttemptAt = record.CreatedAt,
                        CreatedAt = record.CreatedAt,
                    });
                    added = true;
                }
            }
        }
        return added;
    }
}
