using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Server.Infrastructure.Background;
using Parley.Server.Infrastructure.Cluster;
using System.Runtime.CompilerServices;
using Parley.Engine.Events;
using Parley.Server.Features.Handoff.Assignment;

namespace Parley.Server.Features.Handoff;

/// <summary>
/// Wakes the open streams of a conversation when an event of it is committed, on this node or (told over the cluster
/// bus: Redis, or PostgreSQL's LISTEN/NOTIFY) on another. Streams read what to send from the event log, so a missed
/// signal only delays delivery until the stream's next poll.
/// </summary>
public sealed class ConversationSignals
{
    /// <summary>The announcement another node makes: <c>{workspace id} {conversation id}</c>.</summary>
    internal const string Announcement = "conversation-event";

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _workspaces = new(StringComparer.Ordinal);

    public ConversationSignals(ClusterAnnouncements cluster) => cluster.On(Announcement, payload =>
    {
        if (payload.Split(' ') is [var workspaceId, var conversationId])
        {
            Notify(conversationId);
            NotifyWorkspace(workspaceId);
        }
    });

    public void Notify(string conversationId) => Wake(_waiting, conversationId);

    public void NotifyWorkspace(string workspaceId) => Wake(_workspaces, workspaceId);

    /// <summary>A task that completes at the next event of the conversation (or never: the caller bounds the wait).</summary>
    public Task NextAsync(string conversationId) => Next(_waiting, conversationId);

    /// <summary>A task that completes at the next conversation event of the workspace (or never: the caller bounds the wait).</summary>
    public Task NextInWorkspaceAsync(string workspaceId) => Next(_workspaces, workspaceId);

    private static void Wake(ConcurrentDictionary<string, TaskCompletionSource> waiting, string key)
    {
        if (waiting.TryRemove(key, out var waiter))
        {
            waiter.TrySetResult();
        }
    }

    private static Task Next(ConcurrentDictionary<string, TaskCompletionSource> waiting, string key) =>
        waiting.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
}

/// <summary>
/// After a save that recorded conversation events has committed, wakes those conversations' streams on every node, and
/// the assignment sweep when a conversation joined the queue or someone's load changed.
/// </summary>
public sealed class ConversationStreamWaker(ConversationSignals signals, ClusterAnnouncements cluster, WakeSignal<AssignmentWorker> assignment)
    : IOutboxContributor
{
    private static readonly string[] AssignmentTypes =
    [
        EventTypes.HandoffRequested, EventTypes.ConversationAssigned, EventTypes.ConversationUnassigned, EventTypes.ConversationReturnedToBot,
        EventTypes.ConversationClosed,
    ];

    private readonly ConditionalWeakTable<DbContext, HashSet<(string WorkspaceId, string ConversationId)>> _pending = [];
    private readonly ConditionalWeakTable<DbContext, object> _assignmentChanges = [];

    public ValueTask<bool> SavingAsync(ParleyDbContext db, SaveMode mode, CancellationToken cancellationToken)
    {
        var ids = db.ChangeTracker.Entries<DomainEventRecord>()
            .Where(e => e.State == EntityState.Added && e.Entity.ConversationId is not null)
            .Select(e => (e.Entity.WorkspaceId, e.Entity.ConversationId!))
            .Distinct()
            .ToList();
        if (ids.Count > 0)
        {
            // Several saves in one transaction wake the streams of all of them at its commit.
            _pending.GetOrCreateValue(db).UnionWith(ids);
            if (db.ChangeTracker.Entries<DomainEventRecord>().Any(e => e.State == EntityState.Added && AssignmentTypes.Contains(e.Entity.Type)))
            {
                _assignmentChanges.AddOrUpdate(db, true);
            }
        }
        return ValueTask.FromResult(ids.Count > 0);
    }

    public void Committed(ParleyDbContext db, bool contributed)
    {
        if (_pending.TryGetValue(db, out var ids))
        {
            _pending.Remove(db);
            foreach (var (workspaceId, conversationId) in ids)
            {
                signals.Notify(conversationId);
                signals.NotifyWorkspace(workspaceId);
                cluster.Announce(ConversationSignals.Announcement, workspaceId + " " + conversationId);
            }
        }
        if (_assignmentChanges.Remove(db))
        {
            assignment.Notify();
        }
    }

    public void RolledBack(ParleyDbContext db)
    {
        _pending.Remove(db);
        _assignmentChanges.Remove(db);
    }
}
