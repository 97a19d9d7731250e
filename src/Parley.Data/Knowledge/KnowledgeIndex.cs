using Microsoft.EntityFrameworkCore;
using Parley.Data.Providers;
using Parley.Data.Tenancy;
using Parley.Engine.Knowledge;

namespace Parley.Data.Knowledge;

/// <summary>
/// Searches a bot's chunks by keywords with the database's own full-text index (FTS5 with BM25 on SQLite, tsvector with
/// ts_rank_cd on PostgreSQL) and, once the embedding model has loaded and the bot's chunks have vectors, by meaning
/// (<see cref="KnowledgeVectorCache"/>). Both candidate lists are ranked together by <see cref="HybridRanking"/>, or by
/// <see cref="PassageRanker"/> alone when there are no vectors, the same way on both providers.
/// </summary>
public sealed class KnowledgeIndex(
    ParleyDbContext db, WorkspaceScope workspace, IndexTermCounts termCounts, KnowledgeSearchLimits? limits = null,
    ITextEmbedder? embedder = null, KnowledgeVectorCache? vectors = null) : IKnowledgeRetriever
{
    private readonly KnowledgeSearchLimits _limits = limits ?? KnowledgeSearchLimits.Default;

    /// <summary>How many candidates the index hands to the re-ranker.</summary>
    public const int CandidateCount = 20;

    /// <summary>
    /// How similar in meaning a passage that shares no word with the question must be to be a candidate at all: below
    /// it the sentence model sees no relation ("spaceship" against a bike shop scores about 0.1).
    /// </summary>
    public const double MinSimilarity = 0.2;

    private sealed record Candidate(long Id, double Score);

    /// <summary>BM25 with the bot id column ignored and headings weighted four times the body.</summary>
    private const string RankFunction = "bm25(0.0, 4.0, 1.0)";

    public Task<KnowledgeSearch> SearchAsync(string botId, string query, int limit, CancellationToken cancellationToken) =>
        SearchAsync(botId, query, limit, null, cancellationToken);

    public async Task<KnowledgeSearch> SearchAsync(
        string botId, string query, int limit, IReadOnlyCollection<string>? sourceIds, CancellationToken cancellationToken)
    {
        var terms = PassageRanker.QueryTerms(query);
        var candidates = terms.Count == 0 ? [] : await CandidatesAsync(botId, terms, cancellationToken);
        // The question is embedded only for a bot that has vectors: one whose knowledge is still being embedded (or has
        // none) is searched by keywords without paying for the model.
        var botVectors = embedder is null || vectors is null ? null : await vectors.GetAsync(db, botId, embedder.ModelId, cancellationToken);
        var queryVector = botVectors is { Count: > 0 } ? await embedder!.EmbedQueryAsync(query, cancellationToken) : null;
        if (queryVector is not null)
        {
            var known = candidates.Select(c => c.Id).ToHashSet();
            candidates.AddRange(botVectors!.Nearest(queryVector, CandidateCount)
                .Where(n => n.Similarity >= MinSimilarity && !known.Contains(n.ChunkId))
                .Select(n => new Candidate(n.ChunkId, 0)));
        }
        if (candidates.Count == 0)
        {
            var hasKnowledge = await db.KnowledgeChunks.AnyAsync(c => c.BotId == botId, cancellationToken);
            return new KnowledgeSearch(hasKnowledge, []);
        }

        var ids = candidates.Select(c => c.Id).ToList();
        var rows = await db.KnowledgeChunks.AsNoTracking()
            .Where(c => ids.Contains(c.Id) && c.BotId == botId && (sourceIds == null || sourceIds.Contains(c.SourceId)))
            .Join(db.KnowledgeSources, c => c.SourceId, s => s.Id, (c, s) => new { c.Id, c.SourceId, s.Title, s.Url, c.HeadingPath, c.Text, c.SearchHeading, c.SearchBody })
            .ToDictionaryAsync(r => r.Id, cancellationToken);
        var passages = candidates
            .Where(c => rows.ContainsKey(c.Id))
            .Select(c => (Row: rows[c.Id], c.Score, Similarity: queryVector is null ? null : botVectors!.Similarity(c.Id, queryVector)))
            .Select(x => new KnowledgePassage(x.Row.SourceId, x.Row.Title, x.Row.Url, SplitHeadingPath(x.Row.HeadingPath), x.Row.Text, x.Score)
            {
                IndexedTerms = (x.Row.SearchHeading, x.Row.SearchBody),
                Similarity = x.Similarity,
            })
            .ToList();
        return new KnowledgeSearch(true, HybridRanking.Rank(query, passages, limit))
        {
            Vocabulary = botVectors?.Vocabulary,
            QueryVector = botVectors is { Count: > 0 } ? queryVector : null,
        };
    }

    public static IReadOnlyList<string> SplitHeadingPath(string path) =>
        path.Length == 0 ? [] : path.Split(HeadingSeparator);

    public const string HeadingSeparator = " > ";

    private async Task<List<Candidate>> CandidatesAsync(string botId, IReadOnlyList<string> terms, CancellationToken cancellationToken)
    {
        var workspaceId = workspace.WorkspaceId;
        if (db.Database.IsNpgsql())
        {
            var tsQuery = string.Join(" | ", terms);
            return await db.Database.SqlQuery<Candidate>($$"""
                SELECT c."Id" AS "Id", ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', c."SearchVector", q)::double precision AS "Score"
                FROM "KnowledgeChunks" c, to_tsquery('simple', {{tsQuery}}) q
                WHERE c."SearchVector" @@ q AND c."BotId" = {{botId}} AND c."WorkspaceId" = {{workspaceId}}
                ORDER BY 2 DESC
                LIMIT {{CandidateCount}}
                """).ToListAsync(cancellationToken);
        }
        // Terms are letters and digits only and bot ids letters, digits and '_'; quoting each keeps FTS5 from reading
        // one as an operator. Matching the bot inside FTS5 keeps other bots' chunks from being scored at all.
        if (!botId.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            return [];
        }
        var matchTerms = await SelectiveTermsAsync(botId, terms, cancellationToken);
        var match = $"BotId : \"{botId}\" AND ({string.Join(" OR ", matchTerms.Select(t => $"\"{t}\""))})";
        // FTS5 ranks and cuts the matches to the top candidates by itself (the rank column with the same bm25 weights),
        // and only those few rows are then looked up in the chunk table. It scores at most the newest ScanLimit
        // matches: a question made only of words found in most of the bot's chunks cannot pick candidates by its
        // words, and scoring all of them (thousands of rows) is what made the slowest searches slow.
        return await db.Database.SqlQuery<Candidate>($"""
            SELECT c."Id" AS "Id", -s."rank" AS "Score"
            FROM (
                SELECT "RowId", "rank" FROM (
                    SELECT rowid AS "RowId", "rank" FROM "KnowledgeChunkSearch"
                    WHERE "KnowledgeChunkSearch" MATCH {match} AND "rank" MATCH {RankFunction}
                    ORDER BY rowid DESC
                    LIMIT {_limits.ScanLimit})
                ORDER BY "rank"
                LIMIT {CandidateCount}) s
            JOIN "KnowledgeChunks" c ON c."Id" = s."RowId"
            WHERE c."BotId" = {botId} AND c."WorkspaceId" = {workspaceId}
            ORDER BY s."rank"
            """).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The words that pick the candidates. FTS5 scores every chunk that contains any matched word and has no top-k
    /// pruning, and bm25 reads the whole posting list of every word for its weight, so a word found in most chunks
    /// ("service", "price" in a shop's knowledge base) makes a search score nearly the whole bot. Such words say
    /// little about which chunk answers. Rarest first, words are kept while the chunks of the bot they are expected
    /// to match stay within the MatchBudget (the rarest is always kept); the re-ranker still weighs every word of the
    /// question. A bot with no more chunks than the budget keeps every word, so small knowledge bases are searched
    /// exactly as before. The counts are over the whole index, scaled by the bot's share of it.
    /// </summary>
    private async Task<IReadOnlyList<string>> SelectiveTermsAsync(string botId, IReadOnlyList<string> terms, CancellationToken cancellationToken)
    {
        if (terms.Count < 2)
        {
            return terms;
        }
        var botToken = IndexTermCounts.BotToken(botId);
        var chunks = await termCounts.ChunksAsync(db, [IndexTermCounts.AllChunks, botToken, .. terms], cancellationToken);
        var all = chunks[IndexTermCounts.AllChunks];
        var ofBot = chunks[botToken];
        if (ofBot <= _limits.MatchBudget || all == 0)
        {
            return terms;
        }
        var share = (double)ofBot / all;
        var selected = new List<string>();
        var expected = 0.0;
        foreach (var term in terms.OrderBy(t => chunks[t]))
        {
            var matches = chunks[term] * share;
            if (selected.Count > 0 && expected + matches > _limits.MatchBudget)
            {
                break;
            }
            selected.Add(term);
            expected += matches;
        }
        return selected;
    }
}
