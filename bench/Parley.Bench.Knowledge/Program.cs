using System.Diagnostics;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Parley.Bench.Knowledge;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Knowledge;
using Parley.Data.Tenancy;
using Parley.Engine.Ids;
using Parley.Server.Features.Knowledge;
using Parley.Server.Infrastructure.Background;

// Builds a SQLite knowledge index through the real chunker, ingestion and migrations (FTS5 triggers included), then
// measures retrieval the way a turn does: a fresh context per request, KnowledgeIndex.SearchAsync for one bot.
//   dotnet run -c Release --project bench/Parley.Bench.Knowledge -- [chunks] [bots] [queries] [--keep file.db]
// With --keep the index is built once into that file and kept; later runs with the same file only search it.
// With --compare each question is also searched exhaustively (every word, every match; untimed) and the top passages
// compared, to show what the limits on a large knowledge base cost in ranking.
var compare = args.Contains("--compare");
args = [.. args.Where(a => a != "--compare")];
var keepAt = Array.IndexOf(args, "--keep");
var keptFile = keepAt >= 0 && keepAt + 1 < args.Length ? Path.GetFullPath(args[keepAt + 1]) : null;
args = keepAt >= 0 ? [.. args[..keepAt], .. args[Math.Min(keepAt + 2, args.Length)..]] : args;
var targetChunks = args.Length > 0 ? int.Parse(args[0]) : 100_000;
var botCount = args.Length > 1 ? int.Parse(args[1]) : 10;
var queryCount = args.Length > 2 ? int.Parse(args[2]) : 3_000;

var file = keptFile ?? Path.Combine(Path.GetTempPath(), $"parley-bench-knowledge-{Environment.ProcessId}.db");
var reuse = keptFile is not null && File.Exists(keptFile);
var options = DatabaseRegistration.Configure(new DbContextOptionsBuilder<ParleyDbContext>(), DatabaseProvider.Sqlite, $"Data Source={file}")
    .Options as DbContextOptions<ParleyDbContext> ?? throw new InvalidOperationException();
ParleyDbContext Context(string? workspaceId)
{
    var scope = new WorkspaceScope();
    if (workspaceId is not null)
    {
        scope.Enter(workspaceId);
    }
    return new ParleyDbContext(options).ForWorkspace(scope);
}

try
{
    List<(string WorkspaceId, string BotId)> bots;
    long chunks;
    if (reuse)
    {
        await using var db = Context(null);
        bots = [.. (await db.Bots.IgnoreQueryFilters().AsNoTracking().OrderBy(b => b.Name).Select(b => new { b.WorkspaceId, b.Id }).ToListAsync())
            .Select(b => (b.WorkspaceId, b.Id))];
        chunks = await db.KnowledgeChunks.IgnoreQueryFilters().LongCountAsync();
        Console.WriteLine($"searching the kept index in {file}: {chunks:N0} chunks across {bots.Count} bots");
    }
    else
    {
        bots = await CreateBotsAsync(botCount);
        chunks = await IngestAsync(bots);
    }

    // Retrieval: warm up, then time each search from a fresh context (what one turn pays).
    var questions = new SyntheticCorpus(seed: 7);
    var termCounts = new IndexTermCounts(TimeProvider.System);
    var latencies = new List<double>(queryCount);
    var empty = 0;
    int sameTop = 0, topInExactTop5 = 0, compared = 0;
    for (var q = -200; q < queryCount; q++)
    {
        var (workspaceId, botId) = bots[Math.Abs(q) % bots.Count];
        var question = questions.Question();
        var started = Stopwatch.GetTimestamp();
        var scope = new WorkspaceScope();
        scope.Enter(workspaceId);
        await using var db = new ParleyDbContext(options).ForWorkspace(scope);
        var result = await new KnowledgeIndex(db, scope, termCounts).SearchAsync(botId, question, 5, CancellationToken.None);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (q >= 0)
        {
            latencies.Add(elapsed);
            empty += result.Passages.Count == 0 ? 1 : 0;
            if (compare && result.Passages.Count > 0)
            {
                var exact = await new KnowledgeIndex(db, scope, termCounts, KnowledgeSearchLimits.Exhaustive)
                    .SearchAsync(botId, question, 5, CancellationToken.None);
                compared++;
                sameTop += exact.Passages.Count > 0 && SamePassage(exact.Passages[0], result.Passages[0]) ? 1 : 0;
                topInExactTop5 += exact.Passages.Any(p => SamePassage(p, result.Passages[0])) ? 1 : 0;
            }
        }
    }
    Console.WriteLine($"search over {chunks:N0} chunks, {queryCount:N0} queries ({empty} without a passage): " +
        $"p50 {Percentiles.Of(latencies, 50):N2} ms, p95 {Percentiles.Of(latencies, 95):N2} ms, p99 {Percentiles.Of(latencies, 99):N2} ms, max {Percentiles.Of(latencies, 100):N2} ms");
    if (compare)
    {
        Console.WriteLine($"against the exhaustive search: same top passage {100.0 * sameTop / compared:N1} %, " +
            $"top passage among its top 5 {100.0 * topInExactTop5 / compared:N1} % ({compared:N0} questions)");
    }
}
finally
{
    foreach (var path in keptFile is null ? [file, file + "-wal", file + "-shm"] : Array.Empty<string>())
    {
        File.Delete(path);
    }
}

