namespace Parley.Data.Providers;

/// <summary>The full-text objects the migrations create by hand, beside the tables EF Core knows.</summary>
public static class KnowledgeSearchSql
{
    public const string SqliteTable = "KnowledgeChunkSearch";

    /// <summary>An FTS5 index over the chunks' search terms, kept in step by triggers (chunks are never updated).</summary>
    public const string SqliteCreate = """
        CREATE VIRTUAL TABLE "KnowledgeChunkSearch" USING fts5(
            "SearchHeading", "SearchBody", content='KnowledgeChunks', content_rowid='Id', tokenize='unicode61');
        CREATE TRIGGER "KnowledgeChunks_search_insert" AFTER INSERT ON "KnowledgeChunks" BEGIN
            INSERT INTO "KnowledgeChunkSearch"(rowid, "SearchHeading", "SearchBody") VALUES (new."Id", new."SearchHeading", new."SearchBody");
        END;
        CREATE TRIGGER "KnowledgeChunks_search_delete" AFTER DELETE ON "KnowledgeChunks" BEGIN
            INSERT INTO "KnowledgeChunkSearch"("KnowledgeChunkSearch", rowid, "SearchHeading", "SearchBody")
            VALUES ('delete', old."Id", old."SearchHeading", old."SearchBody");
        END;
        """;

    /// <summary>
    /// The index with the bot id as a column, so a search matches <c>"BotId" : "bot_…" AND (terms)</c> and FTS5 scores
    /// only that bot's chunks, instead of every chunk in the file that shares a word and filtering afterwards. With
    /// '_' as a token character the id is one token; search terms are letters and digits only, so nothing else changes.
    /// </summary>
    public const string SqliteCreateBotScoped = """
        CREATE VIRTUAL TABLE "KnowledgeChunkSearch" USING fts5(
            "BotId", "SearchHeading", "SearchBody", content='KnowledgeChunks', content_rowid='Id',
            tokenize="unicode61 tokenchars '_'");
        CREATE TRIGGER "KnowledgeChunks_search_insert" AFTER INSERT ON "KnowledgeChunks" BEGIN
            INSERT INTO "KnowledgeChunkSearch"(rowid, "BotId", "SearchHeading", "SearchBody")
            VALUES (new."Id", new."BotId", new."SearchHeading", new."SearchBody");
        END;
        CREATE TRIGGER "KnowledgeChunks_search_delete" AFTER DELETE ON "KnowledgeChunks" BEGIN
            INSERT INTO "KnowledgeChunkSearch"("KnowledgeChunkSearch", rowid, "BotId", "SearchHeading", "SearchBody")
            VALUES ('delete', old."Id", old."BotId", old."SearchHeading", old."SearchBody");
        END;
        INSERT INTO "KnowledgeChunkSearch"("KnowledgeChunkSearch") VALUES ('rebuild');
        """;

    /// <summary>Puts back the index of <see cref="SqliteCreate"/>, filled from the chunks.</summary>
    public const string SqliteCreateRebuilt = SqliteCreate + """

        INSERT INTO "KnowledgeChunkSearch"("KnowledgeChunkSearch") VALUES ('rebuild');
        """;

    public const string SqliteDrop = """
        DROP TRIGGER IF EXISTS "KnowledgeChunks_search_delete";
        DROP TRIGGER IF EXISTS "KnowledgeChunks_search_insert";
        DROP TABLE IF EXISTS "KnowledgeChunkSearch";
        """;

    /// <summary>
    /// A generated tsvector (headings weighted A, body B) with a GIN index. The 'simple' configuration only splits
    /// words: the terms are already normalised and stemmed, the same way as on SQLite.
    /// </summary>
    public const string PostgresCreate = """
        ALTER TABLE "KnowledgeChunks" ADD COLUMN "SearchVector" tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('simple', coalesce("SearchHeading", '')), 'A') ||
            setweight(to_tsvector('simple', coalesce("SearchBody", '')), 'B')) STORED;
        CREATE INDEX "IX_KnowledgeChunks_SearchVector" ON "KnowledgeChunks" USING GIN ("SearchVector");
        """;

    public const string PostgresDrop = """
        DROP INDEX IF EXISTS "IX_KnowledgeChunks_SearchVector";
        ALTER TABLE "KnowledgeChunks" DROP COLUMN IF EXISTS "SearchVector";
        """;
}
