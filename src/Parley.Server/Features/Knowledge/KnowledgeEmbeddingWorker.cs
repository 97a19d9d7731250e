using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Knowledge;
using Parley.Engine.Knowledge;
using Parley.Server.Infrastructure.Background;

namespace Parley.Server.Features.Knowledge;

/// <summary>
/// Embeds chunks that have no vector of the current model, in the background: a new source is searchable by keywords
/// the moment it is saved and by meaning once this worker has reached it. Woken after every ingestion; also finds, after
/// a restart or a model change, whatever is left to do. A chunk whose text matches one already embedded for the same
/// bot reuses that vector.
/// </summary>
public sealed class KnowledgeEmbeddingWorker(
    IServiceScopeFactory scopes, ITextEmbedder embedder, KnowledgeVectorEvictions vectors, WakeSignal<KnowledgeEmbeddingWorker> signal,
    IOptions<KnowledgeOptions> options, ILogger<KnowledgeEmbeddingWorker> logger) : BackgroundService
{
    /// <summary>Chunks embedded per batch: large enough to keep the model busy, small enough to save progress often.</summary>
    public const int BatchSize = 32;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WarmIfNeededAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await RunOnceAsync(stoppingToken) > 0)
                {
                }
                await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Knowledge embedding pass failed; retrying at the next poll");
                await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
        }
    }

    /// <summary>Starts loading the model at start-up when some bot has knowledge, so its first question is answered by meaning.</summary>
    private async Task WarmIfNeededAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
            if (await db.KnowledgeChunks.IgnoreQueryFilters().AnyAsync(cancellationToken))
            {
                _ = embedder.IsReady;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not check for knowledge at start-up; the sentence model loads on first use");
        }
    }

    /// <summary>Embeds one batch of chunks without a current vector. Returns how many it embedded.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        var model = embedder.ModelId;
        var pending = await db.KnowledgeChunks.IgnoreQueryFilters().AsNoTracking()
            .Where(c => !db.KnowledgeChunkVectors.IgnoreQueryFilters().Any(v => v.ChunkId == c.Id && v.Model == model))
            .OrderBy(c => c.Id)
            .Take(BatchSize)
            .Join(db.KnowledgeSources.IgnoreQueryFilters(), c => c.SourceId, s => s.Id,
                (c, s) => new { c.Id, c.WorkspaceId, c.BotId, s.Title, c.HeadingPath, c.Text })
            .ToListAsync(cancellationToken);
        if (pending.Count == 0)
        {
            return 0;
        }
        var texts = pending.Select(c => PassageEmbedding.ChunkText(c.Title, KnowledgeIndex.SplitHeadingPath(c.HeadingPath), c.Text)).ToList();
        var hashes = texts.Select(ContentHash).ToList();
        var botIds = pending.Select(c => c.BotId).Distinct().ToList();
        var reusable = await db.KnowledgeChunkVectors.IgnoreQueryFilters().AsNoTracking()
            .Where(v => botIds.Contains(v.BotId) && v.Model == model && hashes.Contains(v.ContentHash))
            .Select(v => new { v.BotId, v.ContentHash, v.Vector })
            .ToListAsync(cancellationToken);
        var known = reusable.DistinctBy(v => (v.BotId, v.ContentHash)).ToDictionary(v => (v.BotId, v.ContentHash), v => v.Vector);
        var toEmbed = Enumerable.Range(0, pending.Count).Where(i => !known.ContainsKey((pending[i].BotId, hashes[i]))).ToList();
        var embedded = toEmbed.Count == 0 ? [] : await embedder.EmbedPassagesAsync([.. toEmbed.Select(i => texts[i])], cancellationToken);
        var fresh = toEmbed.Select((i, j) => (i, j)).ToDictionary(x => x.i, x => BotVectors.ToBytes(embedded[x.j]));

        var ids = pending.Select(c => c.Id).ToList();
        await db.KnowledgeChunkVectors.IgnoreQueryFilters().Where(v => ids.Contains(v.ChunkId)).ExecuteDeleteAsync(cancellationToken);
        db.KnowledgeChunkVectors.AddRange(pending.Select((c, i) => new KnowledgeChunkVector
        {
            ChunkId = c.Id,
            WorkspaceId = c.WorkspaceId,
            BotId = c.BotId,
            Model = model,
            ContentHash = hashes[i],
            Vector = fresh.TryGetValue(i, out var vector) ? vector : known[(c.BotId, hashes[i])],
        }));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A chunk deleted (its source re-read or removed) while it was embedded: the next pass picks up the rest.
            logger.LogDebug("Knowledge chunks changed while they were embedded; trying again");
        }
        foreach (var botId in botIds)
        {
            vectors.Evict(botId);
        }
        return pending.Count;
    }

    private static string ContentHash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
