namespace Parley.Server.Infrastructure.Background;

/// <summary>
/// Wakes a background worker (<typeparamref name="TWorker"/>) as soon as there is work for it, such as deliveries
/// just committed, so the work starts without waiting for the worker's next poll.
/// </summary>
public sealed class WakeSignal<TWorker> : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            if (_signal.CurrentCount == 0)
            {
                _signal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    /// <summary>Waits for a signal or the timeout, whichever comes first; true when signalled.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _signal.Dispose();
}
