using System.Text;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Knowledge;
using Parley.Server.Infrastructure.Background;
using Parley.Engine.Knowledge;
using static Parley.Server.Features.Knowledge.KnowledgeSourceKinds;

namespace Parley.Server.Features.Knowledge;

/// <summary>
/// Turns a source's document into searchable chunks: extracts its structure (Markdown, HTML via AngleSharp, PDF via
/// PdfPig), cuts it with <see cref="DocumentChunker"/>, and stores the chunks with their search terms. A source's chunks
/// are always replaced as a whole, in one transaction, so a search never sees half of a re-sync.
/// </summary>
public sealed class KnowledgeIngestion(
    ParleyDbContext db, KnowledgeCrawler crawler, TimeProvider time, WakeSignal<KnowledgeEmbeddingWorker> embedding, KnowledgeVectorEvictions vectors)
{
    /// <summary>After a source's new chunks are saved: they are embedded in the background, and searches read them afresh.</summary>
    public void Indexed(KnowledgeSource source)
    {
        vectors.Evict(source.BotId);
        embedding.Notify();
    }

    /// <summary>The structure of a document of the given type.</summary>
    public static IReadOnlyList<DocumentBlock> Blocks(string type, string content) =>
        type == Html ? HtmlText.Extract(content).Blocks : MarkdownBlocks.Parse(content);

    /// <summary>Adds the chunks of a new source to the context (not saved) and marks it ready; throws when it has no text.</summary>
    public void Index(KnowledgeSource source, IReadOnlyList<DocumentBlock> blocks)
    {
        var drafts = DocumentChunker.Chunk(blocks);
        if (drafts.Count == 0)
        {
            throw new KnowledgeSourceException("The document has no readable text.");
        }
        db.KnowledgeChunks.AddRange(drafts.Select(d => ToChunk(source, d)));
        source.ChunkCount = drafts.Count;
        source.Status = Ready;
        source.FailureReason = null;
        source.SyncedAt = time.GetUtcNow();
        source.UpdatedAt = source.SyncedAt.Value;
    }

    /// <summary>Re-reads a source (fetching it again when it is a URL) and replaces its chunks; a failure is recorded on it.</summary>
    public async Task SyncAsync(KnowledgeSource source, CancellationToken cancellationToken)
    {
        IReadOnlyList<DocumentBlock> blocks;
        try
        {
            blocks = source.Type == Url ? await FetchAsync(source, cancellationToken) : Blocks(source.Type, source.Content ?? "");
        }
        catch (KnowledgeSourceException ex)
        {
            await FailAsync(source, ex.Message, cancellationToken);
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.KnowledgeChunks.Where(c => c.SourceId == source.Id).ExecuteDeleteAsync(cancellationToken);
        try
        {
            Index(source, blocks);
        }
        catch (KnowledgeSourceException ex)
        {
            source.ChunkCount = 0;
            Fail(source, ex.Message);
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Indexed(source);
    }

    private async Task<IReadOnlyList<DocumentBlock>> FetchAsync(KnowledgeSource source, CancellationToken cancellationToken)
    {
        // A source without crawl reads its URL alone: a crawl of depth 0 and one page.
        var pages = await crawler.CrawlAsync(new Uri(source.Url!), source.CrawlMaxDepth ?? 0, source.CrawlMaxPages ?? 1, cancellationToken);
        source.ContentLength = pages.Sum(p => p.Bytes);
        source.PageCount = pages.Count;
        if (source.Title == source.Url && pages[0].Title is { Length: > 0 } title)
        {
            source.Title = title.Length > 300 ? title[..300] : title;
        }
        return KnowledgeCrawler.Combine(pages);
    }

    /// <summary>The text of a PDF, or a reason it has none that can be read.</summary>
    public static string ReadPdf(byte[] pdf)
    {
        try
        {
            return PdfText.Extract(pdf);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new KnowledgeSourceException("The PDF could not be read: it is damaged, encrypted or not a PDF.");
        }
    }

    private async Task FailAsync(KnowledgeSource source, string reason, CancellationToken cancellationToken)
    {
        Fail(source, reason);
        await db.SaveChangesAsync(cancellationToken);
    }

    private void Fail(KnowledgeSource source, string reason)
    {
        source.Status = Failed;
        source.FailureReason = reason;
        source.UpdatedAt = time.GetUtcNow();
    }

    private static KnowledgeChunk ToChunk(KnowledgeSource source, ChunkDraft draft) => new()
    {
        WorkspaceId = source.WorkspaceId,
        BotId = source.BotId,
        SourceId = source.Id,
        Ordinal = draft.Ordinal,
        HeadingPath = string.Join(HeadingSeparator, draft.HeadingPath),
        Text = draft.Text,
        TokenCount = draft.TokenCount,
        SearchHeading = SearchTerms.ToIndexText(string.Join(' ', draft.HeadingPath.Prepend(source.Title))),
        SearchBody = SearchTerms.ToIndexText(draft.Text),
    };
}
