namespace Parley.Client.Models;

/// <summary>
/// How handoffs are shared among agents: <c>Capacity</c> open conversations per agent (null: no limit),
/// <c>AutoAssign</c> in turns to online agents with room, and <c>ReassignAfterMinutes</c> without a reply before a
/// conversation moves on (null: never).
/// </summary>
public sealed record AssignmentRulesResponse(int? Capacity, bool AutoAssign, int? ReassignAfterMinutes, DateTimeOffset? UpdatedAt);

/// <summary>All the rules at once; what is left null is off.</summary>
public sealed record UpdateAssignmentRulesRequest(int? Capacity = null, bool AutoAssign = false, int? ReassignAfterMinutes = null);
