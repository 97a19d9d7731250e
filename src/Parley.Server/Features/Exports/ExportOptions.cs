using System.ComponentModel.DataAnnotations;

namespace Parley.Server.Features.Exports;

/// <summary>Export jobs (<c>Parley:Exports</c>).</summary>
public sealed class ExportOptions
{
    public const string Section = "Parley:Exports";

    /// <summary>How often the worker looks for queued jobs when nothing wakes it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a node holds a running job before another may take it over; renewed as the job progresses.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Where archives are written and served from; by default <c>exports/</c> in the data directory. With several
    /// nodes, a folder they all mount (NFS, a shared volume), so the node that serves a download need not be the one
    /// that built it.
    /// </summary>
    public string? Folder { get; set; }

    /// <summary>Attempts before a job is marked failed.</summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 3;
}
