using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Providers;
using Parley.Engine.Events;
using Parley.Engine.Usage;
using Parley.Server.Features.Events;
using Parley.Server.Infrastructure.Background;

namespace Parley.Server.Features.Usage;

/// <summary>
/// Turns each <see cref="UsageLimitAlert"/> the meter recorded into its event, <c>usage.limit_approaching</c> (80 %) or
/// <c>usage.limit_reached</c> (100 %), which the outbox delivers to webhooks and emails. The alert is marked with the
/// event's id in the event's own transaction, only if no node marked it first: each alert makes one event.
/// </summary>
public sealed class UsageLimitAlertWorker(
    IServiceScopeFactory scopes, WakeSignal<UsageLimitAlertWorker> signal, IOptionsMonitor<PlanOptions> plans, TimeProvider time,
    ILogger<UsageLimitAlertWorker> logger)
    : LeasedWorker<UsageLimitAlertWorker>(signal, time, logger)
{
    protected override TimeSpan PollInterval => TimeSpan.FromSeconds(30);

    protected override int BatchSize => 50;

    public override async Task<int> RunOnceAsync(CancellationToken stopping)
    {
        List<UsageLimitAlert> waiting;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
            waiting = await db.UsageLimitAlerts.IgnoreQueryFilters().AsNoTracking()
                .Where(a => a.EventId == null)
                .OrderBy(a => a.Period).ThenBy(a => a.Threshold)
                .Take(BatchSize).ToListAsync(stopping);
        }
        foreach (var alert in waiting)
        {
            await RecordEventAsync(alert, stopping);
        }
        return waiting.Count;
    }

    private async Task RecordEventAsync(UsageLimitAlert alert, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        var events = scope.ServiceProvider.GetRequiredService<EventLog>();
        var sqlite = db.Database.IsSqlite();
        if (sqlite)
        {
            await SqliteWriteGate.Instance.HoldAsync(db, cancellationToken);
        }
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var type = alert.Threshold >= UsageLimitThresholds.Reached ? EventTypes.UsageLimitReached : EventTypes.UsageLimitApproaching;
            var record = events.Add(type, null, UsageLimitEvent.Of(alert, plans.CurrentValue), alert.WorkspaceId);
            var claimed = await db.UsageLimitAlerts.IgnoreQueryFilters()
                .Where(a => a.WorkspaceId == alert.WorkspaceId && a.Period == alert.Period && a.Metric == alert.Metric
                    && a.Threshold == alert.Threshold && a.EventId == null)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.EventId, record.Id), cancellationToken);
            if (claimed == 0)
            {
                // Another node recorded it first; the transaction rolls back with nothing written.
                return;
            }
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            if (sqlite)
            {
                SqliteWriteGate.Instance.LetGo(db);
            }
        }
    }
}
