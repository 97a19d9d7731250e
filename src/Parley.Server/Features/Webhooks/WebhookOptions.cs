using System.ComponentModel.DataAnnotations;
using Parley.Engine.Webhooks;

namespace Parley.Server.Features.Webhooks;

/// <summary>Webhook delivery settings (<c>Parley:Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    public const string Section = "Parley:Webhooks";

    /// <summary>How long a receiver has to answer one attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Waits before each retry; the first attempt is immediate. Empty means the default schedule (about 28 hours).</summary>
    public List<TimeSpan> RetrySchedule { get; set; } = [];

    /// <summary>An endpoint failing without a success for this long is disabled and the owner told.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "90.00:00:00")]
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(5);

    /// <summary>The safety net: how often the dispatcher looks for due deliveries when nothing signalled it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a node holds a delivery it is sending before another node may take it over.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many requests the dispatcher has in flight at once, across all endpoints.</summary>
    [Range(1, 1000)]
    public int MaxParallelSends { get; set; } = 32;

    /// <summary>How many due deliveries one pass claims.</summary>
    [Range(1, 5000)]
    public int BatchSize { get; set; } = 200;

    public IReadOnlyList<TimeSpan> EffectiveRetrySchedule => RetrySchedule.Count > 0 ? RetrySchedule : Parley.Engine.Webhooks.RetrySchedule.Default;
}
