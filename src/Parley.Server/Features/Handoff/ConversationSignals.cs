using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Server.Infrastructure.Persistence;
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
public sealed class ConversationSignalInterceptor(ConversationSignals signals) : SaveHook
{
    private readonly ConditionalWeakTable<DbContext, List<string>> _pending = [];

    protected override void Saving(DbContext? context)
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

    protected override void Saved(DbContext? context)
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
