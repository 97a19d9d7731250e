namespace Parley.Engine.Assignment;

/// <summary>
/// How a workspace shares its handoffs among its agents: at most <see cref="Capacity"/> open conversations each (null:
/// no limit), optional round-robin auto-assignment of waiting conversations, and reassignment of a conversation whose
/// holder has not replied within <see cref="ReassignAfterMinutes"/> (null: never).
/// </summary>
public sealed record AssignmentRules(int? Capacity, bool AutoAssign, int? ReassignAfterMinutes)
{
    public const int MinCapacity = 1;
    public const int MaxCapacity = 100;
    public const int MinReassignMinutes = 1;
    public const int MaxReassignMinutes = 1440;

    /// <summary>What a workspace that never set its rules gets: no limit, no auto-assignment, no reassignment.</summary>
    public static AssignmentRules None { get; } = new(null, false, null);

    /// <summary>Whether an agent holding <paramref name="open"/> conversations may take one more.</summary>
    public bool HasRoom(int open) => Capacity is not { } capacity || open < capacity;

    /// <summary>
    /// Whether a holder who has owed the visitor a reply since <paramref name="awaitingReplySince"/> is overdue at
    /// <paramref name="now"/>: exactly <see cref="ReassignAfterMinutes"/> later counts as overdue.
    /// </summary>
    public bool IsOverdue(DateTimeOffset? awaitingReplySince, DateTimeOffset now) =>
        ReassignAfterMinutes is { } minutes && awaitingReplySince is { } since && now - since >= TimeSpan.FromMinutes(minutes);

    /// <summary>The problems with these rules, by field (snake_case, as the API names them); empty when valid.</summary>
    public IReadOnlyDictionary<string, string> Problems()
    {
        var problems = new Dictionary<string, string>();
        if (Capacity is { } capacity && capacity is < MinCapacity or > MaxCapacity)
        {
            problems["capacity"] = $"capacity must be {MinCapacity} to {MaxCapacity} open conversations per agent, or null for no limit.";
        }
        if (ReassignAfterMinutes is { } minutes && minutes is < MinReassignMinutes or > MaxReassignMinutes)
        {
            problems["reassign_after_minutes"] = $"reassign_after_minutes must be {MinReassignMinutes} to {MaxReassignMinutes}, or null to never reassign.";
        }
        return problems;
    }
}
