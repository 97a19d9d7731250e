namespace Parley.Data.Entities;

/// <summary>
/// How much of one metric a workspace used in one period (a calendar month in UTC). Hot rows: they are only ever
/// changed by an atomic upsert in the transaction of the thing counted, never read, changed and written back.
/// </summary>
public sealed class UsageCounter : IWorkspaceOwned
{
    public required string WorkspaceId { get; init; }

    /// <summary>The month, <c>YYYY-MM</c>.</summary>
    public required string Period { get; init; }

    /// <summary>One of the counted metrics (<c>messages</c>, <c>ai_tokens</c>, …).</summary>
    public required string Metric { get; init; }

    public long Value { get; set; }
}
