using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;

namespace Parley.Server.Features.Conversations;

/// <summary>
/// Finds the conversations whose messages contain a term (case-insensitive). Message text is encrypted at rest with a
/// random nonce, so the database cannot compare it, and a blind index of words would let whoever reads the database
/// count how often each word is used: the messages are read here instead, a batch of conversations at a time, newest
/// first, and matched once decrypted. What it costs grows with the conversations read, so a caller that needs only the
/// newest few matches says so and the scan stops there.
/// </summary>
public static class ConversationTextSearch
{
    private const int ConversationsPerBatch = 200;

    /// <summary>
    /// The ids of the conversations of <paramref name="candidates"/> with a message containing <paramref name="term"/>,
    /// newest first; with <paramref name="enough"/>, only the newest that many.
    /// </summary>
    public static async Task<IReadOnlyList<string>> MatchingIdsAsync(
        ParleyDbContext db, IQueryable<Conversation> candidates, string term, int? enough, CancellationToken cancellationToken)
    {
        var matches = new List<string>();
        string? before = null;
        while (enough is null || matches.Count < enough)
        {
            var batch = before is null ? candidates : candidates.Where(c => string.Compare(c.Id, before) < 0);
            var ids = await batch.OrderByDescending(c => c.Id).Select(c => c.Id).Take(ConversationsPerBatch).ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                break;
            }
            var texts = await db.Messages.AsNoTracking().Where(m => ids.Contains(m.ConversationId))
                .Select(m => new { m.ConversationId, m.Text }).ToListAsync(cancellationToken);
            var found = texts.Where(m => m.Text.Contains(term, StringComparison.OrdinalIgnoreCase)).Select(m => m.ConversationId).ToHashSet();
            matches.AddRange(ids.Where(found.Contains));
            before = ids[^1];
        }
        return enough is { } n && matches.Count > n ? matches[..n] : matches;
    }
}
