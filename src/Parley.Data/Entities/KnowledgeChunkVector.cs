namespace Parley.Data.Entities;

/// <summary>
/// The embedding of one knowledge chunk: <see cref="Vector"/> holds 32-bit floats (a unit vector), made by the model
/// named in <see cref="Model"/> from the text whose hash is <see cref="ContentHash"/>. A vector of another model or of
/// other text is stale and is made again; one of the same text is reused when a source is re-read.
/// </summary>
public sealed class KnowledgeChunkVector : IWorkspaceOwned
{
    public long ChunkId { get; init; }
    public required string WorkspaceId { get; init; }
    public required string BotId { get; init; }
    public required string Model { get; init; }
    public required string ContentHash { get; init; }
    public required byte[] Vector { get; init; }
}
