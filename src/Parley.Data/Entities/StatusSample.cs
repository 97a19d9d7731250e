namespace Parley.Data.Entities;

/// <summary>
/// One component's state in one minute, for the public status page's history. Server-wide, not a workspace's. The key
/// (component, minute) keeps one sample per minute whichever node wrote it: the others' inserts are ignored.
/// </summary>
public sealed class StatusSample
{
    /// <summary>The component's name on the status page (<c>database</c>, <c>email</c>, …).</summary>
    public required string Component { get; init; }

    /// <summary>The minute (UTC, seconds zero) the sample stands for.</summary>
    public DateTimeOffset Minute { get; init; }

    /// <summary>The UTC day of <see cref="Minute"/>, so that daily uptime is a plain GROUP BY on every provider.</summary>
    public DateOnly Day { get; init; }

    /// <summary><c>operational</c>, <c>degraded</c> or <c>down</c>.</summary>
    public required string Status { get; init; }
}
