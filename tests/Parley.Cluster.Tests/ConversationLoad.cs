using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Parley.Cluster.Tests;

/// <summary>
/// A bounded load of concurrent conversations through the load balancer: each sends its messages one after another,
/// every one with its own <c>Idempotency-Key</c>, and resends with the same key after a failed or refused request, as
/// the widget does. Each sends at least its share of messages, and goes on until the fault beside the load is over, so
/// that however slow the machine, the fault meets a load (unless a test asks for the bounded load alone). Afterwards it checks that every answered message is stored
/// once, in order, with its first answer.
/// </summary>
public sealed class ConversationLoad
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);

    private readonly HttpClient _http;
    private readonly int _messagesEach;
    private readonly ConcurrentDictionary<string, string> _replies = new(); // idempotency key → the first bot reply's id
    private readonly ConcurrentDictionary<string, int> _sent = new(); // conversation → how many messages it sent
    private int _answered;
    private int _retries;

    private ConversationLoad(HttpClient http, string botId, IReadOnlyList<string> conversationIds, int messagesEach)
    {
        _http = http;
        BotId = botId;
        ConversationIds = conversationIds;
        _messagesEach = messagesEach;
    }

    public string BotId { get; }

    public IReadOnlyList<string> ConversationIds { get; }

    /// <summary>Every refused send: its status, and for a problem its <c>code</c> and <c>Retry-After</c>.</summary>
    public ConcurrentQueue<string> Refusals { get; } = new();

    /// <summary>Sends that failed without an answer (the connection cut) or were refused, and were sent again.</summary>
    public int Retries => _retries;

    public static async Task<ConversationLoad> StartAsync(HttpClient http, int conversations, int messagesEach)
    {
        var botId = (await PostAsync(http, "/v1/bots", new { name = "Load bot", greeting = "Hello!" }))["id"]!.GetValue<string>();
        var conversationIds = new List<string>();
        for (var i = 0; i < conversations; i++)
        {
            conversationIds.Add((await PostAsync(http, "/v1/conversations", new { bot_id = botId }))["conversation"]!["id"]!.GetValue<string>());
        }
        return new ConversationLoad(http, botId, conversationIds, messagesEach);
    }

    /// <summary>
    /// Runs the load, and <paramref name="fault"/> beside it once <paramref name="answersBeforeFault"/> messages were
    /// answered; unless <paramref name="throughTheFault"/> is false, the conversations go on sending until it is over.
    /// </summary>
    public async Task RunAsync(int answersBeforeFault, Func<Task> fault, bool throughTheFault = true)
    {
        var due = new TaskCompletionSource();
        var over = new TaskCompletionSource();
        var load = Task.WhenAll(ConversationIds.Select(async conversationId =>
        {
            for (var m = 0; m < _messagesEach || (throughTheFault && !over.Task.IsCompleted); m++)
            {
                var key = $"{conversationId}-{m}";
                _replies[key] = await SendUntilAnsweredAsync(conversationId, Text(m), key);
                _sent[conversationId] = m + 1;
                if (Interlocked.Increment(ref _answered) == answersBeforeFault)
                {
                    due.TrySetResult();
                }
            }
        }));
        await Task.WhenAny(due.Task, load);
        await Task.WhenAll(FaultAsync(), load);

        async Task FaultAsync()
        {
            try
            {
                await fault();
            }
            finally
            {
                over.TrySetResult();
            }
        }
    }

    /// <summary>Each conversation holds its greeting, then each message once, in order, each followed by its first answer.</summary>
    public async Task AssertEveryAnsweredMessageStoredOnceInOrderAsync()
    {
        foreach (var conversationId in ConversationIds)
        {
            var sent = _sent.GetValueOrDefault(conversationId);
            Assert.True(sent >= _messagesEach, $"{conversationId} sent {sent} messages of {_messagesEach}.");
            var transcript = await TranscriptAsync(conversationId);
            Assert.Equal(Enumerable.Range(0, sent).Select(Text), transcript.Where(m => m.Role == "user").Select(m => m.Text));
            Assert.Equal(["bot", .. Enumerable.Range(0, sent).SelectMany(_ => new[] { "user", "bot" })], transcript.Select(m => m.Role));
            var stored = transcript.Select(m => m.Id).ToList();
            Assert.Equal(stored.Count, stored.Distinct().Count());
            for (var m = 0; m < sent; m++)
            {
                // The answer a client got is the stored reply right after its message, not one of a second run.
                Assert.Equal(_replies[$"{conversationId}-{m}"], stored[2 + 2 * m]);
            }
        }
    }

    /// <summary>Sending the last message of the first conversation again, through <paramref name="via"/>, replays its first answer.</summary>
    public async Task AssertRetryReplaysFirstAnswerAsync(HttpClient via)
    {
        var conversationId = ConversationIds[0];
        var last = _sent.GetValueOrDefault(conversationId) - 1;
        var key = $"{conversationId}-{last}";
        using var replay = await SendAsync(via, conversationId, Text(last), key);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(_replies[key], BotReplyId(await replay.Content.ReadFromJsonAsync<JsonObject>()));
    }

    public async Task<List<(string Id, string Role, string? Text)>> TranscriptAsync(string conversationId)
    {
        var messages = new List<(string, string, string?)>();
        string? after = null;
        do
        {
            var page = (await _http.GetFromJsonAsync<JsonObject>($"/v1/conversations/{conversationId}/messages?limit=100" + (after is null ? "" : $"&after={after}")))!;
            foreach (var message in page["data"]!.AsArray())
            {
                messages.Add((message!["id"]!.GetValue<string>(), message["role"]!.GetValue<string>(), message["text"]?.GetValue<string>()));
            }
            after = page["next_cursor"]?.GetValue<string>();
        }
        while (after is not null);
        return messages;
    }

    private static string Text(int m) => $"message {m}";

    private async Task<string> SendUntilAnsweredAsync(string conversationId, string text, string key)
    {
        var deadline = DateTime.UtcNow + GiveUpAfter;
        while (true)
        {
            try
            {
                using var response = await SendAsync(_http, conversationId, text, key);
                if (response.IsSuccessStatusCode)
                {
                    return BotReplyId(await response.Content.ReadFromJsonAsync<JsonObject>());
                }
                var body = await response.Content.ReadAsStringAsync();
                // A node going away (502, 504) or a dependency missing (503) is worth a retry; anything else is a bug.
                Assert.True((int)response.StatusCode is 502 or 503 or 504, $"{text} in {conversationId}: {(int)response.StatusCode} {body}");
                var code = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
                    ? JsonNode.Parse(body)?["code"]?.GetValue<string>()
                    : null;
                var retryAfter = response.Headers.RetryAfter?.Delta?.TotalSeconds;
                Refusals.Enqueue($"{(int)response.StatusCode} {code} retry-after={retryAfter}");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            Interlocked.Increment(ref _retries);
            Assert.True(DateTime.UtcNow < deadline, $"{text} in {conversationId} was not answered within {GiveUpAfter.TotalSeconds} s.");
            await Task.Delay(200);
        }
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string conversationId, string text, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/conversations/{conversationId}/messages")
        {
            Content = JsonContent.Create(new { text }),
            Headers = { { "Idempotency-Key", key } },
        };
        return http.SendAsync(request);
    }

    private static string BotReplyId(JsonObject? body) => body!["messages"]!.AsArray()[0]!["id"]!.GetValue<string>();

    public static async Task<JsonObject> PostAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
