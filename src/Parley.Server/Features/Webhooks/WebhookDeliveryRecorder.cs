using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Events;
using Parley.Engine.Ids;
using Parley.Engine.Webhooks;
using Parley.Server.Features.Events;

namespace Parley.Server.Features.Webhooks;

/// <summary>
/// Applies the outcome of an attempt to its delivery and endpoint: the attempt log, the next retry or the final
/// status, the endpoint's health, and disabling an endpoint that answered 410 Gone or kept failing for
/// <see cref="WebhookOptions.DisableAfter"/>. Changes are staged; the caller saves them.
/// </summary>
public sealed class WebhookDeliveryRecorder(
    ParleyDbContext db, EventLog events, IdGenerator ids, TimeProvider time,
    IOptionsMonitor<WebhookOptions> options)
{
    /// <summary>
    /// Returns true when the endpoint was disabled by this outcome; the caller evicts the workspace's cached
    /// subscriptions after saving (evicting before would let the save itself cache the endpoint as still enabled).
    /// </summary>
    public bool Record(WebhookEndpoint endpoint, WebhookDelivery delivery, WebhookAttemptResult result)
    {
        var now = time.GetUtcNow();
        db.WebhookAttempts.Add(new WebhookAttempt
        {
            Id = ids.New(IdPrefix.WebhookAttempt),
            WorkspaceId = delivery.WorkspaceId,
            DeliveryId = delivery.Id,
            EndpointId = endpoint.Id,
            AttemptedAt = now,
            DurationMs = result.DurationMs,
            StatusCode = result.StatusCode,
            ResponseExcerpt = result.ResponseExcerpt,
            Error = result.Error,
            Succeeded = result.Succeeded,
        });
        delivery.Attempts++;
        delivery.LastAttemptAt = now;
        delivery.LastStatusCode = result.StatusCode;
        delivery.LastError = result.Error;
        delivery.LeaseUntil = null;
        delivery.LeaseOwner = null;

        if (result.Succeeded)
        {
            delivery.Status = WebhookDeliveryStatus.Delivered;
            delivery.DeliveredAt = now;
            endpoint.ConsecutiveFailures = 0;
            endpoint.FailingSince = null;
            endpoint.LastSuccessAt = now;
            return false;
        }

        endpoint.ConsecutiveFailures++;
        endpoint.FailingSince ??= now;
        endpoint.LastFailureAt = now;
        endpoint.LastFailure = result.Error;
        if (result.StatusCode == StatusCodes.Status410Gone)
        {
            delivery.Status = WebhookDeliveryStatus.Failed;
            Disable(endpoint, "The receiver answered 410 Gone: it asked not to be sent events any more.");
            return true;
        }

        var wait = RetrySchedule.NextDelay(options.CurrentValue.EffectiveRetrySchedule, delivery.Attempts, Random.Shared.NextDouble());
        if (wait is { } delay)
        {
            delivery.NextAttemptAt = now + delay;
        }
        else
        {
            delivery.Status = WebhookDeliveryStatus.Failed;
        }
        if (now - endpoint.FailingSince >= options.CurrentValue.DisableAfter)
        {
            Disable(endpoint, $"Every delivery failed for {options.CurrentValue.DisableAfter.TotalHours:0.#} hours; last error: {result.Error}");
            return true;
        }
        return false;
    }

    private void Disable(WebhookEndpoint endpoint, string reason)
    {
        endpoint.Enabled = false;
        endpoint.DisabledReason = reason;
        endpoint.UpdatedAt = time.GetUtcNow();
        events.Add(EventTypes.WebhookEndpointDisabled, null, new { endpoint = WebhookEndpointResponse.From(endpoint), reason }, endpoint.WorkspaceId);
    }
}
