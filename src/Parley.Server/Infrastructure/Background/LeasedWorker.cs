using Parley.Data;
using Parley.Engine.Ids;

namespace Parley.Server.Infrastructure.Background;

/// <summary>
/// The loop every queue worker runs: a pass claims due rows with a lease (<see cref="LeaseClaims"/>) and works them;
/// passes repeat while they find a full batch, then the worker waits for its <see cref="WakeSignal{TWorker}"/> (work
/// just committed on this node) or the poll interval, jittered so that nodes started together do not poll in step.
/// A failed pass is logged and retried after the poll interval, or sooner when work is committed; a crashed node's
/// leases lapse and another node takes its rows over. When the host stops, the pass under way finishes what it has
/// started, and the worker then hands back every lease it still holds (<see cref="HandBackAsync"/>), so another node
/// takes those rows at once instead of waiting for the leases to lapse.
/// </summary>
public abstract class LeasedWorker<TWorker>(IServiceScopeFactory scopes, WakeSignal<TWorker> signal, TimeProvider time, ILogger logger, Random? random = null)
    : BackgroundService
{
    private static readonly TimeSpan HandBackTimeout = TimeSpan.FromSeconds(5);

    private readonly Random _random = random ?? Random.Shared;

    /// <summary>This process's name on the leases it holds.</summary>
    public string Owner { get; } = IdGenerator.Default.New("node");

    protected IServiceScopeFactory Scopes => scopes;

    protected TimeProvider Time => time;

    protected abstract TimeSpan PollInterval { get; }

    protected abstract int BatchSize { get; }

    /// <summary>One pass: claims due rows, works them and records the outcomes. Returns how many it claimed.</summary>
    public abstract Task<int> RunOnceAsync(CancellationToken stopping);

    /// <summary>
    /// Gives back every row this worker (<see cref="Owner"/>) still holds a lease on, with
    /// <see cref="LeaseClaims.HandBackAsync"/> over the rows it may hold (narrowed to an indexed filter such as pending
    /// rows). Returns how many it gave back.
    /// </summary>
    protected abstract Task<int> HandBackAsync(ParleyDbContext db, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunUntilStoppedAsync(stoppingToken);
        }
        finally
        {
            await HandBackLeasesAsync();
        }
    }

    private async Task RunUntilStoppedAsync(CancellationToken stoppingToken)
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
                    // As between passes: the poll interval, or sooner when work is committed (the database is back).
                    await signal.WaitAsync(Jittered(PollInterval), stoppingToken);
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
    protected async Task<TResult> WhileHoldingAsync<TRow, TResult>(IReadOnlyCollection<string> ids, TimeSpan lease, Func<Task<TResult>> work)
        where TRow : class, Parley.Data.Entities.ILeased
    {
        using var done = new CancellationTokenSource();
        var renewing = RenewUntilDoneAsync<TRow>(ids, lease, done.Token);
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

    private async Task RenewUntilDoneAsync<TRow>(IReadOnlyCollection<string> ids, TimeSpan lease, CancellationToken done)
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
                    var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
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

    /// <summary>
    /// Once the loop has stopped, nothing of this worker is under way: whatever it still holds (rows it claimed but did
    /// not start, a job cut short, a pass that failed) goes back to the queue now. If the database cannot be reached, the
    /// leases lapse by themselves, as after a crash.
    /// </summary>
    private async Task HandBackLeasesAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(HandBackTimeout);
            await using var scope = scopes.CreateAsyncScope();
            var handedBack = await HandBackAsync(scope.ServiceProvider.GetRequiredService<ParleyDbContext>(), timeout.Token);
            if (handedBack > 0)
            {
                WorkerLog.HandedBack(logger, typeof(TWorker).Name, handedBack);
            }
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "{Worker} could not hand back its leases; they lapse by themselves", typeof(TWorker).Name);
        }
    }

    private TimeSpan Jittered(TimeSpan interval) => interval * (0.8 + 0.4 * _random.NextDouble());
}

internal static partial class WorkerLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Worker} handed back {Count} leased rows for another node to take")]
    public static partial void HandedBack(ILogger logger, string worker, int count);
}
