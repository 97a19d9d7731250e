using Parley.Client.Models;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    /// <summary>Conversations matching <paramref name="query"/>, newest first; page on with <paramref name="after"/>.</summary>
    [ApiOperation("GET", "/v1/conversations")]
    public Task<Page<ConversationResponse>> FilterConversationsAsync(
        ConversationQuery query, int? limit = null, string? after = null, CancellationToken cancellationToken = default) =>
        GetAsync<Page<ConversationResponse>>(Paged(Query("/v1/conversations", query.Parameters("created_after", "created_before")), limit, after), cancellationToken);

    /// <summary>The URL path (relative to the server) of the conversations matching <paramref name="query"/> as <c>csv</c> or <c>ndjson</c>.</summary>
    public static string ConversationExportPath(ConversationQuery query, string format) =>
        Query($"/v1/export/conversations.{Id(format)}", query.Parameters("since", "until"));
}
