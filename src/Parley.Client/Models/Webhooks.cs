namespace Parley.Client.Models;

public sealed record CreateWebhookEndpointRequest(string? Url = null, IReadOnlyList<string>? Events = null, string? Description = null, bool? Enabled = null);

public sealed record UpdateWebhookEndpointRequest(string? Url = null, IReadOnlyList<string>? Events = null, string? Description = null, bool? Enabled = null);

public sealed record WebhookHealthHour(DateTimeOffset Hour, int Succeeded, int Failed);

public sealed record WebhookEndpointHealth(
    int Attempts24h, double? SuccessRate24h, double? MedianLatencyMs24h, int ConsecutiveFailures, DateTimeOffset? FailingSince,
    DateTimeOffset? LastSuccessAt, DateTimeOffset? LastFailureAt, string? LastFailure, int PendingDeliveries, IReadOnlyList<WebhookHealthHour> Hours);

/// <summary>A webhook endpoint; <c>Secret</c> is set only in the answer to creating it or rotating its secret.</summary>
public sealed record WebhookEndpointResponse(
    string Id, string Url, string? Description, IReadOnlyList<string> Events, bool Enabled, string? DisabledReason,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, WebhookEndpointHealth? Health, string? Secret);

public sealed record WebhookAttemptResponse(
    string Id, DateTimeOffset AttemptedAt, double DurationMs, int? StatusCode, bool Succeeded, string? ResponseExcerpt, string? Error);

public sealed record WebhookDeliveryResponse(
    string Id, string EndpointId, string EventId, string EventType, string Status, int AttemptCount, DateTimeOffset? NextAttemptAt,
    DateTimeOffset? LastAttemptAt, int? LastStatusCode, string? LastError, DateTimeOffset? DeliveredAt, DateTimeOffset CreatedAt,
    IReadOnlyList<WebhookAttemptResponse>? Attempts);

public sealed record WebhookTestResponse(
    string DeliveryId, string EventId, bool Succeeded, int? StatusCode, double DurationMs, string? ResponseExcerpt, string? Error);
