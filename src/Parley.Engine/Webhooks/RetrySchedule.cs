namespace Parley.Engine.Webhooks;

/// <summary>When to try a failed delivery again: a fixed schedule of waits, each spread by up to ±10% so that
/// retries to one receiver do not arrive in lockstep.</summary>
public static class RetrySchedule
{
    /// <summary>The default waits before attempts 2, 3, …: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (about 28 hours in all).</summary>
    public static IReadOnlyList<TimeSpan> Default { get; } =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    /// <summary>
    /// The wait after <paramref name="attemptsMade"/> failed attempts, or null when the schedule is used up.
    /// <paramref name="random"/> in [0, 1) picks the jitter.
    /// </summary>
    public static TimeSpan? NextDelay(IReadOnlyList<TimeSpan> schedule, int attemptsMade, double random)
    {
        if (attemptsMade < 1 || attemptsMade > schedule.Count)
        {
            return null;
        }
        var wait = schedule[attemptsMade - 1];
        var jitter = 1 + ((random * 2) - 1) * 0.1;
        return TimeSpan.FromTicks((long)(wait.Ticks * jitter));
    }
}
