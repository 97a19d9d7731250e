using System.ComponentModel.DataAnnotations;
using Parley.Data.Entities;
using Parley.Engine.Keys;

namespace Parley.Server.Features.ApiKeys;

/// <summary>Create a key. Secret keys may be narrowed to <c>scopes</c>; publishable keys need a <c>bot_id</c> and <c>allowed_origins</c>.</summary>
public sealed record CreateApiKeyRequest(
    [property: Required] string? Name = null,
    ApiKeyKind? Kind = null,
    List<string>? Scopes = null,
    List<string>? AllowedOrigins = null,
    string? BotId = null);

/// <summary>An API key. <c>secret</c> holds the whole token of a new secret key, in the creation response only.</summary>
public sealed record ApiKeyResponse(
    string Id,
    ApiKeyKind Kind,
    string Name,
    string Prefix,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> AllowedOrigins,
    string? BotId,
    string? PublishableKey,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt,
    string? Secret = null)
{
    public static ApiKeyResponse From(ApiKey key, string? secret = null) => new(
        key.Id, key.Kind, key.Name, key.Prefix, key.Scopes, key.AllowedOrigins, key.BotId, key.PublishableToken,
        key.CreatedAt, key.LastUsedAt, key.RevokedAt, secret);
}
