using System.ComponentModel.DataAnnotations;

namespace Parley.Server.Features.Analytics;

/// <summary>The analytics roll-up worker (<c>Parley:Analytics</c>).</summary>
public sealed class AnalyticsOptions
{
    public const string Section = "Parley:Analytics";

    /// <summary>Whether this node runs the roll-up worker. Reads are exact either way: days not rolled up are computed live.</summary>
    public bool RollupWorker { get; set; } = true;

    /// <summary>
    /// How long after start-up the worker's first pass waits. Its catch-up over a long history not rolled up yet (the
    /// first start after an upgrade or an import) is then not added to the start-up's own work and traffic.
    /// </summary>
    public TimeSpan StartDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the worker looks for days to roll up, besides being woken by a change to a past day.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long after midnight (UTC) a day is rolled up, so that turns in flight at midnight are committed first.</summary>
    public TimeSpan SettleDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The longest range, in days, that summary and timeseries accept.</summary>
    [Range(1, 3660)]
    public int MaxRangeDays { get; set; } = 366;
}
