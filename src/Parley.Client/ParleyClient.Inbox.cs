using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Parley.Client.Models;

namespace Parley.Client;

/// <summary>An event of a live stream: its id (pass it back to resume), its type and its data.</summary>
public sealed record StreamEvent(string? Id, string Type, JsonElement Data);

public sealed partial class ParleyClient
{
    private static readonly HttpRequestOptionsKey<bool> BrowserStreaming = new("WebAssemblyEnableStreamingResponse");

    /// <summary>
    /// Conversations in handoff, the longest waiting first; <paramref name="assignedTo"/> is <c>me</c>, <c>unassigned</c>,
    /// a key or user id, and <paramref name="assigned"/> true lists only held ones, false only unheld ones.
    /// </summary>
    [ApiOperation("GET", "/v1/inbox")]
    public Task<Page<InboxItem>> ListInboxAsync(
        string? assignedTo = null, int? limit = null, bool? assigned = null, CancellationToken cancellationToken = default) =>
        GetAsync<Page<InboxItem>>(
            Paged(Query("/v1/inbox", ("assigned_to", assignedTo), ("assigned", assigned is { } held ? (held ? "true" : "false") : null)), limit, null),
            cancellationToken);

    [ApiOperation("PUT", "/v1/inbox/presence")]
    public Task<PresenceResponse> ReportPresenceAsync(string status, CancellationToken cancellationToken = default) =>
        SendAsync<PresenceRequest, PresenceResponse>(HttpMethod.Put, "/v1/inbox/presence", new PresenceRequest(status), cancellationToken);

    /// <summary>The workspace's handoffs as they happen; resumes after <paramref name="lastEventId"/>.</summary>
    [ApiOperation("GET", "/v1/inbox/stream")]
    public IAsyncEnumerable<StreamEvent> StreamInboxAsync(string? lastEventId = null, CancellationToken cancellationToken = default) =>
        StreamAsync("/v1/inbox/stream", lastEventId, cancellationToken);

    /// <summary>Everything that happens in a conversation from now on; resumes after <paramref name="lastEventId"/>.</summary>
    [ApiOperation("GET", "/v1/conversations/{id}/stream")]
    public IAsyncEnumerable<StreamEvent> StreamConversationAsync(string id, string? lastEventId = null, CancellationToken cancellationToken = default) =>
        StreamAsync($"/v1/conversations/{Id(id)}/stream", lastEventId, cancellationToken);

    [ApiOperation("GET", "/v1/conversations/{id}")]
    public Task<ConversationResponse> GetConversationAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync<ConversationResponse>($"/v1/conversations/{Id(id)}", cancellationToken);

    /// <summary>The transcript, oldest first.</summary>
    [ApiOperation("GET", "/v1/conversations/{id}/messages")]
    public Task<Page<MessageResponse>> ListMessagesAsync(string id, int? limit = null, string? after = null, CancellationToken cancellationToken = default) =>
        GetAsync<Page<MessageResponse>>(Paged($"/v1/conversations/{Id(id)}/messages", limit, after), cancellationToken);

    /// <summary>A contact; its personal data is null (and <c>PiiHidden</c> true) unless the caller may read it.</summary>
    [ApiOperation("GET", "/v1/contacts/{id}")]
    public Task<ContactResponse> GetContactAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync<ContactResponse>($"/v1/contacts/{Id(id)}", cancellationToken);

    /// <summary>
    /// Everything Parley holds about one contact, as one JSON document in the records of the export format; the personal
    /// fields only when the caller may read them.
    /// </summary>
    [ApiOperation("GET", "/v1/contacts/{id}/export")]
    public Task<JsonElement> ExportContactAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync<JsonElement>(ContactExportPath(id), cancellationToken);

    /// <summary>The address of a contact's export, for a download link.</summary>
    public static string ContactExportPath(string id) => $"/v1/contacts/{Id(id)}/export";

    /// <summary>Blanks the contact's personal data, on their leads and bookings too, and the text of their messages; erasing again changes nothing.</summary>
    [ApiOperation("DELETE", "/v1/contacts/{id}")]
    public Task<ContactErasureResult> EraseContactAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<object, ContactErasureResult>(HttpMethod.Delete, $"/v1/contacts/{Id(id)}", null, cancellationToken);

    [ApiOperation("POST", "/v1/conversations/{id}/claim")]
    public Task<HandoffActionResponse> ClaimConversationAsync(string id, bool force = false, CancellationToken cancellationToken = default) =>
        SendAsync<ClaimRequest, HandoffActionResponse>(HttpMethod.Post, $"/v1/conversations/{Id(id)}/claim", new ClaimRequest(force), cancellationToken);

    [ApiOperation("POST", "/v1/conversations/{id}/assign")]
    public Task<HandoffActionResponse> AssignConversationAsync(string id, AssignRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<AssignRequest, HandoffActionResponse>(HttpMethod.Post, $"/v1/conversations/{Id(id)}/assign", request, cancellationToken);

    [ApiOperation("POST", "/v1/conversations/{id}/agent-messages")]
    public Task<MessageResponse> SendAgentMessageAsync(string id, string text, CancellationToken cancellationToken = default) =>
        SendAsync<AgentMessageRequest, MessageResponse>(HttpMethod.Post, $"/v1/conversations/{Id(id)}/agent-messages", new AgentMessageRequest(text), cancellationToken);

    /// <summary>Tells the visitor the agent is typing (or stopped); repeats within a second are dropped by the server.</summary>
    [ApiOperation("POST", "/v1/conversations/{id}/typing")]
    public Task<TypingResponse> ReportTypingAsync(string id, bool typing, CancellationToken cancellationToken = default) =>
        SendAsync<TypingRequest, TypingResponse>(HttpMethod.Post, $"/v1/conversations/{Id(id)}/typing", new TypingRequest(typing), cancellationToken);

    [ApiOperation("POST", "/v1/conversations/{id}/return-to-bot")]
    public Task<HandoffActionResponse> ReturnToBotAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<object, HandoffActionResponse>(HttpMethod.Post, $"/v1/conversations/{Id(id)}/return-to-bot", null, cancellationToken);

    [ApiOperation("POST", "/v1/conversations/{id}/close")]
    public Task<HandoffActionResponse> CloseConversationAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<object, HandoffActionResponse>(HttpMethod.Post, $"/v1/conversations/{Id(id)}/close", null, cancellationToken);

    private async IAsyncEnumerable<StreamEvent> StreamAsync(string path, string? lastEventId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        // In the browser, the response is read as it arrives only when asked for.
        request.Options.Set(BrowserStreaming, true);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await ThrowIfProblemAsync(response, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var parser = SseParser.Create(body, (type, data) => JsonSerializer.Deserialize(data, ClientJson.Default.JsonElement));
        await foreach (var item in parser.EnumerateAsync(cancellationToken))
        {
            yield return new StreamEvent(item.EventId, item.EventType, item.Data);
        }
    }
}
