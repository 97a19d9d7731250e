namespace Parley.Data.Entities;

/// <summary>
/// A workspace's connection to a model service: an OpenAI-compatible endpoint (<c>openai</c>) or Anthropic
/// (<c>anthropic</c>). Bots name it in <c>model.provider</c>.
/// </summary>
public sealed class ModelProvider : IWorkspaceOwned, IHasId
{
    public const string OpenAi = "openai";
    public const string Anthropic = "anthropic";

    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string Name { get; set; }

    /// <summary><see cref="OpenAi"/> or <see cref="Anthropic"/>.</summary>
    public required string Kind { get; set; }

    /// <summary>The endpoint's base URL; null for the service's public default.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The API key, encrypted with ASP.NET Data Protection; null for endpoints that need none (a local server).</summary>
    public string? ApiKeyProtected { get; set; }

    /// <summary>The last characters of the API key, so people can tell keys apart without seeing them.</summary>
    public string? ApiKeyHint { get; set; }

    /// <summary>The model used when a bot names none.</summary>
    public string? DefaultModel { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}
