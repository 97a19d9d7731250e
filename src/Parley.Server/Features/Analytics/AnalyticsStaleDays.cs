using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Server.Infrastructure.Background;

namespace Parley.Server.Features.Analytics;

/// <summary>
/// Marks a past UTC day stale when a save changes what its roll-up counts (an import, a late write just after
/// midnight, a deletion), in the same transaction as the change; the roll-up worker then recomputes that day. Writes
/// of the current day mark nothing: the current day is always computed live.
/// </summary>
public sealed class AnalyticsStaleDayMarker(TimeProvider time, WakeSignal<AnalyticsRollupWorker> signal) : IOutboxContributor
{
    /// <summary>Imported history changes past days too: they are marked like any other write.</summary>
    public ValueTask<bool> SavingAsync(ParleyDbContext db, SaveMode mode, CancellationToken cancellationToken) => ValueTask.FromResult(Mark(db));

    public void Committed(ParleyDbContext db, bool contributed)
    {
        if (contributed)
        {
            signal.Notify();
        }
    }

    private bool Mark(ParleyDbContext db)
    {
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
        foreach (var (workspaceId, day) in days)
        {
            db.AnalyticsStaleDays.Add(new AnalyticsStaleDay { Id = Guid.CreateVersion7().ToString("N"), WorkspaceId = workspaceId, Day = day, CreatedAt = now });
        }
        return days.Count > 0;
    }
}
