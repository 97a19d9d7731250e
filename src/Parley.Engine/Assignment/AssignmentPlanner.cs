namespace Parley.Engine.Assignment;

/// <summary>Why the sweep moved a conversation.</summary>
public enum AssignmentReason
{
    /// <summary>A waiting conversation went to the next agent with room (round-robin).</summary>
    AutoAssigned,

    /// <summary>Its holder did not reply in time: it went to the next agent, or back to the queue.</summary>
    Unanswered,
}

/// <summary>
/// One move: <paramref name="ConversationId"/> goes to <paramref name="AgentId"/> (null: back to the queue, held by
/// nobody), taken from <paramref name="PreviousHolderId"/> when it had one.
/// </summary>
public sealed record AssignmentDecision(string ConversationId, string? AgentId, AssignmentReason Reason, string? PreviousHolderId);

/// <summary>The moves of one sweep, in order, and the agent the round-robin ends on.</summary>
public sealed record AssignmentPlan(IReadOnlyList<AssignmentDecision> Decisions, string? LastAssigned);

/// <summary>
/// Decides what one sweep of a workspace does, given its rules, its agents and their loads, the conversations held and
/// waiting, and the time. First the overdue ones, longest overdue first: with auto-assignment they go to the next agent
/// with room other than their holder, or stay put when nobody else has room and the holder is still online (moving it
/// would only hand it back), or go back to the queue when the holder is gone; without auto-assignment they go back to
/// the queue for anyone to claim. Then, with auto-assignment, the waiting conversations, oldest first, each to the next
/// agent with room until nobody has any; the rest wait for the next sweep.
/// </summary>
public static class AssignmentPlanner
{
    public static AssignmentPlan Plan(
        AssignmentRules rules, IReadOnlyList<AgentLoad> agents, string? lastAssigned, IReadOnlyList<HeldConversation> held,
        IReadOnlyList<WaitingConversation> waiting, DateTimeOffset now)
    {
        var loads = agents.ToDictionary(a => a.AgentId, StringComparer.Ordinal);
        var decisions = new List<AssignmentDecision>();
        var cursor = lastAssigned;

        foreach (var overdue in held.Where(h => rules.IsOverdue(h.AwaitingReplySince, now))
                     .OrderBy(h => h.AwaitingReplySince).ThenBy(h => h.ConversationId, StringComparer.Ordinal))
        {
            AgentLoad? next = null;
            if (rules.AutoAssign)
            {
                next = RoundRobin.Next([.. loads.Values], cursor, rules, excluded: overdue.HolderId);
                if (next is null && loads.TryGetValue(overdue.HolderId, out var holder) && holder.Online)
                {
                    continue;
                }
            }
            Move(overdue.HolderId, -1);
            if (next is not null)
            {
                Move(next.AgentId, +1);
                cursor = next.AgentId;
            }
            decisions.Add(new AssignmentDecision(overdue.ConversationId, next?.AgentId, AssignmentReason.Unanswered, overdue.HolderId));
        }

        if (rules.AutoAssign)
        {
            foreach (var conversation in waiting.OrderBy(w => w.Since).ThenBy(w => w.ConversationId, StringComparer.Ordinal))
            {
                if (RoundRobin.Next([.. loads.Values], cursor, rules) is not { } next)
                {
                    break;
                }
                Move(next.AgentId, +1);
                cursor = next.AgentId;
                decisions.Add(new AssignmentDecision(conversation.ConversationId, next.AgentId, AssignmentReason.AutoAssigned, null));
            }
        }
        return new AssignmentPlan(decisions, cursor);

        void Move(string agentId, int change)
        {
            if (loads.TryGetValue(agentId, out var load))
            {
                loads[agentId] = load with { Open = load.Open + change };
            }
        }
    }
}
