using Parley.Client.Models;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    [ApiOperation("GET", "/v1/model-providers")]
    public Task<Page<ModelProviderResponse>> ListModelProvidersAsync(int? limit = null, string? after = null, CancellationToken cancellationToken = default) =>
        GetAsync<Page<ModelProviderResponse>>(Paged("/v1/model-providers", limit, after), cancellationToken);

    [ApiOperation("POST", "/v1/model-providers")]
    public Task<ModelProviderResponse> CreateModelProviderAsync(CreateModelProviderRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<CreateModelProviderRequest, ModelProviderResponse>(HttpMethod.Post, "/v1/model-providers", request, cancellationToken);

    /// <summary>Changes a connection; fields left null stay, an empty string clears <c>BaseUrl</c>, <c>ApiKey</c> or <c>DefaultModel</c>.</summary>
    [ApiOperation("PATCH", "/v1/model-providers/{id}")]
    public Task<ModelProviderResponse> UpdateModelProviderAsync(string id, UpdateModelProviderRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<UpdateModelProviderRequest, ModelProviderResponse>(HttpMethod.Patch, $"/v1/model-providers/{Id(id)}", request, cancellationToken);

    [ApiOperation("DELETE", "/v1/model-providers/{id}")]
    public Task<DeletedResponse> DeleteModelProviderAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<object, DeletedResponse>(HttpMethod.Delete, $"/v1/model-providers/{Id(id)}", null, cancellationToken);

    /// <summary>Asks the provider one short question; a provider that fails gives <c>Succeeded = false</c> and its error.</summary>
    [ApiOperation("POST", "/v1/model-providers/{id}/test")]
    public Task<ModelProviderTestResponse> TestModelProviderAsync(string id, TestModelProviderRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<TestModelProviderRequest, ModelProviderTestResponse>(HttpMethod.Post, $"/v1/model-providers/{Id(id)}/test", request, cancellationToken);

    /// <summary>Starts a conversation with a bot; the answer holds the bot's greeting.</summary>
    [ApiOperation("POST", "/v1/conversations")]
    public Task<StartConversationResponse> StartConversationAsync(StartConversationRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<StartConversationRequest, StartConversationResponse>(HttpMethod.Post, "/v1/conversations", request, cancellationToken);

    /// <summary>Sends a visitor's message and returns the bot's reply, with the passages it cites.</summary>
    [ApiOperation("POST", "/v1/conversations/{id}/messages")]
    public Task<TurnResponse> SendMessageAsync(string conversationId, SendMessageRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<SendMessageRequest, TurnResponse>(HttpMethod.Post, $"/v1/conversations/{Id(conversationId)}/messages", request, cancellationToken);
}
