using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Server.Infrastructure.Background;

namespace Parley.Server.Features.Handoff.Assignment;

/// <summary>
/// Applies the assignment rules of every workspace that has auto-assignment or reassignment on: a pass walks all such
/// workspaces a page at a time, leasing each one's rules row (one node at a time sweeps a workspace, so two nodes never
/// share out its conversations at once) and running its <see cref="AssignmentSweep"/>. It runs every
/// <see cref="HandoffOptions.AssignmentSweepInterval"/>, and at once on this node when a conversation is handed over,
/// given back, closed or reassigned, an agent comes online, or the rules change.
/// </summary>
public sealed class AssignmentWorker(
    IServiceScopeFactory scopes, AssignmentSweep sweep, WakeSignal<AssignmentWorker> signal, IOptions<HandoffOptions> options, TimeProvider time,
    ILogger<AssignmentWorker> logger)
    : LeasedWorker<AssignmentWorker>(scopes, signal, time, logger)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    protected override TimeSpan PollInterval => options.Value.AssignmentSweepInterval;

    protected override int BatchSize => 20;

    protected override Task<int> HandBackAsync(ParleyDbContext db, CancellationToken cancellationToken) =>
        LeaseClaims.HandBackAsync(db.AssignmentRules.IgnoreQueryFilters(), Owner, cancellationToken);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.AssignmentWorker ? base.ExecuteAsync(stoppingToken) : Task.CompletedTask;

    public override async Task<int> RunOnceAsync(CancellationToken stopping)
    {
        string? after = null;
        do
        {
            after = await SweepPageAsync(after, stopping);
        }
        while (after is not null && !stopping.IsCancellationRequested);
        // A rules row is never done: it is due again at the next pass. This pass has walked every due row already, so
        // it reports no leftover work; a full page here would make the base loop run again at once over the same rows.
        return 0;
    }

    /// <summary>
    /// Claims and sweeps the next page of due workspaces in id order after <paramref name="after"/>; returns the id to
    /// go on after, or null when the page was the last.
    /// </summary>
    private async Task<string?> SweepPageAsync(string? after, CancellationToken stopping)
    {
        await using var scope = Scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        var due = db.AssignmentRules.IgnoreQueryFilters().Where(r => r.AutoAssign || r.ReassignAfterMinutes != null);
        if (after is not null)
        {
            due = due.Where(r => string.Compare(r.Id, after) > 0);
        }
        var claimed = await LeaseClaims.ClaimAsync(db, due.OrderBy(r => r.Id), BatchSize, Owner, Time.GetUtcNow(), Lease, stopping);
        if (claimed.Count == 0)
        {
            return null;
        }
        await WhileHoldingAsync<WorkspaceAssignmentRules, bool>([.. claimed.Select(r => r.Id)], Lease, async () =>
        {
            foreach (var row in claimed)
            {
                try
                {
                    row.LastAssignedAgentId = await sweep.RunAsync(row.WorkspaceId, row.ToRules(), row.LastAssignedAgentId, stopping);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "The assignment sweep of workspace {WorkspaceId} failed; retrying at the next pass", row.WorkspaceId);
                }
                LeaseClaims.Release(row);
            }
            return true;
        });
        await db.SaveChangesAsync(CancellationToken.None);
        return claimed.Count < BatchSize ? null : claimed.Select(r => r.Id).Max(StringComparer.Ordinal);
    }
}
