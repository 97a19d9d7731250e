using Parley.Engine.Assignment;

namespace Parley.Server.Features.Handoff.Assignment;

/// <summary>What a change of the assignment rules changed, for the audit log: <c>capacity none → 3, auto_assign off → on</c>.</summary>
public static class AssignmentRuleChanges
{
    /// <summary>The rules that differ, before and after, by their API names; null when none does.</summary>
    public static string? Describe(AssignmentRules before, AssignmentRules after)
    {
        var changes = new List<string>();
        if (before.Capacity != after.Capacity)
        {
            changes.Add($"capacity {Limit(before.Capacity)} → {Limit(after.Capacity)}");
        }
        if (before.AutoAssign != after.AutoAssign)
        {
            changes.Add($"auto_assign {OnOff(before.AutoAssign)} → {OnOff(after.AutoAssign)}");
        }
        if (before.ReassignAfterMinutes != after.ReassignAfterMinutes)
        {
            changes.Add($"reassign_after_minutes {Limit(before.ReassignAfterMinutes)} → {Limit(after.ReassignAfterMinutes)}");
        }
        return changes.Count == 0 ? null : string.Join(", ", changes);
    }

    private static string Limit(int? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";

    private static string OnOff(bool value) => value ? "on" : "off";
}
