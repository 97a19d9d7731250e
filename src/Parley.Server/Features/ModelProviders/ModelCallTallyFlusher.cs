using Microsoft.Extensions.Options;
using Parley.Data;

namespace Parley.Server.Features.ModelProviders;

/// <summary>Writes the tallied model calls on an interval (<see cref="ModelOptions.CallTallyFlushInterval"/>) and once more on shutdown.</summary>
public sealed class ModelCallTallyFlusher(
    ModelCallTally tally, IServiceScopeFactory scopes, IOptions<ModelOptions> options, TimeProvider time, ILogger<ModelCallTallyFlusher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CallTallyFlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync();
            }
        }
        catch (OperationCanceledException)
        {
        }
        await FlushAsync();
    }

    private async Task FlushAsync()
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await tally.FlushAsync(scope.ServiceProvider.GetRequiredService<ParleyDbContext>(), CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not record model provider calls; those counts are lost");
        }
    }
}
