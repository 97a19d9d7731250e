using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Engine.Ids;

namespace Parley.Server.Features.Flows;

/// <summary>The name shown for whoever last saved a draft: a user's display name (or email), or a key's name.</summary>
public static class FlowDraftAuthor
{
    /// <summary>The name of <paramref name="actorId"/> (<c>usr_…</c> or <c>key_…</c>); the id itself once the user or key is gone.</summary>
    public static async Task<string?> NameAsync(ParleyDbContext db, string? actorId, CancellationToken cancellationToken)
    {
        if (actorId is null)
        {
            return null;
        }
        if (actorId.StartsWith(IdPrefix.User + "_", StringComparison.Ordinal))
        {
            var user = await db.Users.AsNoTracking().Where(u => u.Id == actorId).Select(u => new { u.Name, u.Email }).FirstOrDefaultAsync(cancellationToken);
            return user?.Name ?? user?.Email ?? actorId;
        }
        return await db.ApiKeys.AsNoTracking().Where(k => k.Id == actorId).Select(k => k.Name).FirstOrDefaultAsync(cancellationToken) ?? actorId;
    }
}
