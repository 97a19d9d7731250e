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
            query = a
                ? query.Where(c => c.AssignedKeyId != null || c.AssignedUserId != null)
                : query.Where(c => c.AssignedKeyId == null && c.AssignedUserId == null);
        }
        switch (assignedTo)
        {
            case null:
                break;
            case "me" when caller.UserId is { } me:
                query = query.Where(c => c.AssignedUserId == me);
                break;
            case "me":
                var myKey = caller.KeyId;
                query = query.Where(c => c.AssignedKeyId == myKey && c.AssignedUserId == null);
                break;
            case "unassigned":
                query = query.Where(c => c.AssignedKeyId == null && c.AssignedUserId == null);
                break;
            case var k when k.StartsWith(IdPrefix.ApiKey + "_", StringComparison.Ordinal) && k.Length <= 100:
                query = query.Where(c => c.AssignedKeyId == k);
                break;
            case var u when u.StartsWith(IdPrefix.User + "_", StringComparison.Ordinal) && u.Length <= 100:
                query = query.Where(c => c.AssignedUserId == u);
                break;
            default:
                throw ApiException.Invalid("assigned_to", "assigned_to must be `me`, `unassigned`, an API key id (key_…) or a user id (usr_…).");
        }
        // Few conversations wait at once; ordering by the handoff time in memory keeps the query portable
        // (SQLite cannot order by DateTimeOffset).
        var waiting = await query.ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var ordered = waiting.OrderBy(c => c.HandoffRequestedAt ?? c.UpdatedAt).ThenBy(c => c.Id).ToList();
        var shown = ordered.Take(take).ToList();
        var shownIds = shown.Select(c => c.Id).ToList();
        var scores = (await db.Leads.AsNoTracking().Where(l => l.ConversationId != null && shownIds.Contains(l.ConversationId))
                .Select(l => new { l.ConversationId, l.Score }).ToListAsync(cancellationToken))
            .GroupBy(l => l.ConversationId!).ToDictionary(g => g.Key, g => g.Max(l => l.Score));
        var page = shown
            .Select(c => new InboxItem(ConversationResponse.From(c), Math.Round((now - (c.HandoffRequestedAt ?? c.UpdatedAt)).TotalSeconds, 1),
                scores.TryGetValue(c.Id, out var score) ? score : null))
            .ToList();
        return new CursorPage<InboxItem>(page, ordered.Count > take, null);
    }
}
