namespace Parley.Data.Entities;

/// <summary>The stored outcome of a POST sent with an <c>Idempotency-Key</c>, replayed for 24 hours.</summary>
public sealed class IdempotencyRecord : IWorkspaceOwned
{
    public required string WorkspaceId { get; init; }
    public required string Key { get; init; }

    /// <summary>SHA-256 over method, path and body: the same key with another request is a conflict.</summary>
    public required byte[] RequestHash { get; init; }

    public int StatusCode { get; init; }
    public required string ResponseJson { get; init; }
    public string? Location { get; init; }

    /// <summary>The other headers that describe the result (<c>Content-Type</c>, <c>Server-Timing</c>), replayed as they were.</summary>
    public Dictionary<string, string> Headers { get; init; } = [];
    public DateTimeOffset CreatedAt { get; init; }
}
