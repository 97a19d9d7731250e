using System.Net.Http.Headers;
using System.Text.Json;
using Parley.Client.Models;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    [ApiOperation("GET", "/v1/bots")]
    public Task<Page<BotResponse>> ListBotsAsync(int? limit = null, string? after = null, CancellationToken cancellationToken = default) =>
        GetAsync<Page<BotResponse>>(Paged("/v1/bots", limit, after), cancellationToken);

    [ApiOperation("GET", "/v1/bots/{id}")]
    public Task<BotResponse> GetBotAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync<BotResponse>($"/v1/bots/{Id(id)}", cancellationToken);

    [ApiOperation("POST", "/v1/bots")]
    public Task<BotResponse> CreateBotAsync(CreateBotRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<CreateBotRequest, BotResponse>(HttpMethod.Post, "/v1/bots", request, cancellationToken);

    [ApiOperation("PATCH", "/v1/bots/{id}")]
    public Task<BotResponse> UpdateBotAsync(string id, UpdateBotRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<UpdateBotRequest, BotResponse>(HttpMethod.Patch, $"/v1/bots/{Id(id)}", request, cancellationToken);

    [ApiOperation("DELETE", "/v1/bots/{id}")]
    public Task<DeletedResponse> DeleteBotAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<object, DeletedResponse>(HttpMethod.Delete, $"/v1/bots/{Id(id)}", null, cancellationToken);

    [ApiOperation("GET", "/v1/api-keys")]
    public Task<Page<ApiKeyResponse>> ListApiKeysAsync(int? limit = null, string? after = null, CancellationToken cancellationToken = default) =>
        GetAsync<Page<ApiKeyResponse>>(Paged("/v1/api-keys", limit, after), cancellationToken);

    /// <summary>Creates a key; a secret key's whole token is in <c>Secret</c> of this answer only.</summary>
    [ApiOperation("POST", "/v1/api-keys")]
    public Task<ApiKeyResponse> CreateApiKeyAsync(CreateApiKeyRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<CreateApiKeyRequest, ApiKeyResponse>(HttpMethod.Post, "/v1/api-keys", request, cancellationToken);

    [ApiOperation("DELETE", "/v1/api-keys/{id}")]
    public Task<ApiKeyResponse> RevokeApiKeyAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<object, ApiKeyResponse>(HttpMethod.Delete, $"/v1/api-keys/{Id(id)}", null, cancellationToken);

    [ApiOperation("GET", "/v1/bots/{id}/knowledge")]
    public Task<Page<KnowledgeSourceResponse>> ListKnowledgeAsync(string botId, int? limit = null, string? after = null, CancellationToken cancellationToken = default) =>
        GetAsync<Page<KnowledgeSourceResponse>>(Paged($"/v1/bots/{Id(botId)}/knowledge", limit, after), cancellationToken);

    /// <summary>Adds text, Markdown, HTML or a URL (optionally crawled) to a bot's knowledge.</summary>
    [ApiOperation("POST", "/v1/bots/{id}/knowledge")]
    public Task<KnowledgeSourceResponse> AddKnowledgeAsync(string botId, AddKnowledgeSourceRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<AddKnowledgeSourceRequest, KnowledgeSourceResponse>(HttpMethod.Post, $"/v1/bots/{Id(botId)}/knowledge", request, cancellationToken);

    /// <summary>Uploads a document (PDF, HTML, Markdown or text) to a bot's knowledge.</summary>
    [ApiOperation("POST", "/v1/bots/{id}/knowledge")]
    public async Task<KnowledgeSourceResponse> UploadKnowledgeAsync(
        string botId, Stream content, string fileName, string contentType, CancellationToken cancellationToken = default)
    {
        using var request = Request(HttpMethod.Post, $"/v1/bots/{Id(botId)}/knowledge");
        var file = new StreamContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        request.Content = new MultipartFormDataContent { { file, "file", fileName } };
        return await ReadAsync<KnowledgeSourceResponse>(request, cancellationToken);
    }

    [ApiOperation("DELETE", "/v1/bots/{id}/knowledge/{sourceId}")]
    public Task DeleteKnowledgeAsync(string botId, string sourceId, CancellationToken cancellationToken = default) =>
        SendAsync<object>(HttpMethod.Delete, $"/v1/bots/{Id(botId)}/knowledge/{Id(sourceId)}", null, cancellationToken);

    [ApiOperation("POST", "/v1/bots/{id}/knowledge/search")]
    public Task<SearchKnowledgeResponse> SearchKnowledgeAsync(string botId, SearchKnowledgeRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<SearchKnowledgeRequest, SearchKnowledgeResponse>(HttpMethod.Post, $"/v1/bots/{Id(botId)}/knowledge/search", request, cancellationToken);

    /// <summary>A page of conversations as raw JSON (the getting-started checklist only asks whether any came from the widget).</summary>
    [ApiOperation("GET", "/v1/conversations")]
    public Task<Page<JsonElement>> ListConversationsAsync(int? limit = null, string? after = null, CancellationToken cancellationToken = default) =>
        GetAsync<Page<JsonElement>>(Paged("/v1/conversations", limit, after), cancellationToken);
}
