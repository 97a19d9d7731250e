using Microsoft.EntityFrameworkCore;
using Parley.Data.Providers;
using Parley.Data.Tenancy;
using Parley.Engine.Knowledge;

namespace Parley.Data.Knowledge;

/// <summary>
/// Searches a bot's chunks with the database's own full-text index (FTS5 with BM25 on SQLite, tsvector with ts_rank_cd
/// on PostgreSQL), then lets <see cref="PassageRanker"/> re-rank the candidates the same way on both.
/// </summary>
public sealed class KnowledgeIndex(ParleyDbContext db, WorkspaceScope workspace) : IKnowledgeRetriever
{
    /// <summary>How many candidates the index hands to the re-ranker.</summary>
    public const int CandidateCount = 20;

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
        if (candidates.Count == 0)
        {
            var hasKnowledge = await db.KnowledgeChunks.AnyAsync(c => c.BotId == botId, cancellationToken);
            return new KnowledgeSearch(hasKnowledge, []);
        }

        var ids = candidates.Select(c => c.Id).ToList();
        var rows = await db.KnowledgeChunks.AsNoTracking()
            .Where(c => ids.Contains(c.Id) && (sourceIds == null || sourceIds.Contains(c.SourceId)))
            .Join(db.KnowledgeSources, c => c.SourceId, s => s.Id, (c, s) => new { c.Id, c.SourceId, s.Title, s.Url, c.HeadingPath, c.Text })
            .ToDictionaryAsync(r => r.Id, cancellationToken);
        var passages = candidates
            .Where(c => rows.ContainsKey(c.Id))
            .Select(c => (Row: rows[c.Id], c.Score))
            .Select(x => new KnowledgePassage(x.Row.SourceId, x.Row.Title, x.Row.Url, SplitHeadingPath(x.Row.HeadingPath), x.Row.Text, x.Score))
            .ToList();
        return new KnowledgeSearch(true, PassageRanker.Rank(query, passages, limit));
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
        var matchTerms = await SelectiveTermsAsync(terms, cancellationToken);
        var match = $"BotId : \"{botId}\" AND ({string.Join(" OR ", matchTerms.Select(t => $"\"{t}\""))})";
        // FTS5 ranks and cuts the matches to the top candidates by itself (the rank column with the same bm25 weights),
        // and only those few rows are then looked up in the chunk table. Joining first made SQLite read the chunk row of
        // every match, thousands for a common word, before sorting.
        return await db.Database.SqlQuery<Candidate>($"""
            SELECT c."Id" AS "Id", -s."rank" AS "Score"
            FROM (
                SELECT rowid AS "RowId", "rank" FROM "KnowledgeChunkSearch"
                WHERE "KnowledgeChunkSearch" MATCH {match} AND "rank" MATCH {RankFunction}
                ORDER BY "rank"
                LIMIT {CandidateCount}) s
            JOIN "KnowledgeChunks" c ON c."Id" = s."RowId"
            WHERE c."BotId" = {botId} AND c."WorkspaceId" = {workspaceId}
            ORDER BY s."rank"
            """).ToListAsync(cancellationToken);
    }

    /// <summary>A term in more than this share of all chunks is left out of the candidate query when rarer ones are there.</summary>
    public const double CommonTermShare = 0.2;

    /// <summary>Below this many chunks containing it, a term is cheap to score and always kept.</summary>
    public const long CommonTermMinimumChunks = 1_000;

    private sealed record TermFrequency(string Term, long Chunks);

    /// <summary>
    /// The terms worth matching on. FTS5 scores every chunk that contains any matched term and has no top-k pruning,
    /// so a word found in most chunks ("service", "price" in a shop's knowledge base) makes the query score nearly the
    /// whole bot. Such terms say little about which chunk answers: when the question has rarer terms, only those pick
    /// the candidates, and the re-ranker still weighs every term of the question. The frequencies come from the
    /// index's own vocabulary (fts5vocab, one B-tree lookup a term); the number of chunks is the sum of the bot-id
    /// tokens, one per chunk.
    /// </summary>
    private async Task<IReadOnlyList<string>> SelectiveTermsAsync(IReadOnlyList<string> terms, CancellationToken cancellationToken)
    {
        if (terms.Count < 2)
        {
            return terms;
        }
        // The vocabulary table lives in the connection's temp schema: keep one connection open for both commands.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            return await SelectiveTermsOnOpenConnectionAsync(terms, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<IReadOnlyList<string>> SelectiveTermsOnOpenConnectionAsync(IReadOnlyList<string> terms, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlRawAsync(
            $"""CREATE VIRTUAL TABLE IF NOT EXISTS temp."{VocabularyTable}" USING fts5vocab(main, "{KnowledgeSearchSql.SqliteTable}", row)""",
            cancellationToken);
        // Bot ids are the only tokens with '_' (search terms are letters and digits), so this range holds one per chunk.
        var parts = new List<string> { $"""SELECT '' AS "Term", coalesce(sum("doc"), 0) AS "Chunks" FROM temp."{VocabularyTable}" WHERE "term" >= 'bot_' AND "term" < 'bot`'""" };
        var parameters = new List<object>();
        foreach (var term in terms)
        {
            parts.Add($"""SELECT "term" AS "Term", "doc" AS "Chunks" FROM temp."{VocabularyTable}" WHERE "term" = """ + "{" + parameters.Count + "}");
            parameters.Add(term);
        }
#pragma warning disable EF1002 // The SQL is built from constants; every term is a parameter.
        var frequencies = await db.Database.SqlQueryRaw<TermFrequency>(string.Join(" UNION ALL ", parts), [.. parameters])
            .ToListAsync(cancellationToken);
#pragma warning restore EF1002
        var total = frequencies.FirstOrDefault(f => f.Term.Length == 0)?.Chunks ?? 0;
        var chunks = frequencies.Where(f => f.Term.Length > 0).ToDictionary(f => f.Term, f => f.Chunks);
        bool IsCommon(string term) =>
            chunks.TryGetValue(term, out var count) && count >= CommonTermMinimumChunks && count > CommonTermShare * total;
        var selective = terms.Where(t => !IsCommon(t)).ToList();
        return selective.Count > 0 ? selective : [terms.MinBy(t => chunks.GetValueOrDefault(t))!];
    }

    private const string VocabularyTable = "KnowledgeChunkVocabulary";
}
