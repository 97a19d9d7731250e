using System.Net.Http.Headers;
using System.Net.Http.Json;
using Parley.Client.Models;

namespace Parley.Client;

public static partial class ParleyClientOperations
{
    extension(ParleyClient client)
    {
        /// <summary>Queues a full export; poll <c>GetExportAsync</c> until it has succeeded, then download <c>DownloadUrl</c>.</summary>
        [ApiOperation("POST", "/v1/exports")]
        public Task<ExportResponse> CreateExportAsync(CreateExportRequest request, CancellationToken cancellationToken = default) =>
            client.SendAsync(HttpMethod.Post, "/v1/exports", JsonContent.Create(request, OperationsJson.Default.CreateExportRequest),
                OperationsJson.Default.ExportResponse, cancellationToken);

        [ApiOperation("GET", "/v1/exports/{id}")]
        public Task<ExportResponse> GetExportAsync(string id, CancellationToken cancellationToken = default) =>
            client.GetAsync($"/v1/exports/{ParleyClient.Id(id)}", OperationsJson.Default.ExportResponse, cancellationToken);

        /// <summary>
        /// Imports an export archive (a zip). A bad archive throws <see cref="ParleyApiException"/> with code
        /// <c>invalid_archive</c> and a detail that says what is wrong; nothing is written then.
        /// </summary>
        [ApiOperation("POST", "/v1/imports")]
        public async Task<ImportResponse> ImportArchiveAsync(Stream archive, string fileName, CancellationToken cancellationToken = default)
        {
            using var request = client.Request(HttpMethod.Post, "/v1/imports");
            using var content = new MultipartFormDataContent();
            var file = new StreamContent(archive);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
            content.Add(file, "archive", fileName);
            request.Content = content;
            return await client.ReadAsync(request, OperationsJson.Default.ImportResponse, cancellationToken);
        }

        /// <summary>
        /// Imports another platform's export (<paramref name="platform"/>: <c>typebot</c>, <c>botpress</c>, <c>dify</c> or
        /// <c>flowise</c>) into a new bot (<paramref name="bot"/> <c>new</c>) or the draft of an existing one. A file that
        /// cannot be imported throws <see cref="ParleyApiException"/> with code <c>invalid_import_file</c>; nothing is written then.
        /// </summary>
        [ApiOperation("POST", "/v1/imports/typebot")]
        [ApiOperation("POST", "/v1/imports/botpress")]
        [ApiOperation("POST", "/v1/imports/dify")]
        [ApiOperation("POST", "/v1/imports/flowise")]
        public async Task<PlatformImportResponse> ImportFromPlatformAsync(
            string platform, Stream file, string fileName, string bot = "new", bool publish = false, CancellationToken cancellationToken = default)
        {
            using var request = client.Request(HttpMethod.Post, $"/v1/imports/{ParleyClient.Id(platform)}");
            using var content = new MultipartFormDataContent();
            content.Add(new StreamContent(file), "file", fileName);
            content.Add(new StringContent(bot), "bot");
            content.Add(new StringContent(publish ? "true" : "false"), "publish");
            request.Content = content;
            return await client.ReadAsync(request, OperationsJson.Default.PlatformImportResponse, cancellationToken);
        }
    }
}
