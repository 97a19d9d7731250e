namespace Parley.Bench.Load;

/// <summary>The server's working set, sampled at a fixed interval over the measured window: does it grow under steady load?</summary>
public static class MemorySampler
{
    public static async Task<List<MemorySample>> RunAsync(ServerProcess server, TimeSpan every, MeasurementWindow window, CancellationToken cancellationToken)
    {
        var samples = new List<MemorySample>();
        var opened = window.Elapsed;
        using var timer = new PeriodicTimer(every);
        do
        {
            samples.Add(new MemorySample(Math.Round((window.Elapsed - opened).TotalSeconds), Math.Round(server.WorkingSetMb())));
        }
        while (!window.IsOver && await timer.WaitForNextTickAsync(cancellationToken));
        return samples;
    }
}

/// <summary>Seconds into the measured window, and the server's working set then.</summary>
public sealed record MemorySample(double AtS, double WorkingSetMb);
