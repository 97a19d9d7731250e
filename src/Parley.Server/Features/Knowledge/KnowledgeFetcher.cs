using System.Net;
using Microsoft.Extensions.Options;
using Parley.Server.Infrastructure.Outbound;

namespace Parley.Server.Features.Knowledge;

/// <summary>A document fetched for a URL source: its media type and bytes.</summary>
public sealed record FetchedDocument(string MediaType, byte[] Body, Uri Url);

/// <summary>A source could not be read; <see cref="Exception.Message"/> is the reason shown to the owner.</summary>
public sealed class KnowledgeSourceException(string reason) : Exception(reason);

/// <summary>
/// Fetches a URL source through the outbound handler (which refuses private targets after DNS resolution). Redirects
/// are followed by hand, at most <see cref="KnowledgeOptions.MaxRedirects"/>, each target checked like the first;
/// the body is read up to the size cap and only text, HTML, Markdown and PDF are accepted.
/// </summary>
public sealed class KnowledgeFetcher(IHttpClientFactory clients, IOptions<KnowledgeOptions> options, IOptionsMonitor<NetworkOptions> network)
{
    public const string HttpClientName = "knowledge";

    public static IReadOnlyList<string> AcceptedMediaTypes { get; } = ["text/html", "application/xhtml+xml", "text/plain", "text/markdown", "application/pdf"];

    public async Task<FetchedDocument> FetchAsync(string url, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limits.FetchTimeout);
        var client = clients.CreateClient(HttpClientName);
        var target = new Uri(url);
        try
        {
            for (var redirects = 0; ; redirects++)
            {
                if (OutboundAddressPolicy.Problem(target.AbsoluteUri, network.CurrentValue.AllowPrivateTargets) is { } problem)
                {
                    throw new KnowledgeSourceException($"The URL {target} {problem}.");
                }
                using var request = new HttpRequestMessage(HttpMethod.Get, target);
                request.Headers.Accept.ParseAdd(string.Join(", ", AcceptedMediaTypes));
                request.Headers.UserAgent.ParseAdd("ParleyKnowledge/1.0");
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    if (redirects >= limits.MaxRedirects)
                    {
                        throw new KnowledgeSourceException($"The URL redirected more than {limits.MaxRedirects} times.");
                    }
                    target = new Uri(target, location);
                    continue;
                }
                if (!response.IsSuccessStatusCode)
                {
                    throw new KnowledgeSourceException($"The URL answered HTTP {(int)response.StatusCode}.");
                }
                var mediaType = response.Content.Headers.ContentType?.MediaType?.ToLowerInvariant() ?? "";
                if (!AcceptedMediaTypes.Contains(mediaType))
                {
                    throw new KnowledgeSourceException(
                        $"The URL returned '{(mediaType.Length == 0 ? "no content type" : mediaType)}'; only HTML, text, Markdown and PDF are read.");
                }
                return new FetchedDocument(mediaType, await ReadCappedAsync(response.Content, limits.MaxDocumentBytes, timeout.Token), target);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KnowledgeSourceException($"The URL did not answer within {limits.FetchTimeout.TotalSeconds:0} s.");
        }
        catch (HttpRequestException ex) when (ex.InnerException is OutboundRefusedException refused)
        {
            throw new KnowledgeSourceException(refused.Message);
        }
        catch (HttpRequestException ex)
        {
            throw new KnowledgeSourceException($"The URL could not be fetched: {ex.HttpRequestError}.");
        }
    }

    private static async Task<byte[]> ReadCappedAsync(HttpContent content, int max, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > max)
        {
            throw new KnowledgeSourceException($"The document is larger than the limit of {max / 1024} KB.");
        }
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max)
            {
                throw new KnowledgeSourceException($"The document is larger than the limit of {max / 1024} KB.");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

}
