using Parley.Server.Infrastructure.Background;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Events;
using Parley.Engine.Ids;

namespace Parley.Server.Features.Webhooks;

/// <summary>
/// The outbox: whenever events are saved, a delivery row for each subscribed endpoint is added to the same save, so
/// events and their deliveries commit together or not at all. After the commit the dispatcher is woken.
/// </summary>
public sealed class WebhookOutbox(WebhookSubscriptions subscriptions, WakeSignal<WebhookDispatcher> signal, IdGenerator ids) : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, object> _added = [];

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is not ParleyDbContext db || db.IsImportingHistory)
        {
            return result;
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
        if (added)
        {
            _added.AddOrUpdate(db, this);
        }
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result) =>
        SavingChangesAsync(eventData, result).AsTask().GetAwaiter().GetResult();

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is not null && _added.Remove(eventData.Context))
        {
            signal.Notify();
        }
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result) =>
        SavedChangesAsync(eventData, result).AsTask().GetAwaiter().GetResult();

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            _added.Remove(context);
        }
    }
}
