using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Server.Infrastructure.Background;
using Parley.Server.Infrastructure.Cluster;
using System.Runtime.CompilerServices;
using Parley.Server.Features.Handoff.Assignment;

namespace Parley.Server.Features.Handoff;

/// <summary>
/// Wakes the open streams of a conversation when an event of it is committed, on this node or (told over the cluster
/// bus: Redis, or PostgreSQL's LISTEN/NOTIFY) on another. Streams read what to send from the event log, so a missed
/// signal only delays delivery until the stream's next poll.
/// </summary>
public sealed class ConversationSignals
{
    /// <summary>
    /// The announcement another node makes: <c>{conversation id}</c>, followed by <c>{workspace id}</c> when the event is
    /// one the inbox shows.
    /// </summary>
    internal const string Announcement = "conversation-event";

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _workspaces = new(StringComparer.Ordinal);

    public ConversationSignals(ClusterAnnouncements cluster) => cluster.On(Announcement, payload =>
    {
        var parts = payload.Split(' ');
        Notify(parts[0]);
        if (parts is [_, var workspaceId])
        {
            NotifyWorkspace(workspaceId);
        }
    });

    public void Notify(string conversationId) => Wake(_waiting, conversationId);

    public void NotifyWorkspace(string workspaceId) => Wake(_workspaces, workspaceId);

    /// <summary>A task that completes at the next event of the conversation (or never: the caller bounds the wait).</summary>
    public Task NextAsync(string conversationId) => Next(_waiting, conversationId);

    /// <summary>A task that completes at the next event the inbox shows in the workspace (or never: the caller bounds the wait).</summary>
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
/// the workspace's inbox streams and the assignment sweep when an event the inbox shows was among them (a conversation
/// joined the queue, or someone's load changed).
/// </summary>
public sealed class ConversationStreamWaker(ConversationSignals signals, ClusterAnnouncements cluster, WakeSignal<AssignmentWorker> assignment)
    : IOutboxContributor
{
    private sealed class Woken
    {
        public HashSet<string> Conversations { get; } = new(StringComparer.Ordinal);

        /// <summary>Each conversation whose events the inbox shows, with its workspace.</summary>
        public Dictionary<string, string> InboxChanges { get; } = new(StringComparer.Ordinal);
    }

    private readonly ConditionalWeakTable<DbContext, Woken> _pending = [];

    public ValueTask<bool> SavingAsync(ParleyDbContext db, SaveMode mode, CancellationToken cancellationToken)
    {
        Woken? woken = null;
        foreach (var entry in db.ChangeTracker.Entries<DomainEventRecord>())
        {
            if (entry.State != EntityState.Added || entry.Entity.ConversationId is not { } conversationId)
            {
                continue;
            }
            // Several saves in one transaction wake the streams of all of them at its commit.
            woken ??= _pending.GetOrCreateValue(db);
            woken.Conversations.Add(conversationId);
            if (InboxStream.StreamedTypes.Contains(entry.Entity.Type))
            {
                woken.InboxChanges[conversationId] = entry.Entity.WorkspaceId;
            }
        }
        return ValueTask.FromResult(woken is not null);
    }

    public void Committed(ParleyDbContext db, bool contributed)
    {
        if (!_pending.TryGetValue(db, out var woken))
        {
            return;
        }
        _pending.Remove(db);
        foreach (var conversationId in woken.Conversations)
        {
            signals.Notify(conversationId);
            if (woken.InboxChanges.TryGetValue(conversationId, out var workspaceId))
            {
                signals.NotifyWorkspace(workspaceId);
                cluster.Announce(ConversationSignals.Announcement, conversationId + " " + workspaceId);
            }
            else
            {
                cluster.Announce(ConversationSignals.Announcement, conversationId);
            }
        }
        if (woken.InboxChanges.Count > 0)
        {
            assignment.Notify();
        }
    }

    public void RolledBack(ParleyDbContext db)
    {
        if (_pending.TryGetValue(db, out _))
        {
            _pending.Remove(db);
        }
    }
}
