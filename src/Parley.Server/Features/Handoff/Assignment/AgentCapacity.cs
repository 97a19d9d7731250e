using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Engine.Turns;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.Handoff.Assignment;

/// <summary>
/// The workspace's capacity per agent, applied to every move: a holder at capacity is refused with 409
/// <c>at_capacity</c> when taken by hand (claim, assign, a reply that claims) and skipped by the assignment sweep, so
/// the limit means the same whoever moves the conversation.
/// </summary>
public sealed class AgentCapacity(ParleyDbContext db)
{
    /// <summary>Throws unless the user (or, without one, the key) may hold one more open conversation.</summary>
    public async Task EnsureRoomAsync(string? userId, string? keyId, CancellationToken cancellationToken)
    {
        if (await FullAsync(userId, keyId, cancellationToken) is { } full)
        {
            throw new ApiException(StatusCodes.Status409Conflict, ErrorCodes.AtCapacity,
                $"{userId ?? keyId} already holds {full.Open} open conversations, the workspace's capacity per agent ({full.Capacity}): return or close one first.");
        }
    }

    /// <summary>Whether the user (or, without one, the key) may hold one more open conversation.</summary>
    public async Task<bool> HasRoomAsync(string? userId, string? keyId, CancellationToken cancellationToken) =>
        await FullAsync(userId, keyId, cancellationToken) is null;

    /// <summary>How many the holder has open and the capacity, when they are at it; null when they have room.</summary>
    private async Task<(int Open, int Capacity)?> FullAsync(string? userId, string? keyId, CancellationToken cancellationToken)
    {
        var rules = (await db.AssignmentRules.AsNoTracking().FirstOrDefaultAsync(cancellationToken)).ToRules();
        if (rules.Capacity is not { } capacity)
        {
            return null;
        }
        var open = await db.Conversations.AsNoTracking().CountAsync(c => c.Status == ConversationStatus.Handoff
            && (userId != null ? c.AssignedUserId == userId : c.AssignedUserId == null && c.AssignedKeyId == keyId), cancellationToken);
        return rules.HasRoom(open) ? null : (open, capacity);
    }
}
