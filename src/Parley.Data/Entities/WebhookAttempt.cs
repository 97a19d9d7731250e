namespace Parley.Data.Entities;

/// <summary>One HTTP attempt of a delivery, as the receiver answered it.</summary>
public sealed class WebhookAttempt : IWorkspaceOwned, IHasId
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string DeliveryId { get; init; }
    public required string EndpointId { get; init; }
    public DateTimeOffset AttemptedAt { get; init; }
    public double DurationMs { get; init; }
    public int? StatusCode { get; init; }

    /// <summary>The start of the response body, at most 1 KB.</summary>
    public string? ResponseExcerpt { get; init; }

    public string? Error { get; init; }
    public bool Succeeded { get; init; }
}
