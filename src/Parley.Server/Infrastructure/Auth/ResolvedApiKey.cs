using Parley.Engine.Keys;

namespace Parley.Server.Infrastructure.Auth;

/// <summary>What the server needs to know about a key to authenticate a request, cached briefly.</summary>
public sealed record ResolvedApiKey(
    string Id,
    string WorkspaceId,
    ApiKeyKind Kind,
    byte[] TokenHash,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> AllowedOrigins,
    string? BotId);
