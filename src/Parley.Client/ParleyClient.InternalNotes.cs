using Parley.Client.Models;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    /// <summary>The internal notes of a conversation, oldest first.</summary>
    [ApiOperation("GET", "/v1/conversations/{id}/notes")]
    public Task<Page<NoteResponse>> ListNotesAsync(string id, int? limit = null, string? after = null, CancellationToken cancellationToken = default) =>
        GetAsync<Page<NoteResponse>>(Paged($"/v1/conversations/{Id(id)}/notes", limit, after), cancellationToken);

    [ApiOperation("POST", "/v1/conversations/{id}/notes")]
    public Task<NoteResponse> CreateNoteAsync(string id, string text, CancellationToken cancellationToken = default) =>
        SendAsync<CreateNoteRequest, NoteResponse>(HttpMethod.Post, $"/v1/conversations/{Id(id)}/notes", new CreateNoteRequest(text), cancellationToken);
}
