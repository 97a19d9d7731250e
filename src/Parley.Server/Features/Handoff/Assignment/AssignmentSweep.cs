using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Tenancy;
using Parley.Engine.Assignment;
using Parley.Engine.Turns;
using Parley.Server.Features.Conversations.Transcript;

namespace Parley.Server.Features.Handoff.Assignment;

/// <summary>
/// One sweep of a workspace: reads its agents with their loads, and the conversations in handoff it may move, in two
/// queries, lets <see cref="AssignmentPlanner"/> decide, and applies each move through the conversation's transcript,
/// so it waits its turn on the conversation like any writer (on PostgreSQL behind the row lock) and checks again there that the move
/// still holds (nobody claimed it, the holder did not reply meanwhile, the agent did not fill up). The commit is
/// conditional on the conversation's version, so a move that raced another writer on another node is dropped, never
/// applied twice.
/// </summary>
public sealed class AssignmentSweep(IServiceScopeFactory scopes, AgentPresence presence, TimeProvider time)
{
    public const string AutoAssignedReason = "auto_assigned";
    public const string UnansweredReason = "unanswered";

    /// <summary>Sweeps the workspace; returns the agent the round-robin ends on.</summary>
    public async Task<string?> RunAsync(
        string workspaceId, AssignmentRules rules, string? lastAssigned, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        AssignmentPlan plan;
        await using (var scope = scopes.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(workspaceId);
            var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
            // Agents and their loads matter only when conversations are shared out; without it overdue ones go back to the queue.
            var loads = new List<AgentLoad>();
            if (rules.AutoAssign)
            {
                var agents = await db.Users.AsNoTracking()
                    .Where(u => u.WorkspaceId == workspaceId && AgentPresence.AnsweringRoles.Contains(u.Role))
                    .Select(u => new
                    {
                        u.Id, u.Presence, u.PresenceSeenAt,
                        Open = db.Conversations.Count(c => c.Status == ConversationStatus.Handoff && c.AssignedUserId == u.Id),
                    })
                    .ToListAsync(cancellationToken);
                loads = [.. agents.Select(a => new AgentLoad(a.Id, presence.IsAvailable(a.Id, workspaceId, a.Presence, a.PresenceSeenAt), a.Open))];
            }
            // Only what this sweep may move: held conversations overdue for a reply, and waiting ones when they are shared out.
            var reassign = rules.ReassignAfterMinutes is not null;
            var overdueFrom = now - TimeSpan.FromMinutes(rules.ReassignAfterMinutes ?? 0);
            var autoAssign = rules.AutoAssign;
            var movable = await db.Conversations.AsNoTracking()
                .Where(c => c.Status == ConversationStatus.Handoff
                    && ((reassign && (c.AssignedUserId != null || c.AssignedKeyId != null) && c.AwaitingAgentSince <= overdueFrom)
                        || (autoAssign && c.AssignedUserId == null && c.AssignedKeyId == null)))
                .Select(c => new { c.Id, Holder = c.AssignedUserId ?? c.AssignedKeyId, c.AwaitingAgentSince, c.HandoffRequestedAt, c.UpdatedAt })
                .ToListAsync(cancellationToken);
            var held = movable.Where(c => c.Holder is not null)
                .Select(c => new HeldConversation(c.Id, c.Holder!, c.AwaitingAgentSince)).ToList();
            var waiting = movable.Where(c => c.Holder is null)
                .Select(c => new WaitingConversation(c.Id, c.HandoffRequestedAt ?? c.UpdatedAt)).ToList();
            plan = AssignmentPlanner.Plan(rules, loads, lastAssigned, held, waiting, now);
        }
        foreach (var decision in plan.Decisions)
        {
            await ApplyAsync(workspaceId, rules, decision, cancellationToken);
        }
        return plan.LastAssigned;
    }

    internal async Task<bool> ApplyAsync(string workspaceId, AssignmentRules rules, AssignmentDecision decision, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(workspaceId);
        var transcript = scope.ServiceProvider.GetRequiredService<ConversationTranscript>();
        var coordinator = scope.ServiceProvider.GetRequiredService<HandoffCoordinator>();
        try
        {
            var conversation = await transcript.OpenAsync(decision.ConversationId, cancellationToken);
            var now = time.GetUtcNow();
            if (conversation is null || conversation.Status != ConversationStatus.Handoff
                || ActingAgent.HolderOf(conversation) != decision.PreviousHolderId
                || (decision.Reason == AssignmentReason.Unanswered && !rules.IsOverdue(conversation.AwaitingAgentSince, now)))
            {
                return false;
            }
            if (decision.AgentId is { } next && !await scope.ServiceProvider.GetRequiredService<AgentCapacity>().HasRoomAsync(next, null, cancellationToken))
            {
                // The agent took others by hand since the plan was made.
                return false;
            }
            var reason = decision.Reason == AssignmentReason.AutoAssigned ? AutoAssignedReason : UnansweredReason;
            if (decision.AgentId is { } agentId)
            {
                coordinator.Assign(conversation, agentId, null, reason, decision.PreviousHolderId);
            }
            else
            {
                coordinator.Unassign(conversation, reason, decision.PreviousHolderId);
            }
            await transcript.CommitAsync(StatusCodes.Status200OK, () => decision, cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another writer changed the conversation first (on another node): it stays as they left it.
            return false;
        }
        finally
        {
            await transcript.DisposeAsync();
        }
    }
}
