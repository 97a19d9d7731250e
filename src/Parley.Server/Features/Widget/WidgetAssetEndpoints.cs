using Microsoft.Net.Http.Headers;

namespace Parley.Server.Features.Widget;

/// <summary>
/// Serves the widget script: <c>/widget.js</c> (the URL businesses paste, cached for five minutes and revalidated by
/// ETag) and <c>/widget.&lt;version&gt;.js</c> (immutable, cached for a year), Brotli or gzip as the browser accepts.
/// </summary>
public static class WidgetAssetEndpoints
{
    private const string ContentType = "text/javascript; charset=utf-8";
    private const string ShortCache = "public, max-age=300";
    private const string LongCache = "public, max-age=31536000, immutable";

    public static IEndpointRouteBuilder MapWidgetAsset(this IEndpointRouteBuilder app)
    {
        string[] methods = [HttpMethods.Get, HttpMethods.Head];
        app.MapMethods("/widget.js", methods, (HttpContext http) => Serve(http, WidgetAsset.Current, ShortCache)).ExcludeFromDescription();
        app.MapMethods("/widget.{version}.js", methods, (string version, HttpContext http) => version == WidgetAsset.Current.Version
                ? Serve(http, WidgetAsset.Current, LongCache)
                : Results.Redirect(WidgetAsset.Current.VersionedPath))
            .ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(HttpContext http, WidgetAsset asset, string cacheControl)
    {
        var headers = http.Response.Headers;
        headers.CacheControl = cacheControl;
        headers.ETag = asset.ETag;
        headers.Vary = HeaderNames.AcceptEncoding;
        headers.XContentTypeOptions = "nosniff";
        // Any site may embed the widget, including pages that isolate themselves (COEP) or load it with crossorigin for SRI.
        headers["Cross-Origin-Resource-Policy"] = "cross-origin";
        headers.AccessControlAllowOrigin = "*";
        if (http.Request.Headers.IfNoneMatch.ToString().Contains(asset.ETag, StringComparison.Ordinal))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        var accepted = http.Request.GetTypedHeaders().AcceptEncoding;
        bool Accepts(string coding) => accepted.Any(a => a.Value.Equals(coding, StringComparison.OrdinalIgnoreCase) && a.Quality is not 0);
        var (body, encoding) = Accepts("br") ? (asset.Brotli, "br") : Accepts("gzip") ? (asset.Gzip, "gzip") : (asset.Script, null);
        if (encoding is not null)
        {
            headers.ContentEncoding = encoding;
        }
        return Results.Bytes(body, ContentType);
    }
}
