using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Tenancy;
using Parley.Engine.Ids;
using Parley.Server.Infrastructure.Background;

namespace Parley.Server.Features.Exports;

/// <summary>
/// Builds queued export archives, one job at a time per node. A job is claimed with a lease that is renewed as it
/// progresses; if the node dies, the lease lapses and the job starts over on the next node (or after a restart),
/// because queued and running jobs live in the database.
/// </summary>
public sealed class ExportWorker(
    IServiceScopeFactory scopes, WakeSignal<ExportWorker> signal, ExportStorage storage, TimeProvider time,
    IOptionsMonitor<ExportOptions> options, ILogger<ExportWorker> logger) : BackgroundService
{
    private readonly string _node = IdGenerator.Default.New("node");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await RunOnceAsync(stoppingToken))
                {
                }
                await signal.WaitAsync(options.CurrentValue.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Export pass failed; retrying shortly");
                await Task.Delay(options.CurrentValue.PollInterval, time, stoppingToken);
            }
        }
    }

    /// <summary>Claims and builds one job. Returns whether there was one.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken stopping)
    {
        var settings = options.CurrentValue;
        var job = await ClaimAsync(settings, stopping);
        if (job is null)
        {
            return false;
        }
        try
        {
            await BuildAsync(job, settings, stopping);
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested)
        {
            logger.LogError(ex, "Export {JobId} failed (attempt {Attempt})", job.Id, job.Attempts);
            var failed = job.Attempts >= settings.MaxAttempts;
            await UpdateAsync(job.Id, s => s
                .SetProperty(j => j.Status, failed ? ExportJobStatus.Failed : ExportJobStatus.Pending)
                .SetProperty(j => j.Error, "The archive could not be built: " + ex.Message)
                .SetProperty(j => j.LeaseUntil, (DateTimeOffset?)null)
                .SetProperty(j => j.CompletedAt, failed ? time.GetUtcNow() : (DateTimeOffset?)null), CancellationToken.None);
        }
        return true;
    }

    private async Task<ExportJob?> ClaimAsync(ExportOptions settings, CancellationToken stopping)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        var now = time.GetUtcNow();
        var candidate = await db.ExportJobs.IgnoreQueryFilters().AsNoTracking()
            .Where(j => j.Status == ExportJobStatus.Pending || (j.Status == ExportJobStatus.Running && j.LeaseUntil < now))
            .OrderBy(j => j.Id)
            .Select(j => j.Id)
            .FirstOrDefaultAsync(stopping);
        if (candidate is null)
        {
            return null;
        }
        var leaseUntil = now + settings.Lease;
        var claimed = await db.ExportJobs.IgnoreQueryFilters()
            .Where(j => j.Id == candidate && (j.Status == ExportJobStatus.Pending || (j.Status == ExportJobStatus.Running && j.LeaseUntil < now)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, ExportJobStatus.Running)
                .SetProperty(j => j.LeaseUntil, leaseUntil)
                .SetProperty(j => j.LeaseOwner, _node)
                .SetProperty(j => j.Attempts, j => j.Attempts + 1)
                .SetProperty(j => j.StartedAt, now), stopping);
        return claimed == 1 ? await db.ExportJobs.IgnoreQueryFilters().AsNoTracking().SingleAsync(j => j.Id == candidate, stopping) : null;
    }

    private async Task BuildAsync(ExportJob job, ExportOptions settings, CancellationToken stopping)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(job.WorkspaceId);
        var writer = scope.ServiceProvider.GetRequiredService<ExportArchiveWriter>();
        Directory.CreateDirectory(storage.Folder);
        var partial = storage.PartialPath(job.Id);
        var filter = new ExportFilter(job.Since, job.Until, job.BotIds, job.IncludePii);
        ExportManifest manifest;
        await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            manifest = await writer.WriteAsync(file, job.WorkspaceId, filter,
                percent => UpdateAsync(job.Id, s => s
                    .SetProperty(j => j.Progress, percent)
                    .SetProperty(j => j.LeaseUntil, time.GetUtcNow() + settings.Lease), stopping),
                stopping);
        }
        File.Move(partial, storage.ArchivePath(job.Id), overwrite: true);
        var archive = new FileInfo(storage.ArchivePath(job.Id));
        string sha256;
        await using (var read = archive.OpenRead())
        {
            sha256 = Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(read, stopping));
        }
        var counts = manifest.Files.ToDictionary(f => f.Name, f => f.Count);
        await using var save = scopes.CreateAsyncScope();
        var db = save.ServiceProvider.GetRequiredService<ParleyDbContext>();
        var stored = await db.ExportJobs.IgnoreQueryFilters().SingleAsync(j => j.Id == job.Id, CancellationToken.None);
        stored.Status = ExportJobStatus.Succeeded;
        stored.Progress = 100;
        stored.Counts = counts;
        stored.SizeBytes = archive.Length;
        stored.Sha256 = sha256;
        stored.Error = null;
        stored.LeaseUntil = null;
        stored.CompletedAt = time.GetUtcNow();
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private async Task UpdateAsync(
        string jobId, Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<ExportJob>> set, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        await db.ExportJobs.IgnoreQueryFilters().Where(j => j.Id == jobId).ExecuteUpdateAsync(set, cancellationToken);
    }
}
