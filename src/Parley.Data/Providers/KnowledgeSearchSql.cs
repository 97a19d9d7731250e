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
