using Parley.Client.Models;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    /// <summary>Conversations matching <paramref name="query"/>, newest first; page on with <paramref name="after"/>.</summary>
    [ApiOperation("GET", "/v1/conversations")]
    public Task<Page<ConversationResponse>> FilterConversationsAsync(
        ConversationQuery query, int? limit = null, string? after = null, CancellationToken cancellationToken = default)
    {
        var filter = query.ToListQuery();
        return GetAsync<Page<ConversationResponse>>(Paged(filter.Length == 0 ? "/v1/conversations" : "/v1/conversations?" + filter, limit, after), cancellationToken);
    }

    /// <summary>The URL path (relative to the server) of the conversations matching <paramref name="query"/> as <c>csv</c> or <c>ndjson</c>.</summary>
    public static string ConversationExportPath(ConversationQuery query, string format)
    {
        var filter = query.ToExportQuery();
        return $"/v1/export/conversations.{Id(format)}" + (filter.Length == 0 ? "" : "?" + filter);
    }

    /// <summary>
    /// The conversations matching <paramref name="query"/>, oldest first, as a <c>csv</c> or <c>ndjson</c> stream read as
    /// it arrives; the caller disposes it. Personal data is left out.
    /// </summary>
    [ApiOperation("GET", "/v1/export/{entity}.{format}")]
    public async Task<Stream> ExportConversationsAsync(ConversationQuery query, string format, CancellationToken cancellationToken = default)
    {
        using var request = Request(HttpMethod.Get, ConversationExportPath(query, format));
        request.Options.Set(BrowserStreaming, true);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        try
        {
            await ThrowIfProblemAsync(response, cancellationToken);
            return await response.Content.ReadAsStreamAsync(cancellationToken);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
