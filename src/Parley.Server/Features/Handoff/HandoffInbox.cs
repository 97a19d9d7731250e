using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Engine.Ids;
using Parley.Engine.Turns;
using Parley.Server.Features.Conversations;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Paging;

namespace Parley.Server.Features.Handoff;

/// <summary>The conversations waiting for (or with) a person, the longest waiting first.</summary>
public sealed class HandoffInbox(ParleyDbContext db, Caller caller, AgentPresence presence, TimeProvider time)
{
    public async Task<CursorPage<InboxItem>> ListAsync(bool? assigned, string? assignedTo, int? limit, CancellationToken cancellationToken)
    {
        presence.Seen(caller);
        var take = Paging.Limit(limit);
        var query = db.Conversations.AsNoTracking().Where(c => c.Status == ConversationStatus.Handoff);
        if (assigned is { } a)
        {
            query = a ? query.Where(c => c.AssignedKeyId != null) : query.Where(c => c.AssignedKeyId == null);
        }
        switch (assignedTo)
        {
            case null:
                break;
            case "me":
                var me = caller.KeyId;
                query = query.Where(c => c.AssignedKeyId == me);
                break;
            case "unassigned":
                query = query.Where(c => c.AssignedKeyId == null);
                break;
            case var k when k.StartsWith(IdPrefix.ApiKey + "_", StringComparison.Ordinal) && k.Length <= 100:
                query = query.Where(c => c.AssignedKeyId == k);
                break;
            default:
                throw ApiException.Invalid("assigned_to", "assigned_to must be `me`, `unassigned` or an API key id (key_…).");
        }
        // Few conversations wait at once; ordering by the handoff time in memory keeps the query portable
        // (SQLite cannot order by DateTimeOffset).
        var waiting = await query.ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var ordered = waiting.OrderBy(c => c.HandoffRequestedAt ?? c.UpdatedAt).ThenBy(c => c.Id).ToList();
        var page = ordered.Take(take)
            .Select(c => new InboxItem(ConversationResponse.From(c), Math.Round((now - (c.HandoffRequestedAt ?? c.UpdatedAt)).TotalSeconds, 1)))
            .ToList();
        return new CursorPage<InboxItem>(page, ordered.Count > take, null);
    }
}
