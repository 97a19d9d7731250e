using Parley.Server.Infrastructure.Background;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Tenancy;
using Parley.Engine.Events;
using Parley.Engine.Ids;
using Parley.Engine.Webhooks;
using Parley.Server.Features.Bots;
using Parley.Server.Features.Events;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Idempotency;
using Parley.Server.Infrastructure.Outbound;
using Parley.Server.Infrastructure.Paging;

namespace Parley.Server.Features.Webhooks;

public static class WebhookEndpoints
{
    /// <summary>After a rotation the old secret keeps signing beside the new one for this long.</summary>
    public static readonly TimeSpan RotationOverlap = TimeSpan.FromHours(24);

    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder api)
    {
        var endpoints = api.MapGroup("/webhook-endpoints").WithTags("Webhooks");
        endpoints.MapPost("/", Create).RequireScope(Scopes.WebhooksWrite)
            .WithName("CreateWebhookEndpoint").WithSummary("Subscribe a URL to events")
            .WithDescription("Returns the endpoint with its signing secret (`whsec_…`), shown this once. Deliveries are signed per Standard Webhooks.");
        endpoints.MapGet("/", List).RequireScope(Scopes.WebhooksRead)
            .WithName("ListWebhookEndpoints").WithSummary("List webhook endpoints, with their health");
        endpoints.MapGet("/{id}", Get).RequireScope(Scopes.WebhooksRead)
            .WithName("GetWebhookEndpoint").WithSummary("Get a webhook endpoint and its health over the last 24 hours");
        endpoints.MapPatch("/{id}", Update).RequireScope(Scopes.WebhooksWrite)
            .WithName("UpdateWebhookEndpoint").WithSummary("Update a webhook endpoint")
            .WithDescription("Enabling a disabled endpoint resumes its pending deliveries.");
        endpoints.MapDelete("/{id}", Delete).RequireScope(Scopes.WebhooksWrite)
            .WithName("DeleteWebhookEndpoint").WithSummary("Delete a webhook endpoint");
        endpoints.MapPost("/{id}/rotate-secret", RotateSecret).RequireScope(Scopes.WebhooksWrite)
            .WithName("RotateWebhookSecret").WithSummary("Rotate the signing secret")
            .WithDescription("Returns the new secret once. For 24 hours deliveries carry two signatures, one per secret, so receivers can switch without missing events.");
        endpoints.MapGet("/{id}/deliveries", ListDeliveries).RequireScope(Scopes.WebhooksRead)
            .WithName("ListWebhookDeliveries").WithSummary("The delivery log of an endpoint")
            .WithDescription("Newest first. Filter by `status` (pending, delivered, failed) and `event_type`.");
        endpoints.MapPost("/{id}/test", SendTest).RequireScope(Scopes.WebhooksWrite)
            .WithName("TestWebhookEndpoint").WithSummary("Send a webhook.test event now")
            .WithDescription("Sends at once and answers with the receiver's status and timing; the attempt is logged like any other.");

        var deliveries = api.MapGroup("/webhook-deliveries").WithTags("Webhooks");
        deliveries.MapGet("/{id}", GetDelivery).RequireScope(Scopes.WebhooksRead)
            .WithName("GetWebhookDelivery").WithSummary("A delivery with every attempt");
        deliveries.MapPost("/{id}/retry", Retry).RequireScope(Scopes.WebhooksWrite)
            .WithName("RetryWebhookDelivery").WithSummary("Send a delivery again now")
            .WithDescription("Works on failed and delivered deliveries alike (a replay); the receiver sees the same `webhook-id`.");
        return api;
    }

    public static async Task<Created<WebhookEndpointResponse>> Create(
        CreateWebhookEndpointRequest request, ParleyDbContext db, WorkspaceScope workspace, WebhookSecrets secrets,
        WebhookSubscriptions subscriptions, IdempotencyScope idempotency, IOptionsMonitor<NetworkOptions> network,
        IdGenerator ids, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        WebhookEndpointValidation.CheckUrl(errors, request.Url, network.CurrentValue.AllowPrivateTargets);
        var events = WebhookEndpointValidation.CheckEvents(errors, request.Events);
        if (request.Description?.Length > 500)
        {
            errors["description"] = ["description may be at most 500 characters."];
        }
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(errors);
        }
        var secret = WebhookSignature.NewSecret();
        var now = time.GetUtcNow();
        var endpoint = new WebhookEndpoint
        {
            Id = ids.New(IdPrefix.WebhookEndpoint),
            WorkspaceId = workspace.WorkspaceId!,
            Url = request.Url!,
            Description = request.Description,
            Events = events,
            Enabled = request.Enabled ?? true,
            SecretProtected = secrets.Protect(secret),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.WebhookEndpoints.Add(endpoint);
        var response = WebhookEndpointResponse.From(endpoint, secret: secret);
        // The secret is shown once: a replay returns the endpoint without it.
        await idempotency.SaveChangesAsync(201, () => response with { Secret = null }, cancellationToken, $"/v1/webhook-endpoints/{endpoint.Id}");
        subscriptions.Evict(endpoint.WorkspaceId);
        return TypedResults.Created($"/v1/webhook-endpoints/{endpoint.Id}", response);
    }

    public static async Task<CursorPage<WebhookEndpointResponse>> List(
        ParleyDbContext db, TimeProvider time, int? limit, string? after, CancellationToken cancellationToken)
    {
        var page = await Paging.NewestFirstAsync(db.WebhookEndpoints.AsNoTracking(), limit, after, e => e, cancellationToken);
        var now = time.GetUtcNow();
        var withHealth = new List<WebhookEndpointResponse>(page.Data.Count);
        foreach (var endpoint in page.Data)
        {
            withHealth.Add(WebhookEndpointResponse.From(endpoint, await WebhookHealthQuery.ForAsync(db, endpoint, now, cancellationToken)));
        }
        return new CursorPage<WebhookEndpointResponse>(withHealth, page.HasMore, page.NextCursor);
    }

    public static async Task<Ok<WebhookEndpointResponse>> Get(string id, ParleyDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var endpoint = await Find(db, id, cancellationToken);
        return TypedResults.Ok(WebhookEndpointResponse.From(endpoint, await WebhookHealthQuery.ForAsync(db, endpoint, time.GetUtcNow(), cancellationToken)));
    }

    public static async Task<Ok<WebhookEndpointResponse>> Update(
        string id, UpdateWebhookEndpointRequest request, ParleyDbContext db, WebhookSubscriptions subscriptions, WakeSignal<WebhookDispatcher> signal,
        IOptionsMonitor<NetworkOptions> network, TimeProvider time, CancellationToken cancellationToken)
    {
        var endpoint = await Find(db, id, cancellationToken);
        var errors = new Dictionary<string, string[]>();
        if (request.Url is not null)
        {
            WebhookEndpointValidation.CheckUrl(errors, request.Url, network.CurrentValue.AllowPrivateTargets);
            endpoint.Url = request.Url;
        }
        if (request.Events is not null)
        {
            endpoint.Events = WebhookEndpointValidation.CheckEvents(errors, request.Events);
        }
        if (request.Description is not null)
        {
            if (request.Description.Length > 500)
            {
                errors["description"] = ["description may be at most 500 characters."];
            }
            endpoint.Description = request.Description.Length == 0 ? null : request.Description;
        }
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(errors);
        }
        if (request.Enabled is { } enabled && enabled != endpoint.Enabled)
        {
            endpoint.Enabled = enabled;
            endpoint.DisabledReason = null;
            if (enabled)
            {
                endpoint.FailingSince = null;
                endpoint.ConsecutiveFailures = 0;
            }
        }
        endpoint.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        subscriptions.Evict(endpoint.WorkspaceId);
        signal.Notify();
        return TypedResults.Ok(WebhookEndpointResponse.From(endpoint, await WebhookHealthQuery.ForAsync(db, endpoint, time.GetUtcNow(), cancellationToken)));
    }

    public static async Task<Ok<DeletedResponse>> Delete(string id, ParleyDbContext db, WebhookSubscriptions subscriptions, CancellationToken cancellationToken)
    {
        var endpoint = await Find(db, id, cancellationToken);
        db.WebhookEndpoints.Remove(endpoint);
        await db.WebhookDeliveries.Where(d => d.EndpointId == id && d.Status == WebhookDeliveryStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, WebhookDeliveryStatus.Failed).SetProperty(d => d.LastError, "The endpoint was deleted."), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        subscriptions.Evict(endpoint.WorkspaceId);
        return TypedResults.Ok(new DeletedResponse(id, true));
    }

    public static async Task<Ok<WebhookEndpointResponse>> RotateSecret(
        string id, ParleyDbContext db, WebhookSecrets secrets, IdempotencyScope idempotency, TimeProvider time, CancellationToken cancellationToken)
    {
        var endpoint = await Find(db, id, cancellationToken);
        var secret = WebhookSignature.NewSecret();
        var now = time.GetUtcNow();
        endpoint.PreviousSecretProtected = endpoint.SecretProtected;
        endpoint.PreviousSecretExpiresAt = now + RotationOverlap;
        endpoint.SecretProtected = secrets.Protect(secret);
        endpoint.UpdatedAt = now;
        var response = WebhookEndpointResponse.From(endpoint, secret: secret);
        await idempotency.SaveChangesAsync(200, () => response with { Secret = null }, cancellationToken);
        return TypedResults.Ok(response);
    }

    public static async Task<CursorPage<WebhookDeliveryResponse>> ListDeliveries(
        string id, ParleyDbContext db, string? status, [FromQuery(Name = "event_type")] string? eventType, int? limit, string? after,
        CancellationToken cancellationToken)
    {
        await Find(db, id, cancellationToken);
        var query = db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == id);
        if (!string.IsNullOrEmpty(status))
        {
            if (status is not (WebhookDeliveryStatus.Pending or WebhookDeliveryStatus.Delivered or WebhookDeliveryStatus.Failed))
            {
                throw ApiException.Invalid("status", "status must be pending, delivered or failed.");
            }
            query = query.Where(d => d.Status == status);
        }
        if (!string.IsNullOrEmpty(eventType))
        {
            query = query.Where(d => d.EventType == eventType);
        }
        return await Paging.NewestFirstAsync(query, limit, after, d => WebhookDeliveryResponse.From(d), cancellationToken);
    }

    public static async Task<Ok<WebhookDeliveryResponse>> GetDelivery(string id, ParleyDbContext db, CancellationToken cancellationToken)
    {
        var delivery = await db.WebhookDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken)
            ?? throw ApiException.NotFound("webhook delivery", id);
        var attempts = await db.WebhookAttempts.AsNoTracking().Where(a => a.DeliveryId == id).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(WebhookDeliveryResponse.From(delivery, [.. attempts.Select(WebhookAttemptResponse.From)]));
    }

    public static async Task<Ok<WebhookDeliveryResponse>> Retry(
        string id, ParleyDbContext db, WakeSignal<WebhookDispatcher> signal, IdempotencyScope idempotency, TimeProvider time, CancellationToken cancellationToken)
    {
        var delivery = await db.WebhookDeliveries.FirstOrDefaultAsync(d => d.Id == id, cancellationToken)
            ?? throw ApiException.NotFound("webhook delivery", id);
        if (!await db.WebhookEndpoints.AnyAsync(e => e.Id == delivery.EndpointId, cancellationToken))
        {
            throw ApiException.Conflict("The endpoint of this delivery was deleted.");
        }
        delivery.Status = WebhookDeliveryStatus.Pending;
        delivery.NextAttemptAt = time.GetUtcNow();
        delivery.LeaseUntil = null;
        delivery.LeaseOwner = null;
        var response = WebhookDeliveryResponse.From(delivery);
        await idempotency.SaveChangesAsync(200, () => response, cancellationToken);
        signal.Notify();
        return TypedResults.Ok(response);
    }

    public static async Task<Ok<WebhookTestResponse>> SendTest(
        string id, ParleyDbContext db, EventLog events, WebhookSender sender, WebhookDeliveryRecorder recorder,
        WebhookSubscriptions subscriptions, IdempotencyScope idempotency, IdGenerator ids, CancellationToken cancellationToken)
    {
        var endpoint = await Find(db, id, cancellationToken);
        var record = events.Add(EventTypes.WebhookTest, null, new { endpoint_id = endpoint.Id, message = "This is a test event from Parley." });
        var delivery = new WebhookDelivery
        {
            Id = ids.New(IdPrefix.WebhookDelivery),
            WorkspaceId = endpoint.WorkspaceId,
            EndpointId = endpoint.Id,
            EventId = record.Id,
            EventType = record.Type,
            Status = WebhookDeliveryStatus.Pending,
            NextAttemptAt = record.CreatedAt.AddYears(100), // sent here and now, never by the dispatcher
            CreatedAt = record.CreatedAt,
        };
        db.WebhookDeliveries.Add(delivery);
        var result = await sender.SendAsync(endpoint, record.Id, WebhookBody.Of(record), cancellationToken);
        var disabled = recorder.Record(endpoint, delivery, result);
        if (delivery.Status == WebhookDeliveryStatus.Pending)
        {
            // A test is not retried.
            delivery.Status = WebhookDeliveryStatus.Failed;
        }
        var response = new WebhookTestResponse(delivery.Id, record.Id, result.Succeeded, result.StatusCode, result.DurationMs, result.ResponseExcerpt, result.Error);
        await idempotency.SaveChangesAsync(200, () => response, cancellationToken);
        if (disabled)
        {
            subscriptions.Evict(endpoint.WorkspaceId);
        }
        return TypedResults.Ok(response);
    }

    private static async Task<WebhookEndpoint> Find(ParleyDbContext db, string id, CancellationToken cancellationToken) =>
        await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == id, cancellationToken) ?? throw ApiException.NotFound("webhook endpoint", id);
}
