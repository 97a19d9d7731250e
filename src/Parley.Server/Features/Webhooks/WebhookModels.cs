using System.ComponentModel.DataAnnotations;
using Parley.Data.Entities;

namespace Parley.Server.Features.Webhooks;

/// <summary>Subscribe a URL to events: <c>events</c> lists types, or <c>["*"]</c> for all.</summary>
public sealed record CreateWebhookEndpointRequest(
    [property: Required] string? Url = null,
    [property: Required] List<string>? Events = null,
    string? Description = null,
    bool? Enabled = null);

/// <summary>Change an endpoint; fields left out stay as they are. Enabling it again resumes its pending deliveries.</summary>
public sealed record UpdateWebhookEndpointRequest(string? Url = null, List<string>? Events = null, string? Description = null, bool? Enabled = null);

/// <summary>How an endpoint has been doing over the last 24 hours.</summary>
public sealed record WebhookEndpointHealth(
    int Attempts24h,
    double? SuccessRate24h,
    double? MedianLatencyMs24h,
    int ConsecutiveFailures,
    DateTimeOffset? FailingSince,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset? LastFailureAt,
    string? LastFailure,
    int PendingDeliveries,
    IReadOnlyList<WebhookHealthHour> Hours);

/// <summary>One hour of the last 24: attempts that succeeded and failed, oldest hour first.</summary>
public sealed record WebhookHealthHour(DateTimeOffset Hour, int Succeeded, int Failed);

/// <summary>
/// A webhook endpoint. <c>secret</c> (<c>whsec_…</c>) is shown only when the endpoint is created or its secret rotated.
/// </summary>
public sealed record WebhookEndpointResponse(
    string Id,
    string Url,
    string? Description,
    IReadOnlyList<string> Events,
    bool Enabled,
    string? DisabledReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    WebhookEndpointHealth? Health,
    string? Secret = null)
{
    public static WebhookEndpointResponse From(WebhookEndpoint e, WebhookEndpointHealth? health = null, string? secret = null) =>
        new(e.Id, e.Url, e.Description, e.Events, e.Enabled, e.DisabledReason, e.CreatedAt, e.UpdatedAt, health, secret);
}

public sealed record WebhookAttemptResponse(
    string Id, DateTimeOffset AttemptedAt, double DurationMs, int? StatusCode, bool Succeeded, string? ResponseExcerpt, string? Error)
{
    public static WebhookAttemptResponse From(WebhookAttempt a) =>
        new(a.Id, a.AttemptedAt, a.DurationMs, a.StatusCode, a.Succeeded, a.ResponseExcerpt, a.Error);
}

/// <summary>One event on its way to one endpoint; <c>attempts</c> are listed when reading a single delivery.</summary>
public sealed record WebhookDeliveryResponse(
    string Id,
    string EndpointId,
    string EventId,
    string EventType,
    string Status,
    int AttemptCount,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? LastAttemptAt,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset CreatedAt,
    IReadOnlyList<WebhookAttemptResponse>? Attempts = null)
{
    public static WebhookDeliveryResponse From(WebhookDelivery d, IReadOnlyList<WebhookAttemptResponse>? attempts = null) => new(
        d.Id, d.EndpointId, d.EventId, d.EventType, d.Status, d.Attempts,
        d.Status == WebhookDeliveryStatus.Pending ? d.NextAttemptAt : null,
        d.LastAttemptAt, d.LastStatusCode, d.LastError, d.DeliveredAt, d.CreatedAt, attempts);
}

/// <summary>What the receiver answered to a test event, sent at once.</summary>
public sealed record WebhookTestResponse(string DeliveryId, string EventId, bool Succeeded, int? StatusCode, double DurationMs, string? ResponseExcerpt, string? Error);

public static class WebhookDeliveryStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}
