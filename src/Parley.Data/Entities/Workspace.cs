namespace Parley.Data.Entities;

public sealed class Workspace
{
    public required string Id { get; init; }
    public required string Name { get; set; }

    /// <summary>Where email notifications go (new leads, handoffs, a webhook endpoint disabled).</summary>
    public List<string> NotificationEmails { get; set; } = [];
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>How conversations handed to people are shared among the workspace's agents.</summary>
    public AssignmentRules Assignment { get; set; } = new();
}

/// <summary>The workspace's rules for sharing handed-over conversations among agents; all off by default.</summary>
public sealed class AssignmentRules
{
    /// <summary>The most conversations in handoff one agent may hold; null for no limit.</summary>
    public int? MaxOpenPerAgent { get; set; }

    /// <summary>Assign each new handoff to an online agent with room, taking turns.</summary>
    public bool AutoAssign { get; set; }

    /// <summary>Give a conversation to another agent when its agent has not replied this many minutes after taking it; null never.</summary>
    public int? ReassignAfterMinutes { get; set; }
}
