namespace Parley.Engine.Assignment;

/// <summary>Fair turns among agents: each new conversation goes to the next agent after the last one given one.</summary>
public static class RoundRobin
{
    /// <summary>
    /// The first agent after <paramref name="lastAssigned"/> in id order (wrapping round to the start) who is online
    /// and has room under <paramref name="rules"/>, other than <paramref name="excluded"/>; null when nobody can take
    /// one. The last agent need not be in the list any more (they left, or went away): the turn goes to the one after
    /// where they stood.
    /// </summary>
    public static AgentLoad? Next(IReadOnlyList<AgentLoad> agents, string? lastAssigned, AssignmentRules rules, string? excluded = null)
    {
        var ordered = agents.OrderBy(a => a.AgentId, StringComparer.Ordinal).ToList();
        var start = lastAssigned is null ? 0 : ordered.FindIndex(a => string.CompareOrdinal(a.AgentId, lastAssigned) > 0);
        if (start < 0)
        {
            start = 0;
        }
        for (var i = 0; i < ordered.Count; i++)
        {
            var agent = ordered[(start + i) % ordered.Count];
            if (agent.Online && rules.HasRoom(agent.Open) && agent.AgentId != excluded)
            {
                return agent;
            }
        }
        return null;
    }
}
