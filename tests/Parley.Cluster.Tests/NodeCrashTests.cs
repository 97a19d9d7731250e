using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Parley.Cluster.Tests;

/// <summary>
/// A node killed with SIGKILL in the middle of a load: visitors whose request died with it retry with the same
/// Idempotency-Key, as the widget does, and nothing is lost or stored twice.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class NodeCrashTests(LocalCluster cluster, ITestOutputHelper output)
{
    private const int Conversations = 12;
    private const int MessagesEach = 16;

    [Fact]
    public async Task KillNodeMidLoad_EveryAnsweredMessageStoredOnceInOrder_RetriesReplayTheFirstAnswer()
    {
        using var http = cluster.Client();
        var botId = (await PostAsync(http, "/v1/bots", new { name = "Crash test bot", greeting = "Hello!" }))["id"]!.GetValue<string>();
        var conversationIds = new List<string>();
        for (var i = 0; i < Conversations; i++)
        {
            conversationIds.Add((await PostAsync(http, "/v1/conversations", new { bot_id = botId }))["conversation"]!["id"]!.GetValue<string>());
        }

        var answered = 0;
        var retries = 0;
        var replies = new ConcurrentDictionary<string, string>(); // idempotency key → the first bot reply's id
        var killed = new TaskCompletionSource();
        var load = Task.WhenAll(conversationIds.Select(async conversationId =>
        {
            for (var m = 0; m < MessagesEach; m++)
            {
                var key = $"{conversationId}-{m}";
                var (reply, attempts) = await SendUntilAnsweredAsync(http, conversationId, $"message {m}", key);
                replies[key] = reply;
                Interlocked.Add(ref retries, attempts - 1);
                if (Interlocked.Increment(ref answered) == Conversations * 3)
                {
                    killed.TrySetResult();
                }
            }
        }));
        await Task.WhenAny(killed.Task, load);
        await cluster.KillAsync(2);
        await load;
        output.WriteLine($"{answered} messages answered; {retries} sends were retried after the kill.");

        await AssertNodeDownAsync(cluster.NodeUrl(2));
        foreach (var conversationId in conversationIds)
        {
            var transcript = await TranscriptAsync(http, conversationId);
            var userTexts = transcript.Where(m => m.Role == "user").Select(m => m.Text).ToList();
            Assert.Equal(Enumerable.Range(0, MessagesEach).Select(m => $"message {m}"), userTexts);
            Assert.Equal(["bot", .. Enumerable.Range(0, MessagesEach).SelectMany(_ => new[] { "user", "bot" })], transcript.Select(m => m.Role));
            var stored = transcript.Select(m => m.Id).ToHashSet();
            for (var m = 0; m < MessagesEach; m++)
            {
                Assert.Contains(replies[$"{conversationId}-{m}"], stored);
            }
        }

        // The killed node comes back and serves; a retry of an answered message replays the first answer.
        await cluster.StartAsync(2);
        using var nodeTwo = cluster.Client(cluster.NodeUrl(2));
        var last = $"{conversationIds[0]}-{MessagesEach - 1}";
        using var replay = await SendAsync(nodeTwo, conversationIds[0], $"message {MessagesEach - 1}", last);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(replies[last], BotReplyId(await replay.Content.ReadFromJsonAsync<JsonObject>()));
    }

    private static async Task<(string ReplyId, int Attempts)> SendUntilAnsweredAsync(HttpClient http, string conversationId, string text, string key)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var response = await SendAsync(http, conversationId, text, key);
                if (response.IsSuccessStatusCode)
                {
                    return (BotReplyId(await response.Content.ReadFromJsonAsync<JsonObject>()), attempt);
                }
                Assert.True((int)response.StatusCode is 502 or 503 or 504,
                    $"{text} in {conversationId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            Assert.True(attempt < 30, $"{text} in {conversationId} was never answered.");
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

    private static async Task<JsonObject> PostAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static async Task<List<(string Id, string Role, string? Text)>> TranscriptAsync(HttpClient http, string conversationId)
    {
        var messages = new List<(string, string, string?)>();
        string? after = null;
        do
        {
            var page = (await http.GetFromJsonAsync<JsonObject>($"/v1/conversations/{conversationId}/messages?limit=100" + (after is null ? "" : $"&after={after}")))!;
            foreach (var message in page["data"]!.AsArray())
            {
                messages.Add((message!["id"]!.GetValue<string>(), message["role"]!.GetValue<string>(), message["text"]?.GetValue<string>()));
            }
            after = page["next_cursor"]?.GetValue<string>();
        }
        while (after is not null);
        return messages;
    }

    private static async Task AssertNodeDownAsync(string nodeUrl)
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => probe.GetAsync(nodeUrl + "/readyz"));
    }
}
