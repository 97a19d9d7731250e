using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Server.Infrastructure.Background;
using Parley.Server.Infrastructure.Persistence;

namespace Parley.Server.Features.Analytics;

/// <summary>
/// Marks a past UTC day stale when a save changes what its roll-up counts (an import, a late write just after
/// midnight, a deletion), in the same transaction as the change; the roll-up worker then recomputes that day. Writes
/// of the current day mark nothing: the current day is always computed live.
/// </summary>
public sealed class AnalyticsStaleDayInterceptor(TimeProvider time, WakeSignal<AnalyticsRollupWorker> signal) : SaveHook
{
    /// <summary>The contexts whose save being made marks days stale: the worker is woken once that save has committed.</summary>
    private readonly ConditionalWeakTable<DbContext, object> _marking = [];

    protected override void Saving(DbContext? context)
    {
        if (context is not ParleyDbContext db)
        {
            return;
        }
        var now = time.GetUtcNow();
        var today = AnalyticsDays.Of(now);
        var days = new HashSet<(string WorkspaceId, DateOnly Day)>();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }
            var changed = entry.Entity switch
            {
                Message m => (m.WorkspaceId, m.CreatedAt),
                Conversation c when entry.State != EntityState.Modified => (c.WorkspaceId, c.CreatedAt),
                DomainEventRecord e when entry.State != EntityState.Modified => (e.WorkspaceId, e.CreatedAt),
                Booking b when entry.State != EntityState.Modified => (b.WorkspaceId, b.CreatedAt),
                _ => ((string WorkspaceId, DateTimeOffset CreatedAt)?)null,
            };
            if (changed is { } c2 && AnalyticsDays.Of(c2.CreatedAt) < today)
            {
                days.Add((c2.WorkspaceId, AnalyticsDays.Of(c2.CreatedAt)));
            }
        }
        if (days.Count > 0)
        {
            _marking.AddOrUpdate(db, this);
        }
        foreach (var (workspaceId, day) in days)
        {
            db.AnalyticsStaleDays.Add(new AnalyticsStaleDay { Id = Guid.CreateVersion7().ToString("N"), WorkspaceId = workspaceId, Day = day, CreatedAt = now });
        }
    }

    protected override void Saved(DbContext? context)
    {
        if (context is not null && _marking.Remove(context))
        {
            signal.Notify();
        }
    }
}
