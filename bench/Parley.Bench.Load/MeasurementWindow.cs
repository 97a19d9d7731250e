using System.Diagnostics;

namespace Parley.Bench.Load;

/// <summary>
/// The run's clock: a warm-up that is not measured, then the measured window. A turn counts when it completes
/// inside the window, so turns/s is simply counted turns over the window's length.
/// </summary>
public sealed class MeasurementWindow(TimeSpan warmup, TimeSpan duration)
{
    private readonly long _started = Stopwatch.GetTimestamp();

    public TimeSpan Duration => duration;

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);

    public bool IsOver => Elapsed >= warmup + duration;

    public bool Contains(TimeSpan elapsed) => elapsed >= warmup && elapsed < warmup + duration;

    /// <summary>Completes when the measured window opens.</summary>
    public Task WarmedUpAsync(CancellationToken cancellationToken)
    {
        var remaining = warmup - Elapsed;
        return remaining > TimeSpan.Zero ? Task.Delay(remaining, cancellationToken) : Task.CompletedTask;
    }

    /// <summary>Completes when the measured window closes.</summary>
    public Task OverAsync(CancellationToken cancellationToken)
    {
        var remaining = warmup + duration - Elapsed;
        return remaining > TimeSpan.Zero ? Task.Delay(remaining, cancellationToken) : Task.CompletedTask;
    }
}
