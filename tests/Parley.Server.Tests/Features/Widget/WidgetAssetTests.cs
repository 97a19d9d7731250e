using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Parley.Server.Features.Widget;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Widget;

[Trait(Storage.Trait, Storage.Independent)]
public sealed class WidgetAssetTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private async Task<HttpResponseMessage> GetAsync(string path, string? acceptEncoding = null, string? ifNoneMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptEncoding is not null)
        {
            request.Headers.AcceptEncoding.ParseAdd(acceptEncoding);
        }
        if (ifNoneMatch is not null)
        {
            request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(ifNoneMatch));
        }
        return await app.Client(null).SendAsync(request);
    }

    [Fact]
    public async Task WidgetJs_Gzip_CompressedJavaScriptWithShortCache()
    {
        var response = await GetAsync("/widget.js", "gzip");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        Assert.Equal("public, max-age=300", response.Headers.CacheControl?.ToString());
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        Assert.Contains("window.Parley", await reader.ReadToEndAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WidgetJs_BrotliOrNone_ServedAsAccepted()
    {
        var brotli = await GetAsync("/widget.js", "gzip, br");
        Assert.Equal(["br"], brotli.Content.Headers.ContentEncoding);
        Assert.Equal(WidgetAsset.Current.Brotli.Length, (await brotli.Content.ReadAsByteArrayAsync()).Length);

        var plain = await GetAsync("/widget.js");
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Equal(WidgetAsset.Current.Script, await plain.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task VersionedUrl_CurrentVersion_ImmutableForAYear()
    {
        var response = await GetAsync(WidgetAsset.Current.VersionedPath, "gzip");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        Assert.Equal(WidgetAsset.Current.ETag, response.Headers.ETag?.ToString());
    }

    [Fact]
    public async Task VersionedUrl_OldVersion_RedirectsToCurrent()
    {
        var response = await app.CreateClient(new() { AllowAutoRedirect = false }).GetAsync("/widget.0123456789ab.js");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(WidgetAsset.Current.VersionedPath, response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task WidgetJs_MatchingETag_304()
    {
        var response = await GetAsync("/widget.js", "gzip", WidgetAsset.Current.ETag);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public void Version_IsTheScriptsContentHash()
    {
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(WidgetAsset.Current.Script));
        Assert.Equal(hash[..12], WidgetAsset.Current.Version);
        Assert.True(WidgetAsset.Current.Gzip.Length <= 12 * 1024, $"gzipped widget is {WidgetAsset.Current.Gzip.Length} bytes");
    }
}
