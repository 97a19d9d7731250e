using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Dashboard;

/// <summary>
/// The dashboard's files as a server run from its build output sends them: the build's precompressed copies, and the
/// fingerprinted ones cached for good, as a publish serves them (not re-read, re-compressed at no compression and
/// marked no-cache on every request, as ASP.NET Core's watching of a development build does).
/// </summary>
[Trait(Storage.Trait, Storage.Independent)]
public sealed partial class DashboardAssetsTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private async Task<HttpResponseMessage> GetAsync(string path, string? acceptEncoding = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptEncoding is not null)
        {
            request.Headers.AcceptEncoding.ParseAdd(acceptEncoding);
        }
        return await app.Client(null).SendAsync(request);
    }

    /// <summary>The dashboard's main assembly under its fingerprinted name, from the build's endpoint manifest.</summary>
    private static string FingerprintedAssemblyPath()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Parley.Server.staticwebassets.endpoints.json")))!;
        var route = manifest["Endpoints"]!.AsArray().Select(e => (string)e!["Route"]!).First(r => FingerprintedAssembly().IsMatch(r));
        return "/" + route;
    }

    [GeneratedRegex(@"^app/_framework/Parley\.Dashboard\.[a-z0-9]{10}\.wasm$")]
    private static partial Regex FingerprintedAssembly();

    [Fact]
    public async Task FrameworkFile_Gzip_TheBuildsCompressedCopySmallerThanTheFile()
    {
        var path = FingerprintedAssemblyPath();
        var plain = await GetAsync(path);
        var gzip = await GetAsync(path, "gzip");

        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, gzip.StatusCode);
        Assert.Equal(["gzip"], gzip.Content.Headers.ContentEncoding);
        var file = await plain.Content.ReadAsByteArrayAsync();
        var compressed = await gzip.Content.ReadAsByteArrayAsync();
        Assert.True(compressed.Length < file.Length * 0.8, $"{compressed.Length} bytes compressed for a file of {file.Length}");
        using var decompressed = new MemoryStream();
        await new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress).CopyToAsync(decompressed);
        Assert.Equal(file, decompressed.ToArray());
    }

    [Fact]
    public async Task FingerprintedFile_CachedForAYear_IndexRevalidated()
    {
        var fingerprinted = await GetAsync(FingerprintedAssemblyPath(), "gzip");
        var index = await GetAsync("/app/");

        Assert.Equal("max-age=31536000, immutable", fingerprinted.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Contains("_framework/blazor.webassembly.js", await index.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("no-cache", index.Headers.CacheControl?.ToString());
    }
}
