using System.Net.Http.Headers;
using Parley.Client.Models;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    /// <summary>Queues a full export; poll <see cref="GetExportAsync"/> until it has succeeded, then download <c>DownloadUrl</c>.</summary>
    [ApiOperation("POST", "/v1/exports")]
    public Task<ExportResponse> CreateExportAsync(CreateExportRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<CreateExportRequest, ExportResponse>(HttpMethod.Post, "/v1/exports", request, cancellationToken);

    [ApiOperation("GET", "/v1/exports/{id}")]
    public Task<ExportResponse> GetExportAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync<ExportResponse>($"/v1/exports/{Id(id)}", cancellationToken);

    /// <summary>
    /// Imports an export archive (a zip). A bad archive throws <see cref="ParleyApiException"/> with code
    /// <c>invalid_archive</c> and a detail that says what is wrong; nothing is written then.
    /// </summary>
    [ApiOperation("POST", "/v1/imports")]
    public async Task<ImportResponse> ImportArchiveAsync(Stream archive, string fileName, CancellationToken cancellationToken = default)
    {
        using var request = Request(HttpMethod.Post, "/v1/imports");
        using var content = new MultipartFormDataContent();
        var file = new StreamContent(archive);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        content.Add(file, "archive", fileName);
        request.Content = content;
        return await ReadAsync<ImportResponse>(request, cancellationToken);
    }
}
