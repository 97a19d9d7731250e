namespace Parley.Data.Entities;

/// <summary>One event to deliver to one endpoint: the outbox row, written in the transaction that raised the event.</summary>
public sealed class WebhookDelivery : IWorkspaceOwned, ILeased
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string EndpointId { get; init; }
    public required string EventId { get; init; }
    public required string EventType { get; init; }

    /// <summary>The conversation the event belongs to: deliveries of one conversation to one endpoint keep their order.</summary>
    public string? ConversationId { get; init; }

    /// <summary><c>pending</c>, <c>delivered</c> or <c>failed</c> (every retry used).</summary>
    public required string Status { get; set; }

    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>A node working on the delivery holds it until then; another node may take it over afterwards.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }

    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}
