using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Parley.Data.Providers;

namespace Parley.Data.Knowledge;

/// <summary>
/// How many chunks of the SQLite index contain a term, read from the index's own vocabulary (fts5vocab) and kept for
/// a few minutes. fts5vocab stores no such count: it reads the term's whole posting list each time, several
/// milliseconds for a word found in most chunks, which is what a search would otherwise pay on every question. The
/// counts only decide which words of a question pick the candidates (see <see cref="KnowledgeIndex"/>), so a count a
/// few minutes old changes the cost of a search, never which chunks may match.
/// </summary>
public sealed class IndexTermCounts(TimeProvider time)
{
    /// <summary>How long a count is reused.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>The key of the number of all chunks in the index. No term or bot token is empty.</summary>
    public const string AllChunks = "";

    /// <summary>The most counts kept; past it the cache starts again empty, which only costs lookups.</summary>
    private const int Capacity = 50_000;

    private sealed record Count(long Chunks, DateTimeOffset Until);

    private readonly ConcurrentDictionary<string, Count> _counts = new(StringComparer.Ordinal);

    /// <summary>
    /// The number of chunks containing each key: a search term, a bot's index token (<see cref="BotToken"/>: the
    /// chunks of that bot), or <see cref="AllChunks"/>.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>> ChunksAsync(
        ParleyDbContext db, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var counts = new Dictionary<string, long>(keys.Count, StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var key in keys.Distinct())
        {
            if (_counts.TryGetValue(key, out var count) && count.Until > now)
            {
                counts[key] = count.Chunks;
            }
            else
            {
                missing.Add(key);
            }
        }
        if (missing.Count == 0)
        {
            return counts;
        }
        var read = await ReadAsync(db, missing, cancellationToken);
        if (_counts.Count + read.Count > Capacity)
        {
            _counts.Clear();
        }
        foreach (var key in missing)
        {
            var chunks = read.GetValueOrDefault(key);
            _counts[key] = new Count(chunks, now + Lifetime);
            counts[key] = chunks;
        }
        return counts;
    }

    /// <summary>The token a bot's id becomes in the index (the tokenizer folds case; '_' is a token character).</summary>
    public static string BotToken(string botId) => botId.ToLowerInvariant();

    private sealed record TermCount(string Term, long Chunks);

    private static async Task<Dictionary<string, long>> ReadAsync(
        ParleyDbContext db, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        // The vocabulary table lives in the connection's temp schema: keep one connection open for both commands.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlRawAsync(
                $"""CREATE VIRTUAL TABLE IF NOT EXISTS temp."{VocabularyTable}" USING fts5vocab(main, "{KnowledgeSearchSql.SqliteTable}", row)""",
                cancellationToken);
            var parts = new List<string>();
            var parameters = new List<object>();
            foreach (var key in keys)
            {
                if (key == AllChunks)
                {
                    // Bot ids are the only tokens with '_' (search terms are letters and digits), one per chunk.
                    parts.Add($"""SELECT '' AS "Term", coalesce(sum("doc"), 0) AS "Chunks" FROM temp."{VocabularyTable}" WHERE "term" >= 'bot_' AND "term" < 'bot`'""");
                    continue;
                }
                parts.Add($"""SELECT "term" AS "Term", "doc" AS "Chunks" FROM temp."{VocabularyTable}" WHERE "term" = """ + "{" + parameters.Count + "}");
                parameters.Add(key);
            }
#pragma warning disable EF1002 // The SQL is built from constants; every term is a parameter.
            var counts = await db.Database.SqlQueryRaw<TermCount>(string.Join(" UNION ALL ", parts), [.. parameters])
                .ToListAsync(cancellationToken);
#pragma warning restore EF1002
            return counts.ToDictionary(c => c.Term, c => c.Chunks, StringComparer.Ordinal);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private const string VocabularyTable = "KnowledgeChunkVocabulary";
}
