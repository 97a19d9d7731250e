using System.Collections.Concurrent;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Microsoft.EntityFrameworkCore;
using Parley.Engine.Knowledge;

namespace Parley.Data.Knowledge;

/// <summary>
/// Each bot's chunk vectors in memory, one contiguous array per bot, read from the database the first time the bot is
/// searched by meaning and dropped when its knowledge changes. When the bots held take more than the budget, those
/// searched longest ago are evicted; a bot without knowledge is never loaded. (PostgreSQL has no vector index on these
/// servers, so both providers search the same way, in process.)
/// </summary>
public sealed class KnowledgeVectorCache(TimeProvider time, long budgetBytes = KnowledgeVectorCache.DefaultBudgetBytes)
{
    public const long DefaultBudgetBytes = 256L * 1024 * 1024;

    private readonly ConcurrentDictionary<string, Lazy<Task<BotVectors>>> _bots = new(StringComparer.Ordinal);

    /// <summary>The vectors of <paramref name="botId"/> made by <paramref name="model"/>, loaded on first use.</summary>
    public async Task<BotVectors> GetAsync(ParleyDbContext db, string botId, string model, CancellationToken cancellationToken)
    {
        var key = botId + "\n" + model;
        BotVectors vectors;
        for (var attempt = 1; ; attempt++)
        {
            var mine = new Lazy<Task<BotVectors>>(() => BotVectors.LoadAsync(db, botId, model, CancellationToken.None));
            var lazy = _bots.GetOrAdd(key, mine);
            try
            {
                vectors = await lazy.Value.WaitAsync(cancellationToken);
                break;
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                _bots.TryRemove(new KeyValuePair<string, Lazy<Task<BotVectors>>>(key, lazy));
                // A load another request started runs on that request's DbContext, which goes when that request ends
                // (or is cancelled) mid-load: a waiter whose own load did not fail loads again on its own context.
                if (lazy == mine || attempt == 2)
                {
                    throw;
                }
            }
        }
        vectors.LastUsed = time.GetTimestamp();
        Evict();
        return vectors;
    }

    /// <summary>Forgets a bot's vectors, so the next search reads them again (after its chunks or vectors changed).</summary>
    public void Invalidate(string botId)
    {
        foreach (var key in _bots.Keys.Where(k => k.StartsWith(botId + "\n", StringComparison.Ordinal)))
        {
            _bots.TryRemove(key, out _);
        }
    }

    /// <summary>The memory the loaded bots take, in bytes (vectors and vocabularies, estimated).</summary>
    public long LoadedBytes => Loaded().Sum(x => x.Vectors.Bytes);

    private IEnumerable<(string Key, BotVectors Vectors)> Loaded() =>
        _bots.Where(x => x.Value.IsValueCreated && x.Value.Value.IsCompletedSuccessfully).Select(x => (x.Key, x.Value.Value.Result));

    private void Evict()
    {
        var loaded = Loaded().OrderBy(x => x.Vectors.LastUsed).ToList();
        var total = loaded.Sum(x => x.Vectors.Bytes);
        // The bot just searched is the most recent and stays, even alone over the budget.
        for (var i = 0; i < loaded.Count - 1 && total > budgetBytes; i++)
        {
            _bots.TryRemove(loaded[i].Key, out _);
            total -= loaded[i].Vectors.Bytes;
        }
    }
}

/// <summary>One bot's chunk vectors, rows of one array, and the words of its knowledge base.</summary>
public sealed class BotVectors
{
    private readonly long[] _chunkIds;
    private readonly float[] _matrix;
    private readonly Dictionary<long, int> _rows;

    private BotVectors(long[] chunkIds, float[] matrix, int dimensions, HashSet<string> vocabulary)
    {
        _chunkIds = chunkIds;
        _matrix = matrix;
        Dimensions = dimensions;
        Vocabulary = vocabulary;
        _rows = new Dictionary<long, int>(chunkIds.Length);
        for (var i = 0; i < chunkIds.Length; i++)
        {
            _rows[chunkIds[i]] = i;
        }
        Bytes = (matrix.Length * sizeof(float)) + (chunkIds.Length * 40L) + vocabulary.Sum(w => 40L + (2L * w.Length));
    }

