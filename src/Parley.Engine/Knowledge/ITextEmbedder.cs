namespace Parley.Engine.Knowledge;

/// <summary>
/// Turns text into unit vectors whose dot product says how close two texts are in meaning. The model runs in process;
/// until it has loaded (<see cref="IsReady"/>), questions are answered from keywords alone.
/// </summary>
public interface ITextEmbedder
{
    /// <summary>Names the model and its version; stored beside every vector so a new model re-embeds.</summary>
    string ModelId { get; }

    /// <summary>Whether the model has loaded. Asking starts loading it in the background.</summary>
    bool IsReady { get; }

    /// <summary>The vector of a visitor's question, or null while the model is still loading.</summary>
    ValueTask<float[]?> EmbedQueryAsync(string question, CancellationToken cancellationToken);

    /// <summary>The vectors of passages or sentences, in order; waits for the model to load.</summary>
    ValueTask<float[][]> EmbedPassagesAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken);
}
