using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Parley.Engine.Imports.Chatwoot;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Outbound;

namespace Parley.Server.Features.Imports.Platforms.Chatwoot;

/// <summary>A Chatwoot account to read: the address Chatwoot is served on, the account, a user's access token, and optionally one inbox.</summary>
public sealed record ChatwootAccount(Uri BaseUrl, long AccountId, string AccessToken, long? InboxId);

/// <summary>What was read: the conversations (each with its messages, or only those after the last import's), and notes on what was left.</summary>
public sealed record ChatwootPull(IReadOnlyList<ChatwootConversation> Conversations, IReadOnlyList<string> Notes);

/// <summary>
/// Reads a Chatwoot account through its application API (header <c>api_access_token</c>), through the outbound
/// handler, so Parley's network rules apply: the conversation list page by page
/// (<c>GET /api/v1/accounts/{id}/conversations?status=all&amp;assignee_type=all&amp;page=N</c>, most recently active
/// first) and each conversation's messages backwards (<c>…/conversations/{id}/messages?before={oldest id read}</c>, 20
/// at a time) until the start, the last message an earlier import read, or the bound. Every answer is size-checked
/// before it is parsed. A refusal or failure of Chatwoot's throws <see cref="ApiException"/>: nothing is written then.
/// </summary>
public sealed class ChatwootApi(IHttpClientFactory clients, IOptions<ChatwootImportOptions> options)
{
    public const string HttpClientName = "chatwoot";

    /// <param name="known">Conversations imported before: Chatwoot's id → the last message id read then.</param>
    public async Task<ChatwootPull> PullAsync(ChatwootAccount account, IReadOnlyDictionary<long, long> known, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        using var overall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        overall.CancelAfter(limits.TotalTimeout);
        var reader = new Reader(clients.CreateClient(HttpClientName), account, limits, overall.Token);
        var conversations = new List<ChatwootConversation>();
        var notes = new List<string>();
        var seen = new HashSet<long>();
        var (fresh, truncated, vanished) = (0, 0, 0);
        long? listed = null;
        try
        {
            for (var page = 1; ; page++)
            {
                var list = await reader.GetAsync(
                    $"conversations?status=all&assignee_type=all&page={page}" + (account.InboxId is { } inbox ? $"&inbox_id={inbox}" : ""));
                var data = list["data"] as JsonObject ?? throw reader.NotChatwoot("the conversation list has no 'data'");
                listed ??= long.TryParse(data["meta"]?["all_count"]?.ToString(), CultureInfo.InvariantCulture, out var all) ? all : null;
                var payload = (data["payload"] as JsonArray ?? throw reader.NotChatwoot("the conversation list has no 'data.payload'")).OfType<JsonObject>().ToList();
                // An empty page ends the list; so does one that repeats what was read (a server that ignores page).
                if (payload.Count == 0 || payload.All(c => ChatwootConversationMapper.ConversationId(c) is { } id && seen.Contains(id)))
                {
                    break;
                }
                foreach (var conversation in payload)
                {
                    if (ChatwootConversationMapper.ConversationId(conversation) is not { } id || !seen.Add(id))
                    {
                        continue;
                    }
                    var after = known.GetValueOrDefault(id);
                    if (after == 0 && fresh >= limits.MaxConversations)
                    {
                        notes.Add($"This import took the {limits.MaxConversations} most recently active conversations it had not imported before"
                            + (listed is { } count ? $" (Chatwoot lists {count} in all)" : "") + "; import again to carry over the older ones.");
                        return Done();
                    }
                    var (messages, cut, found) = await reader.MessagesAsync(id, after);
                    if (!found)
                    {
                        vanished++;
                        continue;
                    }
                    fresh += after == 0 ? 1 : 0;
                    truncated += cut ? 1 : 0;
                    conversations.Add(ChatwootConversationMapper.Map(conversation, messages, after));
                }
            }
        }
        catch (ReadStoppedException stopped)
        {
            notes.Add($"{stopped.Message} This import carries over the {conversations.Count} conversations read until then; import again to carry over the rest.");
        }
        return Done();

        ChatwootPull Done()
        {
            if (truncated > 0)
            {
                notes.Add($"{truncated} conversations have more than {limits.MaxMessagesPerConversation} messages; their latest {limits.MaxMessagesPerConversation} are carried over.");
            }
            if (vanished > 0)
            {
                notes.Add($"{vanished} conversations were deleted in Chatwoot while they were read, and are not carried over.");
            }
            return new ChatwootPull(conversations, notes);
        }
    }

    /// <summary>Reading stopped at a bound of the import as a whole (time or bytes): what was read in full is kept.</summary>
    private sealed class ReadStoppedException(string message) : Exception(message);

    private sealed class Reader(HttpClient client, ChatwootAccount account, ChatwootImportOptions limits, CancellationToken overall)
    {
        private long _bytes;

