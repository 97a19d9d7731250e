using System.ComponentModel.DataAnnotations;

namespace Parley.Server.Features.Status;

/// <summary>The public status page (<c>Parley:Status</c>).</summary>
public sealed class StatusOptions
{
    public const string Section = "Parley:Status";

    /// <summary>How long a computed status is served before the checks run again; keeps the page cheap under load.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The window of "recent" webhook failure rates and email outcomes.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Webhook delivery shows as degraded when a due delivery has waited longer than this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan DeliveryLagDegraded { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Knowledge ingestion shows as degraded when a source has been processing longer than this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan IngestionLagDegraded { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Whether this node samples every component once a minute for the history. One sample per minute is kept, whichever node wrote it.</summary>
    public bool HistorySampler { get; set; } = true;

    /// <summary>How many days of samples are kept and shown; older ones are deleted.</summary>
    [Range(1, 366)]
    public int HistoryDays { get; set; } = 90;
}
