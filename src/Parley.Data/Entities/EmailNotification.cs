namespace Parley.Data.Entities;

/// <summary>An email to send about an event: an outbox row written in the event's transaction, retried until sent.</summary>
public sealed class EmailNotification : IWorkspaceOwned, ILeased
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string EventId { get; init; }
    public required string EventType { get; init; }
    public List<string> To { get; init; } = [];

    /// <summary><c>pending</c>, <c>sent</c> or <c>failed</c>.</summary>
    public required string Status { get; set; }

    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }

    /// <summary>The node sending the email while <see cref="LeaseUntil"/> holds.</summary>
    public string? LeaseOwner { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}
