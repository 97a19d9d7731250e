using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;

namespace Parley.Server.Infrastructure.Auth;

/// <summary>
/// Remembers when each key was last used and writes it in batches (<see cref="ApiKeyOptions.LastUsedFlushInterval"/>),
/// so authenticating a request never costs a database write.
/// </summary>
public sealed class ApiKeyUsage(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _pending = new();

    public void Touch(string keyId) => _pending[keyId] = time.GetUtcNow();

    internal async Task FlushAsync(ParleyDbContext db, CancellationToken cancellationToken)
    {
        foreach (var keyId in _pending.Keys)
        {
            if (!_pending.TryRemove(keyId, out var usedAt))
            {
                continue;
            }
            await db.ApiKeys.IgnoreQueryFilters()
                .Where(k => k.Id == keyId && (k.LastUsedAt == null || k.LastUsedAt < usedAt))
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, usedAt), cancellationToken);
        }
    }
}

/// <summary>Writes pending last-used times on an interval and once more on shutdown.</summary>
public sealed class ApiKeyUsageFlusher(ApiKeyUsage usage, IServiceScopeFactory scopes, IOptions<ApiKeyOptions> options,
    TimeProvider time, ILogger<ApiKeyUsageFlusher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.LastUsedFlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException)
        {
        }
        await FlushAsync(CancellationToken.None);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await usage.FlushAsync(scope.ServiceProvider.GetRequiredService<ParleyDbContext>(), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not record API key usage; will retry on the next tick");
        }
    }
}
