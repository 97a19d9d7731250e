namespace Parley.Data.Entities;

/// <summary>
/// One model provider connection's calls in one hour: how many answered and how many failed, and the last of each.
/// The turn tallies calls in memory and a flusher adds them here, so a reply never waits for this write.
/// </summary>
public sealed class ModelCallHour : IWorkspaceOwned
{
    public required string WorkspaceId { get; init; }

    public required string ProviderId { get; init; }

    /// <summary>The hour (UTC, minutes zero) the counts stand for.</summary>
    public DateTimeOffset Hour { get; init; }

    public int Successes { get; set; }

    public int Failures { get; set; }

    public DateTimeOffset? LastSuccessAt { get; set; }

    public DateTimeOffset? LastFailureAt { get; set; }

    /// <summary>What went wrong at <see cref="LastFailureAt"/>, shortened; never the prompt or the reply.</summary>
    public string? LastFailure { get; set; }
}
