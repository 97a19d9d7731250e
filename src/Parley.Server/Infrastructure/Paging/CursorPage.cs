using Microsoft.EntityFrameworkCore;
using Parley.Data.Entities;

namespace Parley.Server.Infrastructure.Paging;

/// <summary>A page of a list: <c>{"data": [...], "has_more": true, "next_cursor": "…"}</c>.</summary>
public sealed record CursorPage<T>(IReadOnlyList<T> Data, bool HasMore, string? NextCursor);

/// <summary>Paging parameters shared by every list endpoint. The cursor is the id of the last item seen.</summary>
public static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 100;

    /// <summary>The limit to use, or a 400 when it is out of range.</summary>
    public static int Limit(int? limit) => limit switch
    {
        null => DefaultLimit,
        < 1 or > MaxLimit => throw Errors.ApiException.Invalid("limit", $"limit must be between 1 and {MaxLimit}."),
        _ => limit.Value,
    };

    /// <summary>A page of <paramref name="query"/>, newest first, after the cursor <paramref name="after"/>.</summary>
    public static async Task<CursorPage<TOut>> NewestFirstAsync<T, TOut>(
        IQueryable<T> query, int? limit, string? after, Func<T, TOut> map, CancellationToken cancellationToken) where T : class, IHasId
    {
        var take = Limit(limit);
        if (!string.IsNullOrEmpty(after))
        {
            query = query.Where(row => string.Compare(row.Id, after) < 0);
        }
        var rows = await query.OrderByDescending(row => row.Id).Take(take + 1).ToListAsync(cancellationToken);
        return Page(rows, take, row => row.Id, map);
    }

    /// <summary>A page of <paramref name="query"/>, oldest first (transcripts), after the cursor <paramref name="after"/>.</summary>
    public static async Task<CursorPage<TOut>> OldestFirstAsync<T, TOut>(
        IQueryable<T> query, int? limit, string? after, Func<T, TOut> map, CancellationToken cancellationToken) where T : class, IHasId
    {
        var take = Limit(limit);
        if (!string.IsNullOrEmpty(after))
        {
            query = query.Where(row => string.Compare(row.Id, after) > 0);
        }
        var rows = await query.OrderBy(row => row.Id).Take(take + 1).ToListAsync(cancellationToken);
        return Page(rows, take, row => row.Id, map);
    }

    /// <summary>
    /// Builds a page from rows fetched with <c>Take(limit + 1)</c>: the extra row only says there is more.
    /// </summary>
    private static CursorPage<TOut> Page<TIn, TOut>(IReadOnlyList<TIn> rows, int limit, Func<TIn, string> id, Func<TIn, TOut> map)
    {
        var hasMore = rows.Count > limit;
        var items = hasMore ? rows.Take(limit) : rows;
        var data = items.Select(map).ToList();
        return new CursorPage<TOut>(data, hasMore, hasMore ? id(rows[limit - 1]) : null);
    }
}
