using Microsoft.AspNetCore.Http.Features;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Infrastructure.Http;

public static class RequestLimits
{
    /// <summary>The largest request body the API accepts.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>
    /// Refuses an oversized body before anything reads it: by its declared length at once, and by the server's body
    /// limit for chunked bodies (Kestrel stops reading at the limit and the read fails with 413).
    /// </summary>
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var max = http.GetEndpoint()?.Metadata.GetMetadata<RequestBodyLimit>()?.MaxBytes ?? MaxBodyBytes;
        if (http.Request.ContentLength > max)
        {
            await Problems.WriteAsync(http, StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge,
                $"The request body is {http.Request.ContentLength} bytes; the limit is {max / 1024} KB.");
            return;
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = max;
        }
        await next(http);
    });

    /// <summary>Lets an endpoint that takes files (document uploads, archives) accept bodies up to <paramref name="bytes"/>.</summary>
    public static RouteHandlerBuilder WithBodyLimit(this RouteHandlerBuilder endpoint, long bytes) =>
        endpoint.WithMetadata(new RequestBodyLimit(bytes));
}

/// <summary>Endpoint metadata: this endpoint takes bodies up to <paramref name="MaxBytes"/>, not the API's usual limit.</summary>
public sealed record RequestBodyLimit(long MaxBytes);