        /// <summary>A conversation's messages from the latest back to the first, or to <paramref name="after"/>, within the bound.</summary>
        public async Task<(List<JsonObject> Messages, bool Truncated, bool Found)> MessagesAsync(long conversationId, long after)
        {
            var messages = new List<JsonObject>();
            long? before = null;
            while (true)
            {
                var page = await GetAsync($"conversations/{conversationId}/messages" + (before is { } b ? $"?before={b}" : ""), missingIsEmpty: true);
                if (page is null)
                {
                    return (messages, false, false);
                }
                var payload = (page["payload"] as JsonArray ?? throw NotChatwoot("a message list has no 'payload'")).OfType<JsonObject>().ToList();
                var ids = payload.Select(ChatwootConversationMapper.MessageId).OfType<long>().ToList();
                if (ids.Count == 0)
                {
                    return (messages, false, true);
                }
                messages.AddRange(payload);
                var oldest = ids.Min();
                if (oldest <= after || (before is { } previous && oldest >= previous))
                {
                    return (messages, false, true);
                }
                if (messages.Count >= limits.MaxMessagesPerConversation)
                {
                    var latest = messages.OrderByDescending(ChatwootConversationMapper.MessageId).Take(limits.MaxMessagesPerConversation).ToList();
                    return (latest, true, true);
                }
                before = oldest;
            }
        }

        public async Task<JsonObject> GetAsync(string path) => (await GetAsync(path, missingIsEmpty: false))!;

        /// <summary>One answer of Chatwoot's, as JSON; null for a 404 when <paramref name="missingIsEmpty"/>.</summary>
        public async Task<JsonObject?> GetAsync(string path, bool missingIsEmpty)
        {
            var url = new Uri($"{account.BaseUrl.AbsoluteUri.TrimEnd('/')}/api/v1/accounts/{account.AccountId}/{path}");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(overall);
            timeout.CancelAfter(limits.RequestTimeout);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Add("api_access_token", account.AccessToken);
                request.Headers.Accept.ParseAdd("application/json");
                request.Headers.UserAgent.ParseAdd("ParleyImport/1.0");
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                var status = (int)response.StatusCode;
                if (status is 401 or 403)
                {
                    throw Refused($"Chatwoot refused the access token (HTTP {status}): give the access token of a user of account {account.AccountId} (Chatwoot: Profile settings → Access token).");
                }
                if (status == 404)
                {
                    return missingIsEmpty ? null
                        : throw Refused($"Chatwoot at {account.BaseUrl} has no account {account.AccountId}, or the access token cannot see it (HTTP 404).");
                }
                if (status is >= 300 and < 400)
                {
                    throw Unavailable($"Chatwoot answered with a redirect (HTTP {status}) to {response.Headers.Location}; give the address Chatwoot itself is served on.");
                }
                if (!response.IsSuccessStatusCode)
                {
                    throw Unavailable($"Chatwoot answered HTTP {status} to {url.AbsolutePath}.");
                }
                if (response.Content.Headers.ContentType?.MediaType is not { } mediaType || !mediaType.Contains("json", StringComparison.OrdinalIgnoreCase))
                {
                    throw NotChatwoot($"it answered {url.AbsolutePath} with '{response.Content.Headers.ContentType?.MediaType ?? "no content type"}', not JSON");
                }
                var body = await ReadCappedAsync(response.Content, timeout.Token);
                try
                {
                    return JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }) as JsonObject
                        ?? throw NotChatwoot($"its answer to {url.AbsolutePath} is not a JSON object");
                }
                catch (JsonException)
                {
                    throw NotChatwoot($"its answer to {url.AbsolutePath} is not valid JSON");
                }
            }
            catch (OperationCanceledException) when (overall.IsCancellationRequested)
            {
                throw new ReadStoppedException($"Reading from Chatwoot stopped after {limits.TotalTimeout.TotalMinutes:0.#} minutes, the bound of one import.");
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                throw Unavailable($"Chatwoot did not answer {url.AbsolutePath} within {limits.RequestTimeout.TotalSeconds:0} s.");
            }
            catch (HttpRequestException e) when (e.InnerException is OutboundRefusedException refused)
            {
                throw ApiException.Invalid("url", refused.Message);
            }
            catch (HttpRequestException e)
            {
                throw Unavailable($"Chatwoot at {account.BaseUrl} could not be reached ({e.HttpRequestError}).");
            }
        }

        private async Task<byte[]> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
        {
            if (content.Headers.ContentLength > limits.MaxResponseBytes)
            {
                throw TooLarge();
            }
            await using var stream = await content.ReadAsStreamAsync(cancellationToken);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limits.MaxResponseBytes)
                {
                    throw TooLarge();
                }
                buffer.Write(chunk, 0, read);
            }
            _bytes += buffer.Length;
            if (_bytes > limits.MaxTotalBytes)
            {
                throw new ReadStoppedException($"Reading from Chatwoot stopped after {limits.MaxTotalBytes / 1024 / 1024} MB, the bound of one import.");
            }
            return buffer.ToArray();
        }

        private ApiException TooLarge() => Unavailable($"An answer of Chatwoot's is larger than {limits.MaxResponseBytes / 1024} KB, which a page of its API never is.");

        public ApiException NotChatwoot(string what) =>
            Unavailable($"{account.BaseUrl} did not answer as Chatwoot's API does: {what}. Give the address Chatwoot is served on.");

        private static ApiException Refused(string detail) =>
            new(StatusCodes.Status422UnprocessableEntity, ErrorCodes.ImportSourceRefused, detail + " Nothing was written.");

        private static ApiException Unavailable(string detail) =>
            new(StatusCodes.Status502BadGateway, ErrorCodes.ImportSourceUnavailable, detail + " Nothing was written.");
    }
}
