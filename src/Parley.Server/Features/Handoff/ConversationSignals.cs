using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Parley.Data;
using Parley.Data.Entities;
using System.Runtime.CompilerServices;

namespace Parley.Server.Features.Handoff;

/// <summary>
/// Wakes the open streams of a conversation when an event of it is committed on this node. Streams read what to send
/// from the event log, so a missed signal only delays delivery until the next poll; other nodes are reached by polling.
/// </summary>
public sealed class ConversationSignals
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new(StringComparer.Ordinal);

    public void Notify(string conversationId)
    {
        if (_waiting.TryRemove(conversationId, out var waiter))
        {
            waiter.TrySetResult();
        }
    }

    /// <summary>A task that completes at the next event of the conversation (or never: the caller bounds the wait).</summary>
    public Task NextAsync(string conversationId) =>
        _waiting.GetOrAdd(conversationId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
}

/// <summary>After a save that recorded conversation events has committed, wakes those conversations' streams.</summary>
public sealed class ConversationSignalInterceptor(ConversationSignals signals) : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, List<string>> _pending = [];

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Wake(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Wake(eventData.Context);
        return result;
    }

    private void Collect(DbContext? context)
    {
        if (context is not ParleyDbContext db)
        {
            return;
        }
        var ids = db.ChangeTracker.Entries<DomainEventRecord>()
            .Where(e => e.State == EntityState.Added && e.Entity.ConversationId is not null)
            .Select(e => e.Entity.ConversationId!)
            .Distinct()
            .ToList();
        if (ids.Count > 0)
        {
            _pending.AddOrUpdate(db, ids);
        }
    }

    private void Wake(DbContext? context)
    {
        if (context is not null && _pending.TryGetValue(context, out var ids))
        {
            _pending.Remove(context);
            foreach (var id in ids)
            {
                signals.Notify(id);
            }
        }
    }
}
