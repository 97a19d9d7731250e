using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Server.Infrastructure.Idempotency;

/// <summary>Deletes stored responses once their 24 hours are over.</summary>
public sealed class IdempotencyCleanup(IServiceScopeFactory scopes, TimeProvider time, ILogger<IdempotencyCleanup> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
                var cutoff = time.GetUtcNow() - IdempotencyMiddleware.Retention;
                await db.IdempotencyRecords.IgnoreQueryFilters().Where(r => r.CreatedAt < cutoff).ExecuteDeleteAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not delete expired idempotency records; will retry");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
