using Parley.Client.Models;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    /// <summary>Canned responses, newest first; <paramref name="prefix"/> keeps those whose shortcut starts with it.</summary>
    [ApiOperation("GET", "/v1/canned-responses")]
    public Task<Page<CannedResponseResponse>> ListCannedResponsesAsync(
        string? prefix = null, int? limit = null, string? after = null, CancellationToken cancellationToken = default) =>
        GetAsync<Page<CannedResponseResponse>>(Paged(Query("/v1/canned-responses", ("prefix", prefix)), limit, after), cancellationToken);

    [ApiOperation("POST", "/v1/canned-responses")]
    public Task<CannedResponseResponse> CreateCannedResponseAsync(CreateCannedResponseRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<CreateCannedResponseRequest, CannedResponseResponse>(HttpMethod.Post, "/v1/canned-responses", request, cancellationToken);

    [ApiOperation("PATCH", "/v1/canned-responses/{id}")]
    public Task<CannedResponseResponse> UpdateCannedResponseAsync(string id, UpdateCannedResponseRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<UpdateCannedResponseRequest, CannedResponseResponse>(HttpMethod.Patch, $"/v1/canned-responses/{Id(id)}", request, cancellationToken);

    [ApiOperation("DELETE", "/v1/canned-responses/{id}")]
    public Task<DeletedResponse> DeleteCannedResponseAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<object, DeletedResponse>(HttpMethod.Delete, $"/v1/canned-responses/{Id(id)}", null, cancellationToken);
}
