namespace Parley.Client.Models;

public sealed record CreateModelProviderRequest(
    string? Name = null, string? Kind = null, string? BaseUrl = null, string? ApiKey = null, string? DefaultModel = null);

public sealed record UpdateModelProviderRequest(string? Name = null, string? BaseUrl = null, string? ApiKey = null, string? DefaultModel = null);

/// <summary>A model provider connection; the API key never comes back, only its last characters in <c>ApiKeyHint</c>.</summary>
public sealed record ModelProviderResponse(
    string Id, string Name, string Kind, string? BaseUrl, bool HasApiKey, string? ApiKeyHint, string? DefaultModel,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record TestModelProviderRequest(string? Model = null);

public sealed record ModelProviderTestResponse(bool Succeeded, string Model, string? Reply, string? Error, double DurationMs);
