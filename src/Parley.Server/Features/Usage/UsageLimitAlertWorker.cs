using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Events;
using Parley.Engine.Usage;
using Parley.Server.Features.Events;
using Parley.Server.Infrastructure.Background;

namespace Parley.Server.Features.Usage;

/// <summary>
/// Turns each <see cref="UsageLimitAlert"/> the meter recorded into its event, <c>usage.limit_approaching</c> (80 %) or
/// <c>usage.limit_reached</c> (100 %), which the outbox delivers to webhooks and emails. The alert is marked with the
/// event's id in the event's own save, only if no node marked it first (its event id is a concurrency token): each
/// alert makes one event.
/// </summary>
public sealed class UsageLimitAlertWorker(
    IServiceScopeFactory scopes, WakeSignal<UsageLimitAlertWorker> signal, IOptionsMonitor<PlanOptions> plans, TimeProvider time,
    ILogger<UsageLimitAlertWorker> logger)
    : LeasedWorker<UsageLimitAlertWorker>(scopes, signal, time, logger)
{
    protected override TimeSpan PollInterval => TimeSpan.FromSeconds(30);

    protected override int BatchSize => 50;

    /// <summary>Leases nothing: an alert's event id decides which node records it.</summary>
    protected override Task<int> HandBackAsync(ParleyDbContext db, CancellationToken cancellationToken) => Task.FromResult(0);

    public override async Task<int> RunOnceAsync(CancellationToken stopping)
    {
        List<UsageLimitAlert> waiting;
        await using (var scope = Scopes.CreateAsyncScope())
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

    private async Task RecordEventAsync(UsageLimitAlert waiting, CancellationToken cancellationToken)
    {
        await using var scope = Scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        var events = scope.ServiceProvider.GetRequiredService<EventLog>();
        var alert = await db.UsageLimitAlerts.IgnoreQueryFilters().FirstOrDefaultAsync(a => a.WorkspaceId == waiting.WorkspaceId
            && a.Period == waiting.Period && a.Metric == waiting.Metric && a.Threshold == waiting.Threshold && a.EventId == null, cancellationToken);
        if (alert is null)
        {
            return;
        }
        var type = alert.Threshold >= UsageLimitThresholds.Reached ? EventTypes.UsageLimitReached : EventTypes.UsageLimitApproaching;
        alert.EventId = events.Add(type, null, UsageLimitEvent.Of(alert, plans.CurrentValue), alert.WorkspaceId).Id;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another node recorded it first: this save wrote nothing.
        }
    }
}
