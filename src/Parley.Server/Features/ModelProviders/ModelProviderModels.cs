using System.ComponentModel.DataAnnotations;
using Parley.Data.Entities;

namespace Parley.Server.Features.ModelProviders;

/// <summary>
/// Connect a model service. <c>kind</c> is <c>openai</c> (any OpenAI-compatible endpoint: OpenAI, Azure OpenAI, Ollama,
/// vLLM, LM Studio, llama.cpp server) or <c>anthropic</c>. <c>base_url</c> defaults to the service's public endpoint;
/// <c>api_key</c> is stored encrypted and never returned.
/// </summary>
public sealed record CreateModelProviderRequest(
    [property: Required] string? Name = null,
    [property: Required] string? Kind = null,
    string? BaseUrl = null,
    string? ApiKey = null,
    string? DefaultModel = null);

/// <summary>Change a connection: fields left out (or null) stay; an empty string clears <c>base_url</c>, <c>api_key</c> or <c>default_model</c>.</summary>
public sealed record UpdateModelProviderRequest(
    string? Name = null,
    string? BaseUrl = null,
    string? ApiKey = null,
    string? DefaultModel = null);

/// <summary>
/// A model provider connection. The API key is never returned: <c>api_key_hint</c> shows its last four characters
/// (null when no key is set).
/// </summary>
public sealed record ModelProviderResponse(
    string Id,
    string Name,
    string Kind,
    string? BaseUrl,
    bool HasApiKey,
    string? ApiKeyHint,
    string? DefaultModel,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static ModelProviderResponse From(ModelProvider p) => new(
        p.Id, p.Name, p.Kind, p.BaseUrl, p.ApiKeyProtected is not null, p.ApiKeyHint, p.DefaultModel, p.CreatedAt, p.UpdatedAt);
}

/// <summary>Which model to ask in a connection test; the connection's <c>default_model</c> when left out.</summary>
public sealed record TestModelProviderRequest(string? Model = null);

/// <summary>
/// The outcome of a connection test: <c>succeeded</c> with the model's <c>reply</c>, or the <c>error</c> the provider
/// (or the network) gave, and how long it took.
/// </summary>
public sealed record ModelProviderTestResponse(bool Succeeded, string Model, string? Reply, string? Error, double DurationMs);
