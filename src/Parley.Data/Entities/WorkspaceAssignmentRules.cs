namespace Parley.Data.Entities;

/// <summary>
/// A workspace's assignment rules (see <c>Parley.Engine.Assignment.AssignmentRules</c>), one row per workspace whose
/// id is the workspace's, and where its round-robin stands. The assignment sweep leases the row, so one node at a time
/// shares out a workspace's conversations.
/// </summary>
public sealed class WorkspaceAssignmentRules : IWorkspaceOwned, ILeased
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }

    /// <summary>Open conversations an agent may hold at once; null for no limit.</summary>
    public int? Capacity { get; set; }

    /// <summary>Waiting conversations go to online agents with room, in turns.</summary>
    public bool AutoAssign { get; set; }

    /// <summary>Minutes a holder may leave the visitor without a reply before the conversation moves; null: never.</summary>
    public int? ReassignAfterMinutes { get; set; }

    /// <summary>The agent the round-robin gave a conversation to last; the next one goes to the agent after them.</summary>
    public string? LastAssignedAgentId { get; set; }

    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
