using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Data.Providers;
using Parley.Data.Tenancy;
using Parley.Server.Infrastructure.Background;

namespace Parley.Server.Features.Analytics;

/// <summary>
/// Writes the daily roll-ups of every workspace: each day once it is over (after <see cref="AnalyticsOptions.SettleDelay"/>),
/// every day since the last roll-up when it starts (catch-up), and again any past day marked stale by a later change.
/// A day's rows are replaced as a whole, so rolling a day up twice leaves the same rows.
/// </summary>
public sealed class AnalyticsRollupWorker(
    IServiceScopeFactory scopes, WakeSignal<AnalyticsRollupWorker> signal, IOptions<AnalyticsOptions> options, TimeProvider time,
    AnalyticsCalculator calculator, ILogger<AnalyticsRollupWorker> logger) : BackgroundService
{
    /// <summary>Days rolled up in one transaction while catching up: a week of history is held in memory at a time.</summary>
    private const int ChunkDays = 1;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RollupWorker)
        {
            return;
        }
        try
        {
            await Task.Delay(options.Value.StartDelay, time, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
                await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Analytics roll-up pass failed; retrying at the next poll");
                await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
        }
    }

    /// <summary>The last day that is over and settled, at <paramref name="now"/>.</summary>
    public DateOnly LastCompleteDay(DateTimeOffset now) => AnalyticsDays.Of(now - options.Value.SettleDelay).AddDays(-1);

    /// <summary>Rolls up every workspace's days that are due. Returns how many days it wrote.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        List<string> workspaces;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
            workspaces = await db.Workspaces.AsNoTracking().Select(w => w.Id).OrderBy(id => id).ToListAsync(cancellationToken);
        }
        var written = 0;
        foreach (var workspaceId in workspaces)
        {
            written += await RollUpWorkspaceAsync(workspaceId, LastCompleteDay(time.GetUtcNow()), cancellationToken);
        }
        return written;
    }

    /// <summary>Rolls up one workspace's stale days and every day after its last roll-up up to <paramref name="through"/>.</summary>
    public async Task<int> RollUpWorkspaceAsync(string workspaceId, DateOnly through, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(workspaceId);
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        // Every node runs this worker; one at a time rolls up a workspace, and the others skip it this pass.
        await using var rollingUp = await NodeExclusiveLock.TryTakeAsync(db, "analytics-rollup:" + workspaceId, cancellationToken);
        if (rollingUp is null)
        {
            return 0;
        }
        if (!db.Database.IsSqlite())
        {
            return await RollUpAsync(db, workspaceId, through, cancellationToken);
        }
        // Catching up reads the whole history once: through plain I/O, not the connection's memory map, which would map
        // that much of the database file into the process (the map is back when a pooled connection is opened again). The
        // connection is closed again here: the context goes back to a pool, and one left open would stay open in the
        // scopes that lease it next.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await SqliteConnectionPragmas.PlainReadsAsync(db, cancellationToken);
            return await RollUpAsync(db, workspaceId, through, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<int> RollUpAsync(ParleyDbContext db, string workspaceId, DateOnly through, CancellationToken cancellationToken)
    {
        var written = 0;

        var stale = await db.AnalyticsStaleDays.AsNoTracking().ToListAsync(cancellationToken);
        var state = await db.AnalyticsRollupStates.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        DateOnly? rolledUpThrough = state?.RolledUpThrough;
        foreach (var day in stale.Select(s => s.Day).Distinct().Order())
        {
            var ids = stale.Where(s => s.Day == day).Select(s => s.Id).ToList();
            // Days after the last roll-up are written by the catch-up below.
            if (rolledUpThrough is { } last && day <= last)
            {
                await ReplaceAsync(db, workspaceId, day, day, ids, null, cancellationToken);
                written++;
            }
            else
            {
                await db.AnalyticsStaleDays.Where(s => ids.Contains(s.Id)).ExecuteDeleteAsync(cancellationToken);
            }
        }

        var next = rolledUpThrough?.AddDays(1) ?? await AnalyticsCalculator.FirstDayAsync(db, cancellationToken) ?? through.AddDays(1);
        while (next <= through)
        {
            var end = next.AddDays(ChunkDays - 1) is var e && e < through ? e : through;
            await ReplaceAsync(db, workspaceId, next, end, [], end, cancellationToken);
            written += end.DayNumber - next.DayNumber + 1;
            next = end.AddDays(1);
        }
        if (rolledUpThrough is null && next > through)
        {
            // Nothing to roll up yet: remember where the history starts being complete.
            await SetRolledUpThroughAsync(db, workspaceId, through, cancellationToken);
        }
        return written;
    }

    private async Task ReplaceAsync(
        ParleyDbContext db, string workspaceId, DateOnly from, DateOnly to, List<string> staleIds, DateOnly? advanceTo, CancellationToken cancellationToken)
    {
        var rows = await calculator.ComputeAsync(db, workspaceId, from, to, null, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.AnalyticsDailyRollups.Where(r => r.Day >= from && r.Day <= to).ExecuteDeleteAsync(cancellationToken);
        if (staleIds.Count > 0)
        {
            await db.AnalyticsStaleDays.Where(s => staleIds.Contains(s.Id)).ExecuteDeleteAsync(cancellationToken);
        }
        db.AnalyticsDailyRollups.AddRange(rows);
        await db.SaveChangesAsync(cancellationToken);
        if (advanceTo is { } through)
        {
            await SetRolledUpThroughAsync(db, workspaceId, through, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    private async Task SetRolledUpThroughAsync(ParleyDbContext db, string workspaceId, DateOnly through, CancellationToken cancellationToken)
    {
        var state = await db.AnalyticsRollupStates.FirstOrDefaultAsync(cancellationToken);
        if (state is null)
        {
            db.AnalyticsRollupStates.Add(new() { WorkspaceId = workspaceId, RolledUpThrough = through, UpdatedAt = time.GetUtcNow() });
        }
        else if (state.RolledUpThrough < through)
        {
            state.RolledUpThrough = through;
            state.UpdatedAt = time.GetUtcNow();
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}
