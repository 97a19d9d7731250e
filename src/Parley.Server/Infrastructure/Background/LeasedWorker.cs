using Parley.Engine.Ids;

namespace Parley.Server.Infrastructure.Background;

/// <summary>
/// The loop every queue worker runs: a pass claims due rows with a lease (<see cref="LeaseClaims"/>) and works them;
/// passes repeat while they find a full batch, then the worker waits for its <see cref="WakeSignal{TWorker}"/> (work
/// just committed on this node) or the poll interval, jittered so that nodes started together do not poll in step.
/// A failed pass is logged and retried after the poll interval; a crashed node's leases lapse and another node takes
/// its rows over.
/// </summary>
public abstract class LeasedWorker<TWorker>(WakeSignal<TWorker> signal, TimeProvider time, ILogger logger, Random? random = null)
    : BackgroundService
{
    private readonly Random _random = random ?? Random.Shared;

    /// <summary>This process's name on the leases it holds.</summary>
    public string Owner { get; } = IdGenerator.Default.New("node");

    protected TimeProvider Time => time;

    protected abstract TimeSpan PollInterval { get; }

    protected abstract int BatchSize { get; }

    /// <summary>One pass: claims due rows, works them and records the outcomes. Returns how many it claimed.</summary>
    public abstract Task<int> RunOnceAsync(CancellationToken stopping);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await RunOnceAsync(stoppingToken) >= BatchSize && !stoppingToken.IsCancellationRequested)
                {
                }
                await signal.WaitAsync(Jittered(PollInterval), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "A {Worker} pass failed; retrying shortly", typeof(TWorker).Name);
                try
                {
                    await Task.Delay(Jittered(PollInterval), time, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Keeps the leases on <paramref name="ids"/> while <paramref name="work"/> runs, renewing them every third of
    /// <paramref name="lease"/>, so a long pass is not taken over by another node while this one is still at it.
    /// </summary>
    protected async Task<TResult> WhileHoldingAsync<TRow, TResult>(
        IServiceScopeFactory scopes, IReadOnlyCollection<string> ids, TimeSpan lease, Func<Task<TResult>> work)
        where TRow : class, Parley.Data.Entities.ILeased
    {
        using var done = new CancellationTokenSource();
        var renewing = RenewUntilDoneAsync<TRow>(scopes, ids, lease, done.Token);
        try
        {
            return await work();
        }
        finally
        {
            await done.CancelAsync();
            await renewing;
        }
    }

    private async Task RenewUntilDoneAsync<TRow>(IServiceScopeFactory scopes, IReadOnlyCollection<string> ids, TimeSpan lease, CancellationToken done)
        where TRow : class, Parley.Data.Entities.ILeased
    {
        using var timer = new PeriodicTimer(lease / 3, time);
        try
        {
            while (await timer.WaitForNextTickAsync(done))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<Parley.Data.ParleyDbContext>();
                    // Rows already finished were given back and are left alone.
                    await LeaseClaims.RenewAsync<TRow>(db, ids, Owner, time.GetUtcNow() + lease, done);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "{Worker} could not renew its leases; renewing again shortly", typeof(TWorker).Name);
                }
            }
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested)
        {
        }
    }

    private TimeSpan Jittered(TimeSpan interval) => interval * (0.8 + 0.4 * _random.NextDouble());
}