    public int Count => _chunkIds.Length;
    public int Dimensions { get; }
    public IReadOnlySet<string> Vocabulary { get; }
    public long Bytes { get; }
    internal long LastUsed { get; set; }

    /// <summary>The <paramref name="count"/> chunks closest to <paramref name="query"/>, closest first.</summary>
    public IReadOnlyList<(long ChunkId, double Similarity)> Nearest(float[] query, int count)
    {
        if (Count == 0 || query.Length != Dimensions || count <= 0)
        {
            return [];
        }
        // A min-heap of the best rows so far: the scan allocates nothing per row, so a large bot makes no garbage.
        var best = new PriorityQueue<int, (float Similarity, int Row)>(count + 1, WorseFirst.Instance);
        var matrix = _matrix.AsSpan();
        var vector = query.AsSpan();
        var worst = (Similarity: float.NegativeInfinity, Row: int.MaxValue);
        for (var row = 0; row < _chunkIds.Length; row++)
        {
            var candidate = (TensorPrimitives.Dot(vector, matrix.Slice(row * Dimensions, Dimensions)), row);
            if (best.Count < count)
            {
                best.Enqueue(row, candidate);
                if (best.Count == count)
                {
                    best.TryPeek(out _, out worst);
                }
            }
            else if (WorseFirst.Instance.Compare(candidate, worst) > 0)
            {
                best.EnqueueDequeue(row, candidate);
                best.TryPeek(out _, out worst);
            }
        }
        var nearest = new (long ChunkId, double Similarity)[best.Count];
        for (var i = nearest.Length - 1; i >= 0; i--)
        {
            best.TryDequeue(out var row, out var scored);
            nearest[i] = (_chunkIds[row], scored.Similarity);
        }
        return nearest;
    }

    /// <summary>Orders scored rows worst first: lower similarity, then (on a tie) the later row, so ties keep row order.</summary>
    private sealed class WorseFirst : IComparer<(float Similarity, int Row)>
    {
        public static readonly WorseFirst Instance = new();

        public int Compare((float Similarity, int Row) x, (float Similarity, int Row) y) =>
            x.Similarity != y.Similarity ? x.Similarity.CompareTo(y.Similarity) : y.Row.CompareTo(x.Row);
    }

    /// <summary>The similarity of one chunk to the query, or null when the chunk has no vector yet.</summary>
    public double? Similarity(long chunkId, float[] query) =>
        _rows.TryGetValue(chunkId, out var row) && query.Length == Dimensions
            ? VectorMath.Dot(query, _matrix.AsSpan(row * Dimensions, Dimensions))
            : null;

    internal static async Task<BotVectors> LoadAsync(ParleyDbContext db, string botId, string model, CancellationToken cancellationToken)
    {
        var rows = await db.KnowledgeChunkVectors.AsNoTracking()
            .Where(v => v.BotId == botId && v.Model == model)
            .Select(v => new { v.ChunkId, v.Vector })
            .ToListAsync(cancellationToken);
        var dimensions = rows.Count == 0 ? 0 : rows[0].Vector.Length / sizeof(float);
        rows.RemoveAll(r => r.Vector.Length != dimensions * sizeof(float));
        var matrix = new float[rows.Count * dimensions];
        for (var i = 0; i < rows.Count; i++)
        {
            MemoryMarshal.Cast<byte, float>(rows[i].Vector).CopyTo(matrix.AsSpan(i * dimensions, dimensions));
        }
        var vocabulary = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var chunk in db.KnowledgeChunks.AsNoTracking().Where(c => c.BotId == botId)
            .Select(c => new { c.SearchHeading, c.SearchBody }).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            vocabulary.UnionWith(chunk.SearchHeading.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            vocabulary.UnionWith(chunk.SearchBody.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        return new BotVectors([.. rows.Select(r => r.ChunkId)], matrix, dimensions, vocabulary);
    }

    /// <summary>A vector as stored: its floats' bytes.</summary>
    public static byte[] ToBytes(float[] vector) => MemoryMarshal.AsBytes(vector.AsSpan()).ToArray();
}
