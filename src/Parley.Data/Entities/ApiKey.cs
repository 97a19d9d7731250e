using Parley.Engine.Keys;

namespace Parley.Data.Entities;

public sealed class ApiKey : IWorkspaceOwned, IHasId
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public ApiKeyKind Kind { get; init; }
    public required string Name { get; set; }

    /// <summary>The first characters of the token, kept to tell keys apart in lists.</summary>
    public required string Prefix { get; init; }

    /// <summary>SHA-256 of the token; the token itself is never stored for secret keys.</summary>
    public required byte[] TokenHash { get; init; }

    /// <summary>The whole token of a publishable key, which is public by design; null for secret keys.</summary>
    public string? PublishableToken { get; init; }

    /// <summary>Scopes a secret key is narrowed to; empty means full access to its workspace.</summary>
    public List<string> Scopes { get; init; } = [];

    /// <summary>Origins a publishable key may be used from (<c>https://shop.example</c>).</summary>
    public List<string> AllowedOrigins { get; init; } = [];

    /// <summary>The bot a publishable key opens widget sessions for.</summary>
    public string? BotId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
