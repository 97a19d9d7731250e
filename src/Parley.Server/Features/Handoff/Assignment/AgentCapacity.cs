using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Engine.Turns;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.Handoff.Assignment;

/// <summary>
/// The workspace's capacity per agent, applied to conversations taken by hand (claim, assign, a reply that claims): a
/// holder at capacity is refused with 409 <c>at_capacity</c>, so the limit means the same whoever moves the conversation.
/// </summary>
public sealed class AgentCapacity(ParleyDbContext db)
{
    /// <summary>Throws unless the user (or, without one, the key) may hold one more open conversation.</summary>
    public async Task EnsureRoomAsync(string? userId, string? keyId, CancellationToken cancellationToken)
    {
        var rules = (await db.AssignmentRules.AsNoTracking().FirstOrDefaultAsync(cancellationToken)).ToRules();
        if (rules.Capacity is not { } capacity)
        {
            return;
        }
        var open = await db.Conversations.AsNoTracking().CountAsync(c => c.Status == ConversationStatus.Handoff
            && (userId != null ? c.AssignedUserId == userId : c.AssignedUserId == null && c.AssignedKeyId == keyId), cancellationToken);
        if (!rules.HasRoom(open))
        {
            throw new ApiException(StatusCodes.Status409Conflict, ErrorCodes.AtCapacity,
                $"{userId ?? keyId} already holds {open} open conversations, the workspace's capacity per agent ({capacity}): return or close one first.");
        }
    }
}
