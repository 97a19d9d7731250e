using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Tenancy;
using Parley.Server.Infrastructure.Background;

namespace Parley.Server.Features.Exports;

/// <summary>
/// Builds queued export archives, one job at a time per node. A job is claimed with a lease (<see cref="LeaseClaims"/>)
/// that is renewed while the archive is written; if the node dies, the lease lapses and the job starts over on another
/// node (or after a restart), because queued and running jobs live in the database. Archives are written to
/// <see cref="ExportStorage.Folder"/>, which several nodes share so that any of them can serve the download.
/// </summary>
public sealed class ExportWorker(
    IServiceScopeFactory scopes, WakeSignal<ExportWorker> signal, ExportStorage storage, TimeProvider time,
    IOptionsMonitor<ExportOptions> options, ILogger<ExportWorker> logger) : LeasedWorker<ExportWorker>(scopes, signal, time, logger)
{
    protected override TimeSpan PollInterval => options.CurrentValue.PollInterval;

    protected override int BatchSize => 1;

    protected override Task<int> HandBackAsync(ParleyDbContext db, CancellationToken cancellationToken) =>
        LeaseClaims.HandBackAsync(
            db.ExportJobs.IgnoreQueryFilters().Where(j => j.Status == ExportJobStatus.Pending || j.Status == ExportJobStatus.Running), Owner, cancellationToken);

    /// <summary>Claims and builds one job. Returns how many it claimed (0 or 1).</summary>
    public override async Task<int> RunOnceAsync(CancellationToken stopping)
    {
        var settings = options.CurrentValue;
        var job = await ClaimAsync(settings, stopping);
        if (job is null)
        {
            return 0;
        }
        try
        {
            await WhileHoldingAsync<ExportJob, bool>([job.Id], settings.Lease, async () =>
            {
                await BuildAsync(job, stopping);
                return true;
            });
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopped, not failed: back in the queue as it was, for another node to build from the start.
            await UpdateAsync(job.Id, s => s
                .SetProperty(j => j.Status, ExportJobStatus.Pending)
                .SetProperty(j => j.Attempts, job.Attempts - 1)
                .SetProperty(j => j.Progress, 0)
                .SetProperty(j => j.StartedAt, (DateTimeOffset?)null)
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeaseUntil, (DateTimeOffset?)null), CancellationToken.None);
            throw;
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested)
        {
            logger.LogError(ex, "Export {JobId} failed (attempt {Attempt})", job.Id, job.Attempts);
            var failed = job.Attempts >= settings.MaxAttempts;
            await UpdateAsync(job.Id, s => s
                .SetProperty(j => j.Status, failed ? ExportJobStatus.Failed : ExportJobStatus.Pending)
                .SetProperty(j => j.Error, "The archive could not be built: " + ex.Message)
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeaseUntil, (DateTimeOffset?)null)
                .SetProperty(j => j.CompletedAt, failed ? Time.GetUtcNow() : (DateTimeOffset?)null), CancellationToken.None);
        }
        return 1;
    }

    private async Task<ExportJob?> ClaimAsync(ExportOptions settings, CancellationToken stopping)
    {
        await using var scope = Scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        var now = Time.GetUtcNow();
        // A running job is claimable again only once its node's lease has lapsed (the claim checks the lease).
        var claimed = await LeaseClaims.ClaimAsync(db,
            db.ExportJobs.IgnoreQueryFilters()
                .Where(j => j.Status == ExportJobStatus.Pending || j.Status == ExportJobStatus.Running)
                .OrderBy(j => j.Id),
            BatchSize, Owner, now, settings.Lease, stopping);
        if (claimed is not [var job])
        {
            return null;
        }
        job.Status = ExportJobStatus.Running;
        job.Attempts++;
        job.StartedAt = now;
        await db.SaveChangesAsync(CancellationToken.None);
        return job;
    }

    private async Task BuildAsync(ExportJob job, CancellationToken stopping)
    {
        await using var scope = Scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(job.WorkspaceId);
        var writer = scope.ServiceProvider.GetRequiredService<ExportArchiveWriter>();
        Directory.CreateDirectory(storage.Folder);
        var partial = storage.PartialPath(job.Id);
        var filter = new ExportFilter(job.Since, job.Until, job.BotIds, job.IncludePii);
        ExportManifest manifest;
        await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            manifest = await writer.WriteAsync(file, job.WorkspaceId, filter,
                percent => UpdateAsync(job.Id, s => s.SetProperty(j => j.Progress, percent), stopping),
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
        await using var save = Scopes.CreateAsyncScope();
        var db = save.ServiceProvider.GetRequiredService<ParleyDbContext>();
        var stored = await db.ExportJobs.IgnoreQueryFilters().SingleAsync(j => j.Id == job.Id, CancellationToken.None);
        stored.Status = ExportJobStatus.Succeeded;
        stored.Progress = 100;
        stored.Counts = counts;
        stored.SizeBytes = archive.Length;
        stored.Sha256 = sha256;
        stored.Error = null;
        LeaseClaims.Release(stored);
        stored.CompletedAt = Time.GetUtcNow();
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private async Task UpdateAsync(
        string jobId, Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<ExportJob>> set, CancellationToken cancellationToken)
    {
        await using var scope = Scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        await db.ExportJobs.IgnoreQueryFilters().Where(j => j.Id == jobId).ExecuteUpdateAsync(set, cancellationToken);
    }
}
