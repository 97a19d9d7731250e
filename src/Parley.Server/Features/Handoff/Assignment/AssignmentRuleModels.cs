using Parley.Data.Entities;
using Parley.Engine.Assignment;

namespace Parley.Server.Features.Handoff.Assignment;

/// <summary>
/// The workspace's assignment rules: <c>capacity</c> open conversations per agent (null: no limit), <c>auto_assign</c>
/// waiting conversations in turns to online agents with room, and <c>reassign_after_minutes</c> without a reply from the
/// holder before a conversation moves on (null: never). <c>updated_at</c> is null until they are first set.
/// </summary>
public sealed record AssignmentRulesResponse(int? Capacity, bool AutoAssign, int? ReassignAfterMinutes, DateTimeOffset? UpdatedAt)
{
    public static AssignmentRulesResponse From(WorkspaceAssignmentRules? row) => row is null
        ? new(null, false, null, null)
        : new(row.Capacity, row.AutoAssign, row.ReassignAfterMinutes, row.UpdatedAt);
}

/// <summary>All the rules at once; a field left out is off (no limit, no auto-assignment, no reassignment).</summary>
public sealed record UpdateAssignmentRulesRequest(int? Capacity = null, bool AutoAssign = false, int? ReassignAfterMinutes = null)
{
    public AssignmentRules ToRules() => new(Capacity, AutoAssign, ReassignAfterMinutes);
}

public static class AssignmentRuleRows
{
    public static AssignmentRules ToRules(this WorkspaceAssignmentRules? row) =>
        row is null ? AssignmentRules.None : new(row.Capacity, row.AutoAssign, row.ReassignAfterMinutes);
}