static bool SamePassage(Parley.Engine.Knowledge.KnowledgePassage a, Parley.Engine.Knowledge.KnowledgePassage b) =>
    a.SourceId == b.SourceId && a.Text == b.Text;

async Task<long> IngestAsync(List<(string WorkspaceId, string BotId)> bots)
{
    var corpus = new SyntheticCorpus(seed: 42);

    // Ingestion: one source per document, saved in its own transaction, as the API does.
    long bytes = 0;
    var chunks = 0L;
    var documents = 0;
    var batches = 0;
    // Keyword indexing only: nothing here embeds, so the wake-ups go unheard.
    using var embedding = new WakeSignal<KnowledgeEmbeddingWorker>();
    var vectors = new KnowledgeVectorEvictions(
        new KnowledgeVectorCache(TimeProvider.System), new Parley.Server.Infrastructure.Cluster.ClusterAnnouncements(new Parley.Server.Infrastructure.Cluster.LocalOnlyBus()));
    var ingestion = Stopwatch.StartNew();
    while (chunks < targetChunks)
    {
        var (workspaceId, botId) = bots[batches++ % bots.Count];
        await using var db = Context(workspaceId);
        // Index never fetches: a URL source is the only kind that needs the fetcher.
        var indexer = new KnowledgeIngestion(db, null!, TimeProvider.System, embedding, vectors);
        for (var i = 0; i < 50 && chunks < targetChunks; i++, documents++)
        {
            var (title, markdown) = corpus.Document(approxBytes: 12_000);
            var source = new KnowledgeSource
            {
                Id = IdGenerator.Default.New(IdPrefix.KnowledgeSource),
                WorkspaceId = workspaceId,
                BotId = botId,
                Type = KnowledgeSourceKinds.Markdown,
                Title = title,
                Content = markdown,
                Status = KnowledgeSourceKinds.Processing,
                ContentLength = Encoding.UTF8.GetByteCount(markdown),
                CreatedAt = DateTimeOffset.UtcNow,
                UpdatedAt = DateTimeOffset.UtcNow,
            };
            db.KnowledgeSources.Add(source);
            indexer.Index(source, KnowledgeIngestion.Blocks(source.Type, markdown));
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
            bytes += source.ContentLength;
            chunks += source.ChunkCount;
        }
    }
    ingestion.Stop();
    await using (var db = Context(null))
    {
        await db.Database.ExecuteSqlRawAsync("""INSERT INTO "KnowledgeChunkSearch"("KnowledgeChunkSearch") VALUES ('optimize'); ANALYZE;""");
    }
    var megabytes = bytes / 1024.0 / 1024.0;
    Console.WriteLine($"ingested {documents:N0} documents, {chunks:N0} chunks, {megabytes:N1} MB of text across {bots.Count} bots " +
        $"in {ingestion.Elapsed.TotalSeconds:N1} s: {megabytes / ingestion.Elapsed.TotalSeconds:N2} MB/s, {chunks / ingestion.Elapsed.TotalSeconds:N0} chunks/s");
    return chunks;
}

async Task<List<(string WorkspaceId, string BotId)>> CreateBotsAsync(int count)
{
    await using var db = Context(null);
    await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;");
    await db.Database.MigrateAsync();
    var bots = new List<(string, string)>();
    for (var i = 0; i < count; i++)
    {
        var workspace = new Workspace { Id = IdGenerator.Default.New(IdPrefix.Workspace), Name = $"Bench {i}", CreatedAt = DateTimeOffset.UtcNow };
        var bot = new Bot { Id = IdGenerator.Default.New(IdPrefix.Bot), WorkspaceId = workspace.Id, Name = $"Bench bot {i}", FallbackText = "Sorry." };
        db.AddRange(workspace, bot);
        bots.Add((workspace.Id, bot.Id));
    }
    await db.SaveChangesAsync();
    return bots;
}
