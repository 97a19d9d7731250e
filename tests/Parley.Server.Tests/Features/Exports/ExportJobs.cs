using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Exports;

/// <summary>Runs an export job to the end and reads its archive.</summary>
public static class ExportJobs
{
    public static async Task<JsonNode> WaitUntilDoneAsync(HttpClient client, string exportId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var job = await (await client.GetAsync($"/v1/exports/{exportId}")).JsonAsync(HttpStatusCode.OK);
            if ((string?)job["status"] is "succeeded" or "failed")
            {
                return job;
            }
            Assert.True(DateTime.UtcNow < deadline, "The export did not finish: " + job.ToJsonString());
            await Task.Delay(50);
        }
    }

    public static async Task<byte[]> ExportAsync(HttpClient client, bool includePii = true)
    {
        var created = await (await client.PostJsonAsync("/v1/exports", new { include_pii = includePii })).JsonAsync(HttpStatusCode.Accepted);
        var job = await WaitUntilDoneAsync(client, created.Id());
        Assert.Equal("succeeded", (string?)job["status"]);
        var download = await client.GetAsync($"/v1/exports/{created.Id()}/download");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/zip", download.Content.Headers.ContentType?.MediaType);
        return await download.Content.ReadAsByteArrayAsync();
    }

    public static Dictionary<string, string> Files(byte[] archive)
    {
        using var zip = new ZipArchive(new MemoryStream(archive), ZipArchiveMode.Read);
        return zip.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var reader = new StreamReader(e.Open());
            return reader.ReadToEnd();
        });
    }
}
