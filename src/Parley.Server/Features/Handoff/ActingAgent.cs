using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Server.Features.Conversations.Transcript;
using Parley.Server.Infrastructure.Auth;

namespace Parley.Server.Features.Handoff;

/// <summary>
/// The person behind an agent action: a dashboard user signed in with the session cookie (recorded by user id and
/// name), or an agent API key. A conversation is held by one of the two.
/// </summary>
public sealed class ActingAgent(ParleyDbContext db, Caller caller)
{
    public bool Holds(Conversation conversation) => caller.UserId is { } userId
        ? conversation.AssignedUserId == userId
        : conversation.AssignedKeyId == caller.KeyId && conversation.AssignedUserId is null;

    public static bool IsHeld(Conversation conversation) => conversation.AssignedKeyId is not null || conversation.AssignedUserId is not null;

    public static string? HolderOf(Conversation conversation) => conversation.AssignedUserId ?? conversation.AssignedKeyId;

    /// <summary>Makes the caller the conversation's holder.</summary>
    public void Take(Conversation conversation)
    {
        conversation.AssignedUserId = caller.UserId;
        conversation.AssignedKeyId = caller.UserId is null ? caller.KeyId : null;
    }

    public async Task<MessageAuthor> AuthorAsync(CancellationToken cancellationToken)
    {
        if (caller.UserId is not { } userId)
        {
            return new MessageAuthor(caller.KeyId, null, null);
        }
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId && u.WorkspaceId == caller.WorkspaceId)
            .Select(u => new { u.Name, u.Email }).FirstOrDefaultAsync(cancellationToken);
        return new MessageAuthor(null, userId, string.IsNullOrWhiteSpace(user?.Name) ? user?.Email : user.Name);
    }
}
