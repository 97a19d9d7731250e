using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Parley.Data;

namespace Parley.Server.Infrastructure.Background;

/// <summary>
/// An outbox: adds the rows a background worker will process (deliveries, emails) to the save that records the events
/// behind them, so both commit together or not at all; once the save has committed, it wakes the worker.
/// Events written by an import are history and add nothing.
/// </summary>
public abstract class OutboxInterceptor<TWorker>(WakeSignal<TWorker> signal) : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, object> _added = [];

    /// <summary>Adds the outbox rows for the events being saved; returns whether it added any.</summary>
    protected abstract ValueTask<bool> AddOutboxRowsAsync(ParleyDbContext db, CancellationToken cancellationToken);

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is ParleyDbContext { IsImportingHistory: false } db && await AddOutboxRowsAsync(db, cancellationToken))
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
