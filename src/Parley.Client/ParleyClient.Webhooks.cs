using Parley.Client.Models;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    [ApiOperation("GET", "/v1/webhook-endpoints")]
    public Task<Page<WebhookEndpointResponse>> ListWebhookEndpointsAsync(int? limit = null, string? after = null, CancellationToken cancellationToken = default) =>
        GetAsync<Page<WebhookEndpointResponse>>(Paged("/v1/webhook-endpoints", limit, after), cancellationToken);

    /// <summary>Subscribes a URL; the signing secret is in <c>Secret</c> of this answer only.</summary>
    [ApiOperation("POST", "/v1/webhook-endpoints")]
    public Task<WebhookEndpointResponse> CreateWebhookEndpointAsync(CreateWebhookEndpointRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<CreateWebhookEndpointRequest, WebhookEndpointResponse>(HttpMethod.Post, "/v1/webhook-endpoints", request, cancellationToken);

    [ApiOperation("PATCH", "/v1/webhook-endpoints/{id}")]
    public Task<WebhookEndpointResponse> UpdateWebhookEndpointAsync(string id, UpdateWebhookEndpointRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<UpdateWebhookEndpointRequest, WebhookEndpointResponse>(HttpMethod.Patch, $"/v1/webhook-endpoints/{Id(id)}", request, cancellationToken);

    [ApiOperation("DELETE", "/v1/webhook-endpoints/{id}")]
    public Task<DeletedResponse> DeleteWebhookEndpointAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<object, DeletedResponse>(HttpMethod.Delete, $"/v1/webhook-endpoints/{Id(id)}", null, cancellationToken);

    /// <summary>A new signing secret, in <c>Secret</c> of this answer only; the old one keeps signing for 24 hours.</summary>
    [ApiOperation("POST", "/v1/webhook-endpoints/{id}/rotate-secret")]
    public Task<WebhookEndpointResponse> RotateWebhookSecretAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<object, WebhookEndpointResponse>(HttpMethod.Post, $"/v1/webhook-endpoints/{Id(id)}/rotate-secret", null, cancellationToken);

    [ApiOperation("POST", "/v1/webhook-endpoints/{id}/test")]
    public Task<WebhookTestResponse> TestWebhookEndpointAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<object, WebhookTestResponse>(HttpMethod.Post, $"/v1/webhook-endpoints/{Id(id)}/test", null, cancellationToken);

    /// <summary>The delivery log, newest first; <paramref name="status"/> is pending, delivered or failed.</summary>
    [ApiOperation("GET", "/v1/webhook-endpoints/{id}/deliveries")]
    public Task<Page<WebhookDeliveryResponse>> ListWebhookDeliveriesAsync(
        string endpointId, string? status = null, string? eventType = null, int? limit = null, string? after = null, CancellationToken cancellationToken = default) =>
        GetAsync<Page<WebhookDeliveryResponse>>(
            Paged(Query($"/v1/webhook-endpoints/{Id(endpointId)}/deliveries", ("status", status), ("event_type", eventType)), limit, after), cancellationToken);

    /// <summary>One delivery with every attempt.</summary>
    [ApiOperation("GET", "/v1/webhook-deliveries/{id}")]
    public Task<WebhookDeliveryResponse> GetWebhookDeliveryAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync<WebhookDeliveryResponse>($"/v1/webhook-deliveries/{Id(id)}", cancellationToken);

    /// <summary>Sends a delivery again now: a retry when it failed, a replay when it was delivered.</summary>
    [ApiOperation("POST", "/v1/webhook-deliveries/{id}/retry")]
    public Task<WebhookDeliveryResponse> RetryWebhookDeliveryAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<object, WebhookDeliveryResponse>(HttpMethod.Post, $"/v1/webhook-deliveries/{Id(id)}/retry", null, cancellationToken);

    [ApiOperation("GET", "/v1/integrations/health")]
    public Task<IntegrationHealthResponse> GetIntegrationHealthAsync(CancellationToken cancellationToken = default) =>
        GetAsync<IntegrationHealthResponse>("/v1/integrations/health", cancellationToken);
}
