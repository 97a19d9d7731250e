namespace Parley.Data.Entities;

/// <summary>A data key for PII encryption, itself encrypted by ASP.NET Data Protection. The newest one encrypts.</summary>
public sealed class EncryptionKey
{
    public required string Id { get; init; }

    /// <summary>The 256-bit key, protected by Data Protection (whose keys live in the same database).</summary>
    public required string ProtectedKey { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}
