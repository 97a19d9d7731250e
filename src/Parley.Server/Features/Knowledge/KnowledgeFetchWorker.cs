using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Data.Tenancy;
using Parley.Server.Infrastructure.Background;
using static Parley.Server.Features.Knowledge.KnowledgeSourceKinds;

namespace Parley.Server.Features.Knowledge;

/// <summary>
/// Fetches and indexes URL sources waiting in <c>processing</c>, woken when one is added or re-synced. The status lives
/// in the database, so a source still waiting when the server stops is fetched after the restart. With several nodes,
/// one node at a time fetches a source (<see cref="NodeExclusiveLock"/>).
/// </summary>
public sealed class KnowledgeFetchWorker(
    IServiceScopeFactory scopes, WakeSignal<KnowledgeFetchWorker> signal, IOptions<KnowledgeOptions> options,
    ILogger<KnowledgeFetchWorker> logger) : BackgroundService
{
    private const int BatchSize = 10;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await RunOnceAsync(stoppingToken) >= BatchSize)
                {
                }
                await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Knowledge fetch pass failed; retrying at the next poll");
                await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
        }
    }

    /// <summary>Fetches the waiting URL sources, oldest change first. Returns how many it took.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        List<(string Id, string WorkspaceId)> waiting;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
            waiting = [.. (await db.KnowledgeSources.IgnoreQueryFilters().AsNoTracking()
                .Where(s => s.Status == Processing && s.Type == Url)
                .OrderBy(s => s.UpdatedAt)
                .Take(BatchSize)
                .Select(s => new { s.Id, s.WorkspaceId })
                .ToListAsync(cancellationToken)).Select(s => (s.Id, s.WorkspaceId))];
        }
        foreach (var (id, workspaceId) in waiting)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(workspaceId);
            var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
            // Another node is fetching it: two fetches at once would each replace the chunks, leaving both sets.
            await using var fetching = await NodeExclusiveLock.TryTakeAsync(db, "knowledge-source:" + id, cancellationToken);
            if (fetching is null)
            {
                continue;
            }
            // Deleted or already handled by another node since the query above.
            if (await db.KnowledgeSources.FirstOrDefaultAsync(s => s.Id == id && s.Status == Processing, cancellationToken) is { } source)
            {
                await scope.ServiceProvider.GetRequiredService<KnowledgeIngestion>().SyncAsync(source, cancellationToken);
            }
        }
        return waiting.Count;
    }
}
