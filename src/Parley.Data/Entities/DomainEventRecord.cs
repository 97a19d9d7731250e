namespace Parley.Data.Entities;

/// <summary>
/// One entry of the append-only domain event log (<c>evt_…</c>), written in the same transaction as the change
/// that raised it; webhooks and <c>GET /v1/events</c> read from here.
/// </summary>
public sealed class DomainEventRecord : IWorkspaceOwned, IHasId
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string Type { get; init; }
    public string? ConversationId { get; init; }

    /// <summary>The event's <c>data</c> object as JSON, exactly as delivered.</summary>
    public required string DataJson { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
