namespace Parley.Data.Entities;

/// <summary>
/// A share of the plan's limit (80 or 100 %) that one metric of a workspace reached in one month. Written by the usage
/// meter in the transaction of the increment that reached it; the key makes it once per month whatever the nodes and
/// retries. The alert worker then records its event (<see cref="EventId"/>), which webhooks and emails deliver.
/// </summary>
public sealed class UsageLimitAlert : IWorkspaceOwned
{
    public required string WorkspaceId { get; init; }

    /// <summary>The month, <c>YYYY-MM</c>.</summary>
    public required string Period { get; init; }

    public required string Metric { get; init; }

    /// <summary>The share of the limit reached, in percent: 80 or 100.</summary>
    public int Threshold { get; init; }

    /// <summary>The counter's value after the increment that reached the threshold.</summary>
    public long Value { get; init; }

    /// <summary>The plan's limit at that moment.</summary>
    public long Limit { get; init; }

    /// <summary>The <c>usage.limit_…</c> event recorded for it; null until the worker has recorded it.</summary>
    public string? EventId { get; set; }
}
